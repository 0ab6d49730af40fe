using System.Text.Json;
using BoltGate.Client;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Gateway;

/// <summary>
/// The HTTP side of provisioning: the BoltGate admin API (<c>POST /api/v1/cards</c>) and the Bolt Card
/// Programmer deeplink protocol (POST <c>{"UID"}</c> to program, <c>{"LNURLW"}</c> to reset), both through
/// <see cref="BoltGateClient"/>, and the LNURL-withdraw check of a tap (GET the lnurlw URL as https, expect
/// a withdrawRequest). Failures are values with the server's words; the API key only ever goes into the
/// Authorization header.
/// </summary>
public sealed class GatewayClient(HttpClient http)
{
    private readonly BoltGateClient _programming = new(http);

    public async Task<KeyLookup> CreateCardAsync(Uri gateway, string apiKey, string name, string uid, CancellationToken ct)
    {
        var (created, error) = await CallAsync(() =>
            new BoltGateClient(http, gateway, apiKey).CreateCardAsync(new CreateCardRequest(name, uid), ct),
            "the gateway", ct).ConfigureAwait(false);
        if (created is null)
            return KeyLookup.Failed(error!);
        return ProgrammerJson.TryBuild(created.Lnurlw, created.Keys.ToList(), created.KeyVersion, false, null, out var keys, out var problem)
            ? KeyLookup.Found(keys)
            : KeyLookup.Failed(problem);
    }

    /// <summary>Deeplink program: <c>boltcard://program?url=...</c> → POST <c>{"UID": uid}</c>.</summary>
    public async Task<KeyLookup> ProgramAsync(Uri programUrl, string uid, CancellationToken ct)
    {
        var (answer, error) = await CallAsync(() => _programming.ProgramAsync(programUrl, uid.ToUpperInvariant(), ct), "the programming URL", ct)
            .ConfigureAwait(false);
        if (answer is null)
            return KeyLookup.Failed(error!);
        var privacy = string.Equals(answer.UidPrivacy, "Y", StringComparison.OrdinalIgnoreCase);
        return ProgrammerJson.TryBuild(answer.Lnurlw, answer.Keys, answer.KeyVersion, privacy, null, out var keys, out var problem)
            ? KeyLookup.Found(keys)
            : KeyLookup.Failed(problem);
    }

    /// <summary>Deeplink reset: POST <c>{"LNURLW": url read from the card}</c>; the answer carries the keys to wipe with.</summary>
    public async Task<(KeySet? Keys, string? Error)> ResetAsync(Uri resetUrl, string lnurlw, CancellationToken ct)
    {
        var (answer, error) = await CallAsync(() => _programming.ResetAsync(resetUrl, lnurlw, ct), "the reset URL", ct).ConfigureAwait(false);
        if (answer is null)
            return (null, error);
        if (answer.Action is { } action && !string.Equals(action, "wipe", StringComparison.OrdinalIgnoreCase))
            return (null, $"The JSON's action is \"{action}\", not \"wipe\".");
        try
        {
            return (KeySet.FromHex(answer.Keys), null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
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

    /// <summary>One typed call, its refusal or transport failure turned into the words the tool prints.</summary>
    private static async Task<(T? Answer, string? Error)> CallAsync<T>(Func<Task<T>> call, string who, CancellationToken ct)
        where T : class
    {
        try
        {
            return (await call().ConfigureAwait(false), null);
        }
        catch (BoltGateApiException e)
        {
            return (null, $"{who} answered HTTP {(int)e.Status}: {e.Code}: {Shorten(e.Message)}");
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
