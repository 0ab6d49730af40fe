using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Sessions;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage;

// Dapper materialises these (snake_case columns match with MatchNamesWithUnderscores); both engines
// hand back 64-bit integers, so every number here is a long. They never leave the assembly.

/// <summary>A card row; listings extend it with what they compute (<c>BoltGateStore.Listing.cs</c>).</summary>
internal class CardRow
{
    public const string Columns =
        "id, name, uid, key_version, key_source, keys_encrypted, counter, balance_msat, per_tap_limit_msat, " +
        "daily_limit_msat, enabled, pin_hash, pin_limit_msat, pin_failures, locked, created_at, updated_at";

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Uid { get; set; }
    public long KeyVersion { get; set; }
    public string KeySource { get; set; } = "";
    public byte[]? KeysEncrypted { get; set; }
    public long Counter { get; set; }
    public long BalanceMsat { get; set; }
    public long? PerTapLimitMsat { get; set; }
    public long? DailyLimitMsat { get; set; }
    public long Enabled { get; set; }
    public string? PinHash { get; set; }
    public long? PinLimitMsat { get; set; }
    public long PinFailures { get; set; }
    public long Locked { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public Card ToCard() => new(
        Id, Name, Uid, checked((int)KeyVersion), ColumnValues.ParseKeySource(KeySource), Counter, new Msat(BalanceMsat),
        ColumnValues.ToMsat(PerTapLimitMsat), ColumnValues.ToMsat(DailyLimitMsat), Enabled != 0, PinHash, ColumnValues.ToMsat(PinLimitMsat),
        checked((int)PinFailures), Locked != 0, ColumnValues.Time(CreatedAt), ColumnValues.Time(UpdatedAt));
}

internal sealed class SessionRow
{
    public const string Columns = "k1, card_id, counter, created_at, expires_at, consumed_at";

    public string K1 { get; set; } = "";
    public string CardId { get; set; } = "";
    public long Counter { get; set; }
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }
    public long? ConsumedAt { get; set; }

    public K1Session ToSession() => new(
        K1, CardId, Counter, ColumnValues.Time(CreatedAt), ColumnValues.Time(ExpiresAt), ColumnValues.Time(ConsumedAt));
}

internal sealed class WithdrawalRow
{
    public const string Columns =
        "id, card_id, k1, bolt11, payment_hash, amount_msat, fee_reserve_msat, fee_msat, state, failure_code, " +
        "node_message, usage_day, deadline, attempts, preimage, lease_owner, lease_until, reserved_at, sending_at, " +
        "in_flight_at, finished_at, updated_at";

    public string Id { get; set; } = "";
    public string CardId { get; set; } = "";
    public string K1 { get; set; } = "";
    public string Bolt11 { get; set; } = "";
    public string PaymentHash { get; set; } = "";
    public long AmountMsat { get; set; }
    public long FeeReserveMsat { get; set; }
    public long? FeeMsat { get; set; }
    public string State { get; set; } = "";
    public string? FailureCode { get; set; }
    public string? NodeMessage { get; set; }
    public string UsageDay { get; set; } = "";
    public long Deadline { get; set; }
    public long Attempts { get; set; }
    public string? Preimage { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
    public long ReservedAt { get; set; }
    public long? SendingAt { get; set; }
    public long? InFlightAt { get; set; }
    public long? FinishedAt { get; set; }
    public long UpdatedAt { get; set; }

    public WithdrawalState ParsedState => Enum.Parse<WithdrawalState>(State);

    public Withdrawal ToWithdrawal() => new(
        Id, CardId, K1, Bolt11, PaymentHash, new Msat(AmountMsat), new Msat(FeeReserveMsat), ColumnValues.ToMsat(FeeMsat),
        ParsedState, FailureCode, NodeMessage, ColumnValues.Time(Deadline), checked((int)Attempts), Preimage, LeaseOwner,
        ColumnValues.Time(LeaseUntil), ColumnValues.Time(ReservedAt), ColumnValues.Time(SendingAt), ColumnValues.Time(InFlightAt),
        ColumnValues.Time(FinishedAt), ColumnValues.Time(UpdatedAt));
}

internal sealed class LedgerRow
{
    public const string Columns = "id, card_id, kind, amount_msat, withdrawal_id, note, created_at";

    public long Id { get; set; }
    public string CardId { get; set; } = "";
    public string Kind { get; set; } = "";
    public long AmountMsat { get; set; }
    public string? WithdrawalId { get; set; }
    public string? Note { get; set; }
    public long CreatedAt { get; set; }

    public LedgerEntry ToEntry() => new(
        Id, CardId, ColumnValues.ParseLedgerKind(Kind), new Msat(AmountMsat), WithdrawalId, Note, ColumnValues.Time(CreatedAt));
}
