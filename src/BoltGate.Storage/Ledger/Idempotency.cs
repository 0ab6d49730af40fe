using BoltGate.Core.Money;
using BoltGate.Storage.Cards;

namespace BoltGate.Storage.Ledger;

/// <summary>
/// A caller's Idempotency-Key for a money operation and the fingerprint of its request (operation, card,
/// amount, note): the same key with another request is refused, never applied.
/// </summary>
/// <param name="Answer">What the caller is answered on success, rendered from the card and its day's usage in the same transaction; a replay gets exactly this.</param>
public sealed record IdempotencyClaim(string Key, string Fingerprint, Func<Card, Msat, string> Answer);

/// <summary>The outcome of a money operation under an Idempotency-Key.</summary>
public abstract record Once<T>
{
    private Once()
    {
    }

    /// <summary>The key was new: the operation ran now (and, when it succeeded, its answer is kept with the key).</summary>
    public sealed record Ran(T Result, string? Answer) : Once<T>;

    /// <summary>The key was used before for this same request: nothing moved; the first answer.</summary>
    public sealed record Replayed(string Answer) : Once<T>;

    /// <summary>The key was used before for a different request: nothing moved.</summary>
    public sealed record KeyReused : Once<T>;
}
