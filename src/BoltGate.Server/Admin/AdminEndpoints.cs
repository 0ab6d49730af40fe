using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Server.Configuration;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Pins;
using BoltGate.Server.Programming;
using BoltGate.Server.Secrets;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Admin;

/// <summary>
/// The minimal admin API (docs/api.md): create or import cards, credit them, read them with their
/// withdrawals and ledger, enable/disable, set limits and the PIN. Bearer key on every route.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>21 million BTC in sat: no amount or limit can be above it.</summary>
    private const long MaxSat = 2_100_000_000_000_000;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<AdminAuthFilter>();

        api.MapPost("/cards", async (CreateCardRequest? body, HttpRequest http, BoltGateStore store, GatewaySecrets secrets,
            GatewayOptions options, PublicUrls urls, TapResolver taps, CancellationToken ct) =>
        {
            if (body is null)
                return Bad("Send a JSON body: {\"name\", \"uid\"?, \"perTapLimitSat\"?, \"dailyLimitSat\"?}.");
            if (Limits(body.PerTapLimitSat, body.DailyLimitSat, options, out var perTap, out var daily) is { } limitError)
                return limitError;
            var name = string.IsNullOrWhiteSpace(body.Name) ? "card" : body.Name.Trim();
            Card? card;
            CardKeys keys;
            if (body.Uid is not null)
            {
                if (!CardUid.TryParse(body.Uid, out var uid))
                    return Bad("uid must be 14 hex characters (7 bytes).");
                const int version = 1;
                keys = DeterministicKeys.Derive(secrets.IssuerKey, uid, version);
                var id = Hex.Lower(DeterministicKeys.CardId(secrets.IssuerKey, uid));
                card = await store.CreateCardAsync(new NewCard(id, name, uid.Hex, version, CardKeySource.Deterministic, null, perTap, daily), ct);
            }
            else
            {
                // No UID: random keys, kept encrypted like an import; the card binds its UID on its first tap.
                var raw = RandomCardKeys.NewBytes();
                keys = RandomCardKeys.FromBytes(raw);
                card = await store.CreateCardAsync(new NewCard(Hex.Lower(RandomNumberGenerator.GetBytes(16)), name, null, 1,
                    CardKeySource.Imported, raw, perTap, daily), ct);
                taps.InvalidateImported();
            }
            if (card is null)
                return Conflict("CARD_EXISTS", "A card with this UID exists already.");
            var response = new CardCreatedResponse(card.Id, card.UidHex, card.KeyVersion,
                new CardKeysResponse(keys.K0.ToHex(), keys.K1.ToHex(), keys.K2.ToHex(), keys.K3.ToHex(), keys.K4.ToHex()),
                urls.Lnurlw(http), CardResponse.From(card, 0));
            return Results.Json(response, statusCode: StatusCodes.Status201Created);
        });

        api.MapPost("/cards/import", async (ImportCardRequest? body, BoltGateStore store, GatewayOptions options, TapResolver taps,
            CancellationToken ct) =>
        {
            if (body is null)
                return Bad("Send a JSON body: {\"name\", \"uid\"?, \"k0\"..\"k4\", \"keyVersion\"?, limits?}.");
            var raw = new byte[80];
            string?[] hex = [body.K0, body.K1, body.K2, body.K3, body.K4];
            for (var i = 0; i < 5; i++)
            {
                if (hex[i] is null || !Hex.TryDecode(hex[i], raw.AsSpan(i * 16, 16)))
                    return Bad($"k{i} must be 32 hex characters.");
            }
            string? uidHex = null;
            if (body.Uid is not null)
            {
                if (!CardUid.TryParse(body.Uid, out var uid))
                    return Bad("uid must be 14 hex characters (7 bytes).");
                uidHex = uid.Hex;
            }
            if (body.KeyVersion is < 0 or > 255)
                return Bad("keyVersion must be between 0 and 255.");
            if (Limits(body.PerTapLimitSat, body.DailyLimitSat, options, out var perTap, out var daily) is { } limitError)
                return limitError;
            var card = await store.CreateCardAsync(new NewCard(Hex.Lower(RandomNumberGenerator.GetBytes(16)),
                string.IsNullOrWhiteSpace(body.Name) ? "imported card" : body.Name.Trim(), uidHex, body.KeyVersion ?? 1,
                CardKeySource.Imported, raw, perTap, daily), ct);
            CryptographicOperations.ZeroMemory(raw);
            if (card is null)
                return Conflict("CARD_EXISTS", "A card with this UID exists already.");
            taps.InvalidateImported();
            return Results.Json(CardResponse.From(card, 0), statusCode: StatusCodes.Status201Created);
        });

        api.MapPost("/cards/{id}/credit", async (string id, CreditRequest? body, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (body?.AmountSat is not (> 0 and <= MaxSat))
                return Bad("amountSat must be a positive whole number of satoshis.");
            var card = await store.CreditAsync(id, Msat.FromSat(body.AmountSat.Value), body.Reason, ct);
            return card is null ? NotFound() : Results.Json(await View(store, card, time, ct));
        });

        api.MapGet("/cards/{id}", async (string id, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
            await store.GetCardAsync(id, ct) is { } card ? Results.Json(await View(store, card, time, ct)) : NotFound());

        api.MapGet("/cards/{id}/withdrawals", async (string id, BoltGateStore store, CancellationToken ct) =>
            await store.GetCardAsync(id, ct) is null
                ? NotFound()
                : Results.Json((await store.ListWithdrawalsAsync(id, 100, ct)).Select(WithdrawalResponse.From)));

        api.MapGet("/cards/{id}/ledger", async (string id, BoltGateStore store, CancellationToken ct) =>
            await store.GetCardAsync(id, ct) is null
                ? NotFound()
                : Results.Json((await store.ListLedgerAsync(id, ct)).Select(LedgerEntryResponse.From)));

        api.MapGet("/withdrawals/{id}", async (string id, BoltGateStore store, CancellationToken ct) =>
            await store.GetWithdrawalAsync(id, ct) is { } w ? Results.Json(WithdrawalResponse.From(w)) : NotFound("WITHDRAWAL_NOT_FOUND"));

        api.MapPost("/cards/{id}/enable", (string id, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
            Updated(store, store.SetEnabledAsync(id, true, ct), time, ct));
        api.MapPost("/cards/{id}/disable", (string id, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
            Updated(store, store.SetEnabledAsync(id, false, ct), time, ct));

        api.MapPut("/cards/{id}/limits", (string id, LimitsRequest? body, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (body is null)
                return Task.FromResult(Bad("Send {\"perTapLimitSat\"?, \"dailyLimitSat\"?}; null or absent removes a limit."));
            if (body.PerTapLimitSat is < 0 or > MaxSat || body.DailyLimitSat is < 0 or > MaxSat)
                return Task.FromResult(Bad("Limits must be between 0 and 21 million BTC in sat."));
            return Updated(store, store.SetLimitsAsync(id, Sat(body.PerTapLimitSat), Sat(body.DailyLimitSat), ct), time, ct);
        });

        api.MapPut("/cards/{id}/pin", (string id, PinRequest? body, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (body is null || !PinHasher.IsWellFormed(body.Pin))
                return Task.FromResult(Bad("pin must be 4 to 8 digits."));
            if (body.PinLimitSat is < 0 or > MaxSat)
                return Task.FromResult(Bad("pinLimitSat must be between 0 and 21 million BTC in sat."));
            return Updated(store, store.SetPinAsync(id, PinHasher.Hash(body.Pin!), Msat.FromSat(body.PinLimitSat ?? 0), ct), time, ct);
        });
        api.MapDelete("/cards/{id}/pin", (string id, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
            Updated(store, store.SetPinAsync(id, null, null, ct), time, ct));

        return app;
    }

    private static Msat? Sat(long? sat) => sat is { } s ? Msat.FromSat(s) : null;

    internal static IResult? Limits(long? perTapSat, long? dailySat, GatewayOptions options, out Msat? perTap, out Msat? daily)
    {
        perTap = daily = null;
        perTapSat ??= options.Limits.DefaultPerTapLimitSat;
        dailySat ??= options.Limits.DefaultDailyLimitSat;
        if (perTapSat is < 0 or > MaxSat || dailySat is < 0 or > MaxSat)
            return Bad("perTapLimitSat and dailyLimitSat must be between 0 and 21 million BTC in sat.");
        perTap = Sat(perTapSat);
        daily = Sat(dailySat);
        return null;
    }

    private static async Task<CardResponse> View(BoltGateStore store, Card card, TimeProvider time, CancellationToken ct) =>
        CardResponse.From(card, (await store.GetDailyUsageAsync(card.Id, time.GetUtcNow(), ct)).Value);

    private static async Task<IResult> Updated(BoltGateStore store, Task<Card?> update, TimeProvider time, CancellationToken ct) =>
        await update is { } card ? Results.Json(await View(store, card, time, ct)) : NotFound();

    internal static IResult Bad(string message) =>
        Results.Json(new AdminError("BAD_REQUEST", message), statusCode: StatusCodes.Status400BadRequest);

    private static IResult Conflict(string code, string message) =>
        Results.Json(new AdminError(code, message), statusCode: StatusCodes.Status409Conflict);

    internal static IResult NotFound(string code = "CARD_NOT_FOUND") =>
        Results.Json(new AdminError(code, "Not found."), statusCode: StatusCodes.Status404NotFound);
}
