using System.Security.Cryptography;
using System.Text;
using BoltGate.Core.Crypto;
using BoltGate.Server.Configuration;

namespace BoltGate.Server.Secrets;

/// <summary>
/// Loads the secrets from configuration or from files under DataDir, creating missing files on first
/// run (mode 0600). What was generated is printed once to standard output, the only time it is shown.
/// </summary>
internal static class SecretFiles
{
    public const string IssuerKeyFile = "issuer.key";
    public const string AdminKeyFile = "admin.key";
    public const string DataKeyFile = "data.key";

    public static GatewaySecrets LoadOrCreate(GatewayOptions options, TextWriter announce)
    {
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);

        byte[] issuerKey;
        var createdIssuer = false;
        if (options.Issuer.Key is { Length: > 0 } configured)
        {
            issuerKey = Hex.TryDecode(configured, 16) ?? throw new InvalidOperationException("Issuer:Key must be 32 hex characters.");
        }
        else
        {
            (var text, createdIssuer) = ReadOrCreate(dataDir, IssuerKeyFile, () => Hex.Lower(RandomNumberGenerator.GetBytes(16)));
            issuerKey = Hex.TryDecode(text, 16)
                ?? throw new InvalidOperationException($"{Path.Combine(dataDir, IssuerKeyFile)} must hold 32 hex characters.");
        }

        string adminKey;
        var createdAdmin = false;
        if (options.Admin.ApiKey is { Length: > 0 } configuredAdmin)
            adminKey = configuredAdmin;
        else
            (adminKey, createdAdmin) = ReadOrCreate(dataDir, AdminKeyFile, () => "bg_" + Hex.Lower(RandomNumberGenerator.GetBytes(24)));

        var (dataKeyText, _) = ReadOrCreate(dataDir, DataKeyFile, () => Hex.Lower(RandomNumberGenerator.GetBytes(32)));
        var dataKey = Hex.TryDecode(dataKeyText, 32)
            ?? throw new InvalidOperationException($"{Path.Combine(dataDir, DataKeyFile)} must hold 64 hex characters.");

        if (createdIssuer || createdAdmin)
        {
            var banner = new StringBuilder();
            banner.AppendLine("==================================================================");
            banner.AppendLine("BoltGate first run: new secrets were created under " + dataDir + " (mode 0600).");
            if (createdAdmin)
                banner.AppendLine("Admin API key (shown once): " + adminKey);
            if (createdIssuer)
                // The issuer key itself is never printed: console output ends up in logs, and every
                // deterministic card's keys derive from it. Point at the file instead.
                banner.AppendLine("Issuer key created in " + Path.Combine(dataDir, IssuerKeyFile)
                    + ": back that file up, every card's keys derive from it.");
            banner.AppendLine("==================================================================");
            announce.Write(banner.ToString());
            announce.Flush();
        }
        return new GatewaySecrets(issuerKey, adminKey, dataKey);
    }

    private static (string Text, bool Created) ReadOrCreate(string dataDir, string fileName, Func<string> generate)
    {
        var path = Path.Combine(dataDir, fileName);
        if (File.Exists(path))
            return (File.ReadAllText(path).Trim(), false);
        var text = generate();
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(stream);
            writer.Write(text + "\n");
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance sharing DataDir created it first: use theirs.
            return (File.ReadAllText(path).Trim(), false);
        }
        return (text, true);
    }
}
