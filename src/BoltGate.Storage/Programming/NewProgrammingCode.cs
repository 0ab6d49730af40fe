namespace BoltGate.Storage.Programming;

/// <summary>A one-time programming code to store: only its SHA-256 (<paramref name="CodeHash"/>, hex) and what it grants.</summary>
public sealed record NewProgrammingCode(string CodeHash, ProgrammingGrant Grant, DateTimeOffset ExpiresAt);
