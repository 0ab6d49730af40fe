using System.Globalization;
using System.Text.RegularExpressions;
using BoltGate.Server.Configuration;

namespace BoltGate.Server.Pages.Console;

/// <summary>The effective options, read-only; keys, passwords, macaroons and runes masked.</summary>
public sealed partial class ConfigModel(GatewayOptions options) : ConsolePageModel
{
    public const string Masked = "•••••• (set)";

    public IReadOnlyList<(string Key, string Value)> Rows { get; private set; } = [];

    public void OnGet()
    {
        var rows = new List<(string, string)>();
        Walk(options, "", rows);
        Rows = rows;
    }

    private static void Walk(object section, string prefix, List<(string, string)> rows)
    {
        foreach (var p in section.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            var key = prefix + p.Name;
            var value = p.GetValue(section);
            if (value is not null && p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.PropertyType.Namespace?.StartsWith("BoltGate", StringComparison.Ordinal) == true)
            {
                Walk(value, key + ":", rows);
                continue;
            }
            rows.Add((key, Show(key, value)));
        }
    }

    private static string Show(string key, object? value)
    {
        var text = value is null ? "" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (key.EndsWith(":ApiKey", StringComparison.Ordinal) || key.EndsWith("Issuer:Key", StringComparison.Ordinal) || key.Contains("DataKey", StringComparison.Ordinal))
            return text.Length == 0 ? "•••••• (generated under DataDir)" : Masked;
        if (value is null)
            return "(not set)";
        return SecretPart().Replace(text, m => m.Groups[1].Value + "=••••••");
    }

    /// <summary>key=value parts of connection strings that carry a secret.</summary>
    [GeneratedRegex(@"((?:password|pwd|macaroon|macaroonhex|rune|secret|apikey|api-key|token)[a-z]*)=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPart();
}
