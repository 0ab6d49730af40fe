using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>What an operator's PATCH changes; each part applies only when given (a limit given as null is removed).</summary>
public sealed record CardChanges(string? Name = null, bool SetPerTapLimit = false, Msat? PerTapLimit = null, bool SetDailyLimit = false,
    Msat? DailyLimit = null, PaymentPolicy? Policy = null);

public sealed partial class BoltGateStore
{
    /// <summary>Applies <paramref name="changes"/> in one statement (all of them or none); null when the card is unknown.</summary>
    public Task<Card?> ChangeCardAsync(string cardId, CardChanges changes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var set = new List<string>();
        var args = new DynamicParameters();
        if (changes.Name is { } name)
        {
            set.Add("name = @name");
            args.Add("name", name);
        }
        if (changes.SetPerTapLimit)
        {
            set.Add("per_tap_limit_msat = @perTap");
            args.Add("perTap", ColumnValues.FromMsat(changes.PerTapLimit));
        }
        if (changes.SetDailyLimit)
        {
            set.Add("daily_limit_msat = @daily");
            args.Add("daily", ColumnValues.FromMsat(changes.DailyLimit));
        }
        if (changes.Policy is { } policy)
        {
            set.Add("payment_policy = @policy");
            args.Add("policy", policy.ToString());
        }
        return set.Count == 0 ? GetCardAsync(cardId, ct) : UpdateCardAsync(cardId, string.Join(", ", set), args, ct);
    }
}
