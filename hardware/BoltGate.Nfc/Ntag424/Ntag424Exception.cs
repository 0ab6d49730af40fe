namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// The card refused a command the tool expected to succeed, or its answer failed a MAC check. The
/// provisioning layer turns these into outcome values; messages never carry key material.
/// </summary>
public sealed class Ntag424Exception(string command, ushort statusWord, string? detail = null)
    : Exception($"{command}: {detail ?? StatusWords.Describe(statusWord)} (SW {statusWord:X4})")
{
    public string Command { get; } = command;

    public ushort StatusWord { get; } = statusWord;
}
