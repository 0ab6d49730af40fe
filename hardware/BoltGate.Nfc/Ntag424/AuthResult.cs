namespace BoltGate.Nfc.Ntag424;

/// <summary>Outcome of an authentication attempt: the card accepted the key, or answered with a status word.</summary>
public readonly record struct AuthResult(bool Succeeded, ushort StatusWord)
{
    public static AuthResult Success { get; } = new(true, StatusWords.Ok);

    public static AuthResult Rejected(ushort statusWord) => new(false, statusWord);

    public override string ToString() => Succeeded ? "authenticated" : StatusWords.Describe(StatusWord);
}
