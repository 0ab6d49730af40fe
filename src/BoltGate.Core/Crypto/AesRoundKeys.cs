using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BoltGate.Core.Crypto;

/// <summary>The eleven 128-bit round keys of AES-128, stored inline (stack or object field).</summary>
[InlineArray(Count)]
internal struct AesRoundKeys : IAesBlockEncryptor
{
    internal const int Count = 11;

    private Vector128<byte> _element0;

    public Vector128<byte> Encrypt(Vector128<byte> block) => AesNi.Encrypt(block, ref this);
}
