using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning;
using BoltGate.Lightning.Simulated;
using BoltGate.Payments;
using BoltGate.Server.Admin;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Lnurl;
using BoltGate.Storage;

namespace BoltGate.Server.Dev;

/// <summary>
/// Developer routes, mapped only when the gateway runs the simulated node (<c>type=simulated</c>, the
/// zero-configuration default), so a newcomer can see a paid withdrawal without a card or a wallet:
/// a tap the card would make, and an invoice the simulated node pays. Bearer key, like the admin API.
/// A gateway on a real node has no such routes (404).
/// </summary>
public static class DevEndpoints
{
    public static bool Enabled(GatewayOptions options) =>
        LightningConnectionString.TryParse(options.Lightning.ConnectionString, out var parsed, out _)
        && parsed is LightningConnectionString.Simulated;

    public static WebApplication MapDev(this WebApplication app)
    {
        if (!Enabled(app.Services.GetRequiredService<GatewayOptions>()))
            return app;
        // Taps that pay are spending authority: the admin scope only.
        var dev = app.MapGroup("/api/v1/dev").RequireAuthorization(Scopes.Admin);

        // The next tap of a card, as its chip would mirror it: p and c from the card's K1/K2, UID and the
        // counter after the last one the gateway accepted. Nothing is recorded: the tap counts when used.
        dev.MapPost("/cards/{id}/tap", async Task<IResult> (string id, HttpRequest http, BoltGateStore store, CardKeyRing keyRing,
            PublicUrls urls, CancellationToken ct) =>
        {
            if (await store.GetCardAsync(id, ct) is not { } card)
                return AdminFailure.From(CardError.CardNotFound());
            if (!CardUid.TryParse(card.UidHex, out var uid))
                return AdminProblem.Result(409, "CARD_UID_UNKNOWN",
                    "This card's UID is learned at its first real tap; create the card with a uid to tap it here.");
            if (await keyRing.KeysOfAsync(card, ct) is not { } keys)
                return AdminFailure.From(new CardError(CardErrorKind.KeysUnknown, "This card's keys cannot be known."));
            var counter = card.Counter < 0 ? 1 : card.Counter + 1;
            if (counter > SunTapCounterMax)
                return AdminProblem.Result(409, "COUNTER_EXHAUSTED", "This card's tap counter is at its end.");
            var (p, c) = SunGenerator.Create(keys.K1.Span, keys.K2.Span, uid, (uint)counter);
            var forms = ScanForms.Of($"{urls.Base(http)}/ln?p={p}&c={c}");
            return Results.Json(new DevTapResponse(forms.Url, forms.Lnurl, forms.QrSvg, counter));
        }).Produces<DevTapResponse>().ProducesAdminProblems(400, 401, 403, 404, 409);

        // A signed invoice from a throwaway payee key, on the node's network: the simulated node pays it.
        dev.MapPost("/invoices", async Task<IResult> (DevInvoiceRequest? body, NodeNetwork network, TimeProvider time, CancellationToken ct) =>
        {
            if (body?.AmountSat is not { } amountSat || amountSat is < 1 or > MaxInvoiceSat)
                return AdminFailure.BadRequest($"Send {{\"amountSat\": 1..{MaxInvoiceSat}, \"description\"?, \"expirySeconds\"?}}.");
            var expiry = TimeSpan.FromSeconds(body.ExpirySeconds ?? 600);
            if (expiry < TimeSpan.FromSeconds(1) || expiry > TimeSpan.FromDays(1))
                return AdminFailure.BadRequest("expirySeconds must be between 1 and 86400.");
            if (await network.GetAsync(ct) is not { } net)
                return AdminProblem.Result(503, "NODE_UNAVAILABLE", "The node does not say its network.");
            var now = time.GetUtcNow();
            var bolt11 = ThrowawayInvoice.Create(net, Msat.FromSat(amountSat), now, body.Description ?? "BoltGate dev invoice", expiry);
            return Results.Json(new DevInvoiceResponse(bolt11, Msat.FromSat(amountSat).Value, now.Add(expiry)), statusCode: 201);
        }).Produces<DevInvoiceResponse>(201).ProducesAdminProblems(400, 401, 403, 503);

        // A wallet paying one of the node's own invoices (a top-up): the simulated node receives the full amount.
        dev.MapPost("/wallet/pay", IResult (DevWalletPayRequest? body, ILightningNode node) =>
        {
            if (node is not SimulatedNode simulated)
                return AdminProblem.Result(409, "NOT_SIMULATED", "The gateway's node is not the in-process simulated node.");
            if (body?.Bolt11 is not { Length: > 0 } bolt11 || Bolt11Decoder.Decode(bolt11.Trim()) is not Bolt11DecodeResult.Ok { Invoice: var invoice })
                return AdminFailure.BadRequest("Send {\"bolt11\": an invoice of this gateway's node}.");
            if (invoice.PayeeHex != simulated.Network.NodePubKeyHex || invoice.Amount is not { } amount)
                return AdminFailure.BadRequest("Only an invoice of this gateway's node, with an amount, can be paid here.");
            return simulated.Network.ReceivePayment(invoice.PaymentHash, amount)
                ? Results.Json(new DevWalletPayResponse(invoice.PaymentHash.ToHex(), amount.Value))
                : AdminProblem.Result(409, "INVOICE_NOT_OPEN", "The node has no open invoice with this hash (paid, expired or unknown).");
        }).Produces<DevWalletPayResponse>().ProducesAdminProblems(400, 401, 403, 409);

        // The simulated node's channels, as they stand: what the overview's liquidity is summed from.
        dev.MapGet("/channels", IResult (ILightningNode node) => node is SimulatedNode simulated
                ? Results.Json(simulated.Network.Channels.Select(c => new DevChannel(c.ShortChannelId, c.PeerPubKeyHex, c.Local.Value, c.Remote.Value, c.Active)).ToList())
                : AdminProblem.Result(409, "NOT_SIMULATED", "The gateway's node is not the in-process simulated node."))
            .Produces<List<DevChannel>>().ProducesAdminProblems(400, 401, 403, 409);
        return app;
    }

    private const long SunTapCounterMax = 0xFFFFFF;
    private const long MaxInvoiceSat = 100_000_000;
}

public sealed record DevTapResponse(string Url, string? Lnurl, string QrSvg, long Counter);

public sealed record DevInvoiceRequest(long? AmountSat, string? Description, int? ExpirySeconds);

public sealed record DevInvoiceResponse(string Bolt11, long AmountMsat, DateTimeOffset ExpiresAt);

public sealed record DevWalletPayRequest(string? Bolt11);

public sealed record DevWalletPayResponse(string PaymentHash, long AmountMsat);

public sealed record DevChannel(string ShortChannelId, string PeerPubKey, long LocalMsat, long RemoteMsat, bool Active);
