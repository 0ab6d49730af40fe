using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Gateway;

/// <summary>
/// The HTTP side of provisioning: the BoltGate admin API (<c>POST /api/v1/cards</c>), the Bolt Card
/// Programmer deeplink protocol (POST <c>{"UID"}</c> to program, <c>{"LNURLW"}</c> to reset), and the
/// LNURL-withdraw check of a tap (GET the lnurlw URL as https, expect a withdrawRequest). Failures are
/// values with the server's words; the API key only ever goes into the Authorization header.
/// </summary>
public sealed class GatewayClient(HttpClient http)
{
    public async Task<KeyLookup> CreateCardAsync(Uri gateway, string apiKey, string name, string uid, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "api/v1/cards"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["name"] = name, ["uid"] = uid }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return await KeysFromAsync(request, "the gateway", ct).ConfigureAwait(false);
    }

    /// <summary>Deeplink program: <c>boltcard://program?url=...</c> → POST <c>{"UID": uid}</c>.</summary>
    public Task<KeyLookup> ProgramAsync(Uri programUrl, string uid, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, programUrl)
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["UID"] = uid.ToUpperInvariant() }),
        };
        return KeysFromAsync(request, "the programming URL", ct);
    }

    /// <summary>Deeplink reset: POST <c>{"LNURLW": url read from the card}</c>; the answer carries the keys to wipe with.</summary>
    public async Task<(KeySet? Keys, string? Error)> ResetAsync(Uri resetUrl, string lnurlw, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, resetUrl)
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["LNURLW"] = lnurlw }),
        };
        var (body, error) = await SendAsync(request, "the reset URL", ct).ConfigureAwait(false);
        if (body is null)
            return (null, error);
        return ProgrammerJson.TryParseWipe(body, out var keys, out _, out var parseError) ? (keys, null) : (null, parseError);
    }

    /// <summary>GETs the tap URL (lnurlw:// → https://, or http:// when <paramref name="plainHttp"/>) and checks for a LUD-03 withdrawRequest.</summary>
    public async Task<WithdrawCheck> CheckTapAsync(string lnurlw, bool plainHttp, CancellationToken ct)
    {
        if (!lnurlw.StartsWith("lnurlw://", StringComparison.OrdinalIgnoreCase))
            return new WithdrawCheck(false, null, "not an lnurlw:// URL");
        var url = (plainHttp ? "http://" : "https://") + lnurlw["lnurlw://".Length..];
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var (body, error) = await SendAsync(request, "the gateway", ct, acceptErrorStatus: true).ConfigureAwait(false);
        if (body is null)
            return new WithdrawCheck(false, null, error);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tag", out var tag) && tag.GetString() == "withdrawRequest"
                && root.TryGetProperty("callback", out var cb) && cb.ValueKind == JsonValueKind.String
                && root.TryGetProperty("k1", out var k1) && k1.ValueKind == JsonValueKind.String)
            {
                long? max = root.TryGetProperty("maxWithdrawable", out var m) && m.TryGetInt64(out var mv) ? mv : null;
                return new WithdrawCheck(true, max, null);
            }
            var reason = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reason", out var r) ? r.GetString() : null;
            return new WithdrawCheck(false, null, "the gateway refused the tap: " + (reason ?? body));
        }
        catch (JsonException)
        {
            return new WithdrawCheck(false, null, "the gateway did not answer JSON");
        }
    }

    private async Task<KeyLookup> KeysFromAsync(HttpRequestMessage request, string who, CancellationToken ct)
    {
        using (request)
        {
            var (body, error) = await SendAsync(request, who, ct).ConfigureAwait(false);
            if (body is null)
                return KeyLookup.Failed(error!);
            return ProgrammerJson.TryParseKeys(body, out var keys, out var parseError) ? KeyLookup.Found(keys) : KeyLookup.Failed(parseError);
        }
    }

    private async Task<(string? Body, string? Error)> SendAsync(HttpRequestMessage request, string who, CancellationToken ct, bool acceptErrorStatus = false)
    {
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && !(acceptErrorStatus && body.TrimStart().StartsWith('{')))
                return (null, $"{who} answered HTTP {(int)response.StatusCode}: {Shorten(body)}");
            return (body, null);
        }
        catch (HttpRequestException e)
        {
            return (null, $"cannot reach {who}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"{who} did not answer in time");
        }
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}

/// <summary>What the gateway said about a tap.</summary>
public sealed record WithdrawCheck(bool IsWithdrawRequest, long? MaxWithdrawableMsat, string? Problem);
