using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Payments;
using BoltGate.Server.Configuration;
using BoltGate.Server.Pins;
using BoltGate.Server.Secrets;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Cards;

/// <summary>
/// Card administration, whoever asks (the admin API, the console): create with derived or random keys,
/// import, limits, payment policy, PIN, enable/disable, the wipe keys and the reset mark, credit and
/// debit, and a card's history. Every answer is a value: the result or a <see cref="CardError"/>.
/// Amounts and limits come in whole sat, as the operator gives them.
/// </summary>
public sealed partial class CardService(
    BoltGateStore store, GatewaySecrets secrets, GatewayOptions options, TapResolver taps, CardKeyRing keyRing, PaymentEngine engine,
    TimeProvider time)
{
    /// <summary>Keys derived from the issuer key when <paramref name="uidHex"/> is given; else random keys, stored encrypted, and the UID is learned at the first tap.</summary>
    public async Task<CardResult<CreatedCard>> CreateAsync(string? name, string? uidHex, long? perTapLimitSat, long? dailyLimitSat,
        CancellationToken ct)
    {
        var limits = CardLimits.ForNewCard(perTapLimitSat, dailyLimitSat, options);
        if (limits.Error is { } limitError)
            return limitError;
        var (perTap, daily) = limits.Value;
        if (CardLimits.NameProblem(name) is { } nameError)
            return nameError;
        name = string.IsNullOrWhiteSpace(name) ? "card" : name.Trim();
        Card? card;
        CardKeys keys;
        if (uidHex is not null)
        {
            if (!CardUid.TryParse(uidHex, out var uid))
                return CardError.Invalid("uid must be 14 hex characters (7 bytes).");
            const int version = 1;
            keys = DeterministicKeys.Derive(secrets.IssuerKey, uid, version);
            var id = Hex.Lower(DeterministicKeys.CardId(secrets.IssuerKey, uid));
            card = await store.CreateCardAsync(new NewCard(id, name, uid.Hex, version, CardKeySource.Deterministic, null, perTap, daily), ct)
                .ConfigureAwait(false);
        }
        else
        {
            var raw = RandomCardKeys.NewBytes();
            keys = RandomCardKeys.FromBytes(raw);
            card = await store.CreateCardAsync(new NewCard(NewId(), name, null, 1, CardKeySource.Imported, raw, perTap, daily), ct)
                .ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(raw);
            taps.InvalidateImported();
        }
        return card is null ? Exists() : new CreatedCard(card, keys);
    }

    /// <summary>A card with keys made elsewhere (hex K0..K4), stored encrypted under the data key.</summary>
    public async Task<CardResult<CardView>> ImportAsync(string? name, string? uidHex, IReadOnlyList<string?> keysHex, int? keyVersion,
        long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct)
    {
        if (CardLimits.NameProblem(name) is { } nameError)
            return nameError;
        var raw = new byte[80];
        try
        {
            for (var i = 0; i < 5; i++)
            {
                if (i >= keysHex.Count || keysHex[i] is not { } hex || !Hex.TryDecode(hex, raw.AsSpan(i * 16, 16)))
                    return CardError.Invalid($"k{i} must be 32 hex characters.");
            }
            string? uid = null;
            if (uidHex is not null)
            {
                if (!CardUid.TryParse(uidHex, out var parsed))
                    return CardError.Invalid("uid must be 14 hex characters (7 bytes).");
                uid = parsed.Hex;
            }
            if (keyVersion is < 0 or > 255)
                return CardError.Invalid("keyVersion must be between 0 and 255.");
            var limits = CardLimits.ForNewCard(perTapLimitSat, dailyLimitSat, options);
            if (limits.Error is { } limitError)
                return limitError;
            var card = await store.CreateCardAsync(new NewCard(NewId(), string.IsNullOrWhiteSpace(name) ? "imported card" : name.Trim(), uid,
                keyVersion ?? 1, CardKeySource.Imported, raw, limits.Value.PerTap, limits.Value.Daily), ct).ConfigureAwait(false);
            if (card is null)
                return Exists();
            taps.InvalidateImported();
            return new CardView(card, Msat.Zero);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    public async Task<CardResult<CardView>> GetAsync(string id, CancellationToken ct) =>
        await ViewAsync(await store.GetCardAsync(id, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    public async Task<CardResult<CardView>> CreditAsync(string id, long? amountSat, string? reason, CancellationToken ct)
    {
        if (Amount(amountSat) is not { } amount)
            return CardError.Invalid("amountSat must be a positive whole number of satoshis.");
        return await store.TryCreditAsync(id, amount, reason, ct).ConfigureAwait(false) switch
        {
            CreditResult.Done done => await ViewAsync(done.Card, ct).ConfigureAwait(false),
            CreditResult.AboveMaximum high => TooHigh(high, amount),
            _ => CardError.CardNotFound(),
        };
    }

    private static CardError TooHigh(CreditResult.AboveMaximum high, Msat amount) => new(CardErrorKind.BalanceTooHigh,
        $"The card's balance is {high.Balance.Value} msat; a credit of {amount.Value} msat would take it above 21 million BTC.");

    /// <summary>Takes money off the card; never below zero, and never what is reserved for a withdrawal.</summary>
    public async Task<CardResult<CardView>> DebitAsync(string id, long? amountSat, string? reason, CancellationToken ct)
    {
        if (Amount(amountSat) is not { } amount)
            return CardError.Invalid("amountSat must be a positive whole number of satoshis.");
        return await store.DebitAsync(id, amount, reason, ct).ConfigureAwait(false) switch
        {
            DebitResult.Done done => await ViewAsync(done.Card, ct).ConfigureAwait(false),
            DebitResult.InsufficientBalance low => new CardError(CardErrorKind.InsufficientBalance,
                $"The card's balance is {low.Balance.Value} msat; a debit of {amount.Value} msat would take it below zero."),
            _ => CardError.CardNotFound(),
        };
    }

    public async Task<CardResult<CardView>> SetEnabledAsync(string id, bool enabled, CancellationToken ct) =>
        await ViewAsync(await store.SetEnabledAsync(id, enabled, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Null removes a limit.</summary>
    public async Task<CardResult<CardView>> SetLimitsAsync(string id, long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct)
    {
        if (perTapLimitSat is < 0 or > CardLimits.MaxSat || dailyLimitSat is < 0 or > CardLimits.MaxSat)
            return CardError.Invalid("Limits must be between 0 and 21 million BTC in sat.");
        return await ViewAsync(await store.SetLimitsAsync(id, CardLimits.Sat(perTapLimitSat), CardLimits.Sat(dailyLimitSat), ct)
            .ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    /// <summary>Amounts at or above <paramref name="pinLimitSat"/> (default 0: every amount) need the PIN; also unlocks the card.</summary>
    public async Task<CardResult<CardView>> SetPinAsync(string id, string? pin, long? pinLimitSat, CancellationToken ct)
    {
        if (!PinHasher.IsWellFormed(pin))
            return CardError.Invalid("pin must be 4 to 8 digits.");
        if (pinLimitSat is < 0 or > CardLimits.MaxSat)
            return CardError.Invalid("pinLimitSat must be between 0 and 21 million BTC in sat.");
        return await ViewAsync(await store.SetPinAsync(id, PinHasher.Hash(pin!), Msat.FromSat(pinLimitSat ?? 0), ct).ConfigureAwait(false), ct)
            .ConfigureAwait(false);
    }

    public async Task<CardResult<CardView>> ClearPinAsync(string id, CancellationToken ct) =>
        await ViewAsync(await store.SetPinAsync(id, null, null, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>The strategy for the card's future withdrawals, by name ("FastFail", "GradedRetry"; any case).</summary>
    public async Task<CardResult<PaymentPolicy>> SetPaymentPolicyAsync(string id, string? policyName, CancellationToken ct)
    {
        if (policyName is null || !Enum.TryParse<PaymentPolicy>(policyName, ignoreCase: true, out var policy) || !Enum.IsDefined(policy))
            return CardError.Invalid("policy must be \"FastFail\" or \"GradedRetry\".");
        return await store.SetCardPaymentPolicyAsync(id, policy, ct).ConfigureAwait(false)
            ? policy
            : CardError.CardNotFound("No card with this id.");
    }

    /// <summary>The card's current keys, to wipe it with (spec §3.2); changes nothing.</summary>
    public async Task<CardResult<CreatedCard>> WipeKeysAsync(string id, CancellationToken ct)
    {
        if (await store.GetCardAsync(id, ct).ConfigureAwait(false) is not { } card)
            return CardError.CardNotFound();
        return await keyRing.KeysOfAsync(card, ct).ConfigureAwait(false) is { } keys
            ? new CreatedCard(card, keys)
            : new CardError(CardErrorKind.KeysUnknown, "Not found.");
    }

    /// <summary>After a wipe: the card is disabled and recorded as reset, so its UID can be programmed again at the next key version.</summary>
    public async Task<CardResult<CardView>> MarkResetAsync(string id, CancellationToken ct) =>
        await ViewAsync(await store.MarkResetAsync(id, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>The card's withdrawals, newest first (<paramref name="limit"/> of them).</summary>
    public async Task<CardResult<IReadOnlyList<Withdrawal>>> WithdrawalsAsync(string id, int limit, CancellationToken ct) =>
        await store.GetCardAsync(id, ct).ConfigureAwait(false) is null
            ? CardError.CardNotFound()
            : CardResult<IReadOnlyList<Withdrawal>>.Of(await store.ListWithdrawalsAsync(id, limit, ct).ConfigureAwait(false));

    /// <summary>The card's ledger, oldest first; its amounts add up to the balance.</summary>
    public async Task<CardResult<IReadOnlyList<LedgerEntry>>> LedgerAsync(string id, CancellationToken ct) =>
        await store.GetCardAsync(id, ct).ConfigureAwait(false) is null
            ? CardError.CardNotFound()
            : CardResult<IReadOnlyList<LedgerEntry>>.Of(await store.ListLedgerAsync(id, ct).ConfigureAwait(false));

    public async Task<CardResult<Withdrawal>> GetWithdrawalAsync(string id, CancellationToken ct) =>
        await store.GetWithdrawalAsync(id, ct).ConfigureAwait(false) is { } w
            ? w
            : new CardError(CardErrorKind.WithdrawalNotFound, "Not found.");

    /// <summary>Refunds a withdrawal that is waiting (Reserved, e.g. between GradedRetry attempts).</summary>
    public async Task<CardResult<Withdrawal>> CancelWithdrawalAsync(string id, string? reason, CancellationToken ct) =>
        await engine.CancelAsync(id, "canceled by the operator" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason), ct)
            .ConfigureAwait(false) switch
        {
            TransitionResult.Applied applied => applied.Withdrawal,
            TransitionResult.WrongState wrong => new CardError(CardErrorKind.WithdrawalNotCancelable,
                $"The withdrawal is {wrong.Current}; only a waiting (Reserved) withdrawal can be canceled, never one the node may be paying."),
            _ => new CardError(CardErrorKind.WithdrawalNotFound, "No withdrawal with this id."),
        };

    private async Task<CardResult<CardView>> ViewAsync(Card? card, CancellationToken ct) =>
        card is null
            ? CardError.CardNotFound()
            : new CardView(card, await store.GetDailyUsageAsync(card.Id, time.GetUtcNow(), ct).ConfigureAwait(false));

    private static Msat? Amount(long? sat) => sat is > 0 and <= CardLimits.MaxSat ? Msat.FromSat(sat.Value) : null;

    private static CardError Exists() => new(CardErrorKind.CardExists, "A card with this UID exists already.");

    private static string NewId() => Hex.Lower(RandomNumberGenerator.GetBytes(16));
}
