using System.Text.Json;

namespace BoltGate.Nfc.Provisioning;

/// <summary>
/// Reads the Bolt Card Programmer app's JSON: the create response (<c>lnurlw_base</c>, <c>k0</c>..<c>k4</c>,
/// <c>uid_privacy</c>, <c>card_name</c>), the deeplink response (<c>LNURLW</c>, <c>K0</c>..<c>K4</c>),
/// the BoltGate admin API's card (<c>lnurlw</c>, <c>keys.k0</c>.., <c>keyVersion</c>) and the wipe JSON
/// (<c>action: wipe</c>, <c>k0</c>..<c>k4</c>). Field names in either case, as the app accepts them.
/// Errors are values: <c>{"status":"ERROR","reason"}</c> or missing fields give a reason, never an exception.
/// </summary>
public static class ProgrammerJson
{
    public static bool TryParseKeys(string json, out ProgrammingKeys keys, out string error)
    {
        keys = null!;
        if (!TryObject(json, out var root, out error))
            return false;
        if (Status(root) is { } reason)
        {
            error = reason;
            return false;
        }
        var keyHolder = Get(root, "keys") is { ValueKind: JsonValueKind.Object } nested ? nested : root;
        var hex = Enumerable.Range(0, 5).Select(i => Str(keyHolder, $"k{i}")).ToList();
        var lnurlw = Str(root, "lnurlw_base") ?? Str(root, "lnurlw");
        int? keyVersion = null;
        if (Get(root, "keyVersion") is { } v)
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            {
                error = $"The issuer's keyVersion {v.GetRawText()} cannot be written to the card: it must be 1..255 (0 marks a blank card).";
                return false;
            }
            keyVersion = n;
        }
        var privacy = string.Equals(Str(root, "uid_privacy"), "Y", StringComparison.OrdinalIgnoreCase);
        return TryBuild(lnurlw, hex, keyVersion, privacy, Str(root, "card_name") ?? Str(root, "name"), out keys, out error);
    }

    /// <summary>
    /// Keys to burn from an issuer's answer already read (a typed API answer or the JSON above): the
    /// lnurlw base (a template's p/c dropped), K0..K4 in hex, the issuer's key version when it names one.
    /// </summary>
    public static bool TryBuild(string? lnurlw, IReadOnlyList<string?> hex, int? keyVersion, bool uidPrivacy, string? cardName,
        out ProgrammingKeys keys, out string error)
    {
        keys = null!;
        error = "";
        if (lnurlw is null || hex.Count != 5 || hex.Any(h => h is null))
        {
            error = "The JSON must contain lnurlw_base (or LNURLW) and k0, k1, k2, k3, k4.";
            return false;
        }
        // The card's key version byte must carry the issuer's version: 0 would make the card look
        // blank (to this tool and to the Bolt Card apps) and the byte holds no more than 255.
        if (keyVersion is < 1 or > 255)
        {
            error = $"The issuer's keyVersion {keyVersion} cannot be written to the card: it must be 1..255 (0 marks a blank card).";
            return false;
        }
        try
        {
            keys = new ProgrammingKeys(KeySet.FromHex(hex), StripTemplate(lnurlw), uidPrivacy, cardName, (byte?)keyVersion);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The wipe JSON. As in the app, a missing key means 00…00; <c>action</c> must be "wipe" when present.</summary>
    public static bool TryParseWipe(string json, out KeySet keys, out string? uid, out string error)
    {
        keys = KeySet.Factory;
        uid = null;
        if (!TryObject(json, out var root, out error))
            return false;
        if (Status(root) is { } reason)
        {
            error = reason;
            return false;
        }
        var action = Str(root, "action");
        if (action is not null && !string.Equals(action, "wipe", StringComparison.OrdinalIgnoreCase))
        {
            error = $"The JSON's action is \"{action}\", not \"wipe\".";
            return false;
        }
        var keyHolder = Get(root, "keys") is { ValueKind: JsonValueKind.Object } nested ? nested : root;
        var hex = Enumerable.Range(0, 5).Select(i => Str(keyHolder, $"k{i}") ?? new string('0', 32)).ToList();
        uid = Str(root, "uid");
        try
        {
            keys = KeySet.FromHex(hex.Cast<string?>().ToList());
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Writes the wipe JSON for a card (what <c>burn --save-wipe</c> hands the operator).</summary>
    public static string WriteWipe(KeySet keys, string uid)
    {
        var hex = keys.ToHex();
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 1,
            ["action"] = "wipe",
            ["uid"] = uid,
            ["k0"] = hex[0],
            ["k1"] = hex[1],
            ["k2"] = hex[2],
            ["k3"] = hex[3],
            ["k4"] = hex[4],
        });
    }

    /// <summary>Servers may hand out a full LNURLW with p/c already in it; keep only the base.</summary>
    private static string StripTemplate(string url)
    {
        var q = url.IndexOf("?p=", StringComparison.OrdinalIgnoreCase);
        if (q < 0)
            q = url.IndexOf("&p=", StringComparison.OrdinalIgnoreCase);
        return q < 0 ? url : url[..q];
    }

    private static bool TryObject(string json, out JsonElement root, out string error)
    {
        root = default;
        error = "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The JSON is not an object.";
                return false;
            }
            root = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException e)
        {
            error = "Not valid JSON: " + e.Message;
            return false;
        }
    }

    private static string? Status(JsonElement root) =>
        string.Equals(Str(root, "status"), "ERROR", StringComparison.OrdinalIgnoreCase)
            ? "The server answered: " + (Str(root, "reason") ?? "error without a reason")
            : null;

    private static JsonElement? Get(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value;
        }
        return null;
    }

    private static string? Str(JsonElement obj, string name) => Get(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };
}
