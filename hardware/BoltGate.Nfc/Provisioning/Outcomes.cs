namespace BoltGate.Nfc.Provisioning;

public enum ProvisionStatus
{
    /// <summary>The card now holds the target keys and content, verified.</summary>
    Done,

    /// <summary>Nothing was changed: the card or its keys did not allow it safely.</summary>
    Refused,

    /// <summary>The card left the reader (or the link broke) mid-way; run the same command again to finish.</summary>
    Interrupted,

    /// <summary>The card refused a step or failed verification; the journal keeps what is needed to retry.</summary>
    Failed,

    /// <summary>--dry-run: what would be done, nothing written.</summary>
    DryRun,
}

/// <summary>The result of a burn or wipe, as a value the CLI prints or serialises.</summary>
public sealed record ProvisionOutcome(ProvisionStatus Status, string? Uid, string Message, IReadOnlyList<string> Steps)
{
    public bool Resumed { get; init; }

    public TapReport? Tap { get; init; }

    public bool Succeeded => Status is ProvisionStatus.Done or ProvisionStatus.DryRun;
}

/// <summary>A tap read from the card and what checking it said.</summary>
public sealed record TapReport(string Url, bool Verified, string? Uid, uint Counter, string? Problem);

/// <summary>Where the card's keys come from for a burn: a value or a reason.</summary>
public sealed record KeyLookup(ProgrammingKeys? Keys, string? Error)
{
    public static KeyLookup Found(ProgrammingKeys keys) => new(keys, null);

    public static KeyLookup Failed(string error) => new(null, error);
}

/// <param name="KeyVersion">The key version written with the new keys when the key source does not name one (<see cref="ProgrammingKeys.KeyVersion"/>).</param>
public sealed record BurnOptions(bool DryRun = false, bool RandomUid = false, byte KeyVersion = 1);

/// <summary>What <c>info</c> shows about a card.</summary>
public sealed record CardInfo(
    string? Uid, bool UidHidden, string HardwareVersion, string SoftwareVersion, int ProductionYear, int ProductionWeek,
    IReadOnlyList<byte> KeyVersions, Ntag424.FileSettings NdefSettings, string? NdefUrl, string Kind);
