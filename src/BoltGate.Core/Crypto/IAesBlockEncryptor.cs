using System.Runtime.Intrinsics;

namespace BoltGate.Core.Crypto;

/// <summary>
/// One AES-128 block encryption under an already prepared key. Implemented by structs so generic
/// code (CMAC) is specialised per implementation by the JIT, with no virtual calls.
/// </summary>
internal interface IAesBlockEncryptor
{
    Vector128<byte> Encrypt(Vector128<byte> block);
}
