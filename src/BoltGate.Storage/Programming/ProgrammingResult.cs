using BoltGate.Storage.Cards;

namespace BoltGate.Storage.Programming;

/// <summary>The outcome of redeeming a programming code: the card as it now is, or why nothing changed.</summary>
public abstract record ProgrammingResult
{
    private ProgrammingResult()
    {
    }

    /// <summary>The code is spent and <paramref name="Card"/> was created, re-keyed or reset in the same transaction.</summary>
    public sealed record Done(Card Card, ProgrammingGrant Grant) : ProgrammingResult;

    public sealed record Refused(ProgrammingRefusal Reason) : ProgrammingResult;
}
