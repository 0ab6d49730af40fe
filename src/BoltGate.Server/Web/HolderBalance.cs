using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Core.Sun;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;
using Microsoft.AspNetCore.WebUtilities;

namespace BoltGate.Server.Web;

/// <summary>What a holder sees after a good tap: nothing that names the card, only what is on it.</summary>
public sealed record HolderView(Msat Balance, Msat Held, Msat? DailyRemaining, IReadOnlyList<Withdrawal> Recent);

/// <summary>
/// The holder's balance check (<c>/balance</c>): the URL a tap produced is verified like a payment's
/// tap (p decrypts to a known card, c verifies, the counter must advance, and advancing it uses the tap
/// up) but no withdrawal is ever opened. Every refusal reads the same whether or not the card exists, and
/// checks are limited per address and per card.
/// </summary>
public sealed class HolderBalance(TapResolver taps, BoltGateStore store, ConsoleLimits limits, TimeProvider time)
{
    public const string NotVerified = "This tap could not be verified. Tap your card again and use the new link.";
    public const string TooMany = "Too many balance checks; wait a minute and try again.";

    public async Task<(HolderView? View, string? Refusal)> CheckAsync(string? tapUrl, string address, CancellationToken ct)
    {
        if (!limits.BalanceByAddress.TryTake(address))
            return (null, TooMany);
        if (!TryReadTap(tapUrl, out var tap))
            return (null, "Paste the whole link your card gave (it contains p= and c=).");
        var (match, _) = await taps.ResolveAsync(tap, ct).ConfigureAwait(false);
        if (match is null)
            return (null, NotVerified);
        if (!limits.BalanceByCard.TryTake(match.Card.Id))
            return (null, TooMany);
        if (!await store.ConsumeCounterAsync(match.Card.Id, match.Counter, ct).ConfigureAwait(false))
            return (null, NotVerified);
        var card = await store.GetCardAsync(match.Card.Id, ct).ConfigureAwait(false) ?? match.Card;
        var recent = await store.ListWithdrawalsAsync(card.Id, 5, ct).ConfigureAwait(false);
        var held = recent.Where(w => w.State is WithdrawalState.Reserved or WithdrawalState.Sending or WithdrawalState.InFlight)
            .Aggregate(Msat.Zero, (sum, w) => sum + w.Reserved);
        Msat? remaining = null;
        if (card.DailyLimit is { } daily)
        {
            var left = daily - await store.GetDailyUsageAsync(card.Id, time.GetUtcNow(), ct).ConfigureAwait(false);
            remaining = left.IsNegative ? Msat.Zero : left;
        }
        return (new HolderView(card.Balance, held, remaining, recent), null);
    }

    /// <summary>p and c from the URL (lnurlw://, https://, or only its query), each exactly once.</summary>
    public static bool TryReadTap(string? url, out SunTap tap)
    {
        tap = default;
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048)
            return false;
        var text = url.Trim();
        var q = text.IndexOf('?', StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(q >= 0 ? text[q..] : "?" + text);
        return query.TryGetValue("p", out var p) && p.Count == 1 && query.TryGetValue("c", out var c) && c.Count == 1
            && SunTap.TryParse(p[0], c[0], out tap);
    }
}
