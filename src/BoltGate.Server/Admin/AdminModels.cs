using BoltGate.Server.Cards;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Admin;

// JSON shapes of the admin API (camelCase on the wire). Amounts say their unit in their name.

public sealed record CreateCardRequest(string? Name, string? Uid, long? PerTapLimitSat, long? DailyLimitSat);

public sealed record ImportCardRequest(
    string? Name, string? Uid, string? K0, string? K1, string? K2, string? K3, string? K4, int? KeyVersion,
    long? PerTapLimitSat, long? DailyLimitSat);

public sealed record CreditRequest(long? AmountSat, string? Reason);

public sealed record DebitRequest(long? AmountSat, string? Reason);

public sealed record PinRequest(string? Pin, long? PinLimitSat);

public sealed record LimitsRequest(long? PerTapLimitSat, long? DailyLimitSat);

public sealed record CardKeysResponse(string K0, string K1, string K2, string K3, string K4);

public sealed record CardCreatedResponse(string Id, string? Uid, int KeyVersion, CardKeysResponse Keys, string Lnurlw, CardResponse Card)
{
    public static CardCreatedResponse From(CreatedCard created, string lnurlw)
    {
        var (card, keys) = (created.Card, created.Keys);
        return new(card.Id, card.UidHex, card.KeyVersion,
            new CardKeysResponse(keys.K0.ToHex(), keys.K1.ToHex(), keys.K2.ToHex(), keys.K3.ToHex(), keys.K4.ToHex()), lnurlw,
            CardResponse.From(card, 0));
    }
}

public sealed record CardResponse(
    string Id, string Name, string? Uid, string KeySource, int KeyVersion, bool Enabled, bool Locked, bool HasPin,
    long? PinLimitSat, int PinFailures, long BalanceMsat, long? PerTapLimitSat, long? DailyLimitSat, long DailyUsedMsat,
    long? Counter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CardResponse From(CardView view) => From(view.Card, view.DailyUsed.Value);

    public static CardResponse From(Card c, long dailyUsedMsat) => new(
        c.Id, c.Name, c.UidHex, c.KeySource == CardKeySource.Deterministic ? "deterministic" : "imported", c.KeyVersion, c.Enabled,
        c.Locked, c.HasPin, c.HasPin ? c.PinLimit?.WholeSat ?? 0 : null, c.PinFailures, c.Balance.Value, c.PerTapLimit?.WholeSat,
        c.DailyLimit?.WholeSat, dailyUsedMsat, c.Counter < 0 ? null : c.Counter, c.CreatedAt, c.UpdatedAt);
}

public sealed record WithdrawalResponse(
    string Id, string CardId, string State, long AmountMsat, long FeeReserveMsat, long? FeeMsat, string PaymentHash,
    string Bolt11, string? FailureCode, string? NodeMessage, int Attempts, DateTimeOffset Deadline, DateTimeOffset ReservedAt,
    DateTimeOffset? SendingAt, DateTimeOffset? InFlightAt, DateTimeOffset? FinishedAt)
{
    public static WithdrawalResponse From(Withdrawal w) => new(
        w.Id, w.CardId, w.State.ToString(), w.Amount.Value, w.FeeReserve.Value, w.Fee?.Value, w.PaymentHashHex, w.Bolt11,
        w.FailureCode, w.NodeMessage, w.Attempts, w.Deadline, w.ReservedAt, w.SendingAt, w.InFlightAt, w.FinishedAt);
}

public sealed record LedgerEntryResponse(long Id, string Kind, long AmountMsat, string? WithdrawalId, string? Note, DateTimeOffset CreatedAt)
{
    public static LedgerEntryResponse From(LedgerEntry e) => new(
        e.Id, e.Kind switch
        {
            LedgerKind.TopUp => "topup",
            LedgerKind.Reservation => "reservation",
            LedgerKind.Refund => "refund",
            LedgerKind.FeeRelease => "fee_release",
            LedgerKind.Debit => "debit",
            _ => e.Kind.ToString(),
        }, e.Amount.Value, e.WithdrawalId, e.Note, e.CreatedAt);
}
