using System.Security.Cryptography;
using System.Text;
using BoltGate.Core.Crypto;

namespace BoltGate.Server.Programming;

/// <summary>
/// A one-time programming code: 128 random bits as 32 hex characters in the links; the database only
/// sees its SHA-256, so a copy of the database cannot redeem codes still waiting to be used.
/// </summary>
public static class ProgrammingCode
{
    public static string New() => Hex.Lower(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string code) => Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToLowerInvariant())));
}
