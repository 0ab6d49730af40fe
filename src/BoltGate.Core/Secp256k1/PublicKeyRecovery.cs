namespace BoltGate.Core.Secp256k1;

/// <summary>
/// The recovery every BOLT11 decode uses: native libsecp256k1 when it loads and agrees with the managed
/// code, else the managed code. Chosen once per process.
/// </summary>
public static class PublicKeyRecovery
{
    private static readonly Lazy<(IPublicKeyRecovery Recovery, string? WhyNotNative)> Chosen = new(() =>
    {
        var native = NativeRecovery.TryCreate(out var whyNot);
        return native is not null ? (native, null) : (ManagedRecovery.Instance, whyNot);
    });

    public static IPublicKeyRecovery Default => Chosen.Value.Recovery;

    /// <summary>Why the managed code is in use (null when native is): for the start-up log and the tests.</summary>
    public static string? WhyNotNative => Chosen.Value.WhyNotNative;
}
