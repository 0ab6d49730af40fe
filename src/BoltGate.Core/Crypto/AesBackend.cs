using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace BoltGate.Core.Crypto;

/// <summary>
/// Chooses between the AES-NI path (x86 <c>AESENC</c>/<c>AESDEC</c> on a key schedule expanded once)
/// and the portable path (the platform's <see cref="System.Security.Cryptography.Aes"/>, which is
/// correct everywhere and hardware-backed through OpenSSL/CNG where the CPU allows).
/// </summary>
internal static class AesBackend
{
    /// <summary>True when this CPU has AES-NI (JIT-time constant).</summary>
    internal static readonly bool HardwareSupported = X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>
    /// Test switch: forces the portable path so the two implementations can be compared on the
    /// same machine. Never set outside tests.
    /// </summary>
    internal static bool ForcePortable { get; set; }

    internal static bool UseHardware => HardwareSupported && !ForcePortable;
}
