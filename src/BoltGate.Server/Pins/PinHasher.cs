using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BoltGate.Server.Pins;

/// <summary>
/// PBKDF2-SHA256 PIN hashes, stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64). Compared in
/// constant time. A 4-digit PIN has only 10,000 values, so the real protection is the wrong-try lock;
/// the hash keeps PINs out of a leaked database in the clear.
/// </summary>
public static class PinHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 100_000;
    private const int SaltLength = 16;
    private const int HashLength = 32;

    /// <summary>A PIN is 4 to 8 ASCII digits (LUD-21 asks for 4).</summary>
    public static bool IsWellFormed(string? pin) =>
        pin is { Length: >= 4 and <= 8 } && pin.All(char.IsAsciiDigit);

    public static string Hash(string pin)
    {
        if (!IsWellFormed(pin))
            throw new ArgumentException("A PIN is 4 to 8 digits.", nameof(pin));
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, Iterations, HashAlgorithmName.SHA256, HashLength);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt),
            Convert.ToBase64String(hash));
    }

    public static bool Verify(string? pin, string stored)
    {
        if (pin is null || !IsWellFormed(pin))
            return false;
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
