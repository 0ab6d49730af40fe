namespace BoltGate.Storage.Cards;

/// <summary>The card's PIN state after a wrong PIN was recorded.</summary>
public sealed record PinAttempt(int Failures, bool Locked);
