using System.Security.Cryptography;
using System.Text;
using BoltGate.Core.Crypto;
using BoltGate.Core.Lnurl;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Secrets;
using BoltGate.Storage;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// LUD-14 <c>balanceCheck</c> (opt-in, <c>Lnurl:BalanceCheck</c>): <c>GET /ln/balance?card=&amp;t=</c>
/// answers a withdrawRequest whose <c>maxWithdrawable</c> shows what the card can pay now, so the
/// holder's wallet can show it without a tap. The token is an HMAC of the card id and key version under
/// the issuer key: nothing is stored, and programming the card again (next key version) revokes every
/// link handed out before. The answer spends nothing: its <c>k1</c> is no offer, so a callback with it
/// is refused (K1_UNKNOWN, "tap the card again") — paying always takes a tap.
/// </summary>
public sealed class BalanceCheck(GatewaySecrets secrets)
{
    public const string Path = "/ln/balance";

    public string UrlFor(string baseUrl, Card card) =>
        $"{baseUrl}{Path}?card={Uri.EscapeDataString(card.Id)}&t={Token(card)}";

    public bool Verify(Card card, string? token) =>
        token is { Length: 32 } && Hex.TryDecode(token, 16) is { } given
        && CryptographicOperations.FixedTimeEquals(given, Hex.Decode(Token(card)));

    private string Token(Card card)
    {
        var mac = HMACSHA256.HashData(secrets.IssuerKey, Encoding.UTF8.GetBytes($"boltgate/balance-check/v1/{card.Id}/{card.KeyVersion}"));
        return Hex.Lower(mac.AsSpan(0, 16));
    }

    /// <summary>A k1 for the answer that is never an offer (offers are random; this is derived, and unknown to the store).</summary>
    private static string NoOfferK1(string token) =>
        Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes("boltgate/balance-check/k1/" + token)).AsSpan(0, 16));

    public static IEndpointRouteBuilder MapBalanceCheck(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, BoltGateStore store, BalanceCheck check, OfferService offers, PublicUrls urls,
            GatewayOptions options, Metrics.GatewayMetrics metrics) =>
        {
            var q = http.Request.Query;
            string? id = q["card"].Count == 1 ? q["card"][0] : null;
            string? token = q["t"].Count == 1 ? q["t"][0] : null;
            if (!options.Lnurl.BalanceCheck || id is null || await store.GetCardAsync(id, http.RequestAborted) is not { } card
                || !check.Verify(card, token))
                return LnurlEndpoints.Refuse(metrics, new Refusal(GatewayError.CardNotFound, "This balance link is not known here."));
            var (min, max, refusal) = await offers.RangeAsync(card, http.RequestAborted);
            if (refusal is not null && refusal.Error is not (GatewayError.InsufficientFunds or GatewayError.LimitDay or GatewayError.LimitTx))
                return LnurlEndpoints.Refuse(metrics, refusal);
            var baseUrl = urls.Base(http.Request);
            var answer = new WithdrawRequest
            {
                Callback = baseUrl + "/ln/callback",
                K1 = NoOfferK1(token!),
                DefaultDescription = options.Gateway.DefaultDescription,
                MinWithdrawable = refusal is null ? min : Core.Money.Msat.Zero,
                MaxWithdrawable = refusal is null ? max : Core.Money.Msat.Zero,
                BalanceCheck = check.UrlFor(baseUrl, card),
            };
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(answer, LnurlJsonContext.Readable.WithdrawRequest);
        });
        return app;
    }
}
