using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BoltGate.Core.Crypto;

namespace BoltGate.Testing.Fuzzing;

/// <summary>
/// Sends generated and mutated requests over every route of a running gateway: valid ones (real taps, their
/// k1s, invoices the simulated node pays, known card ids and codes), mutated ones (flipped hex, wrong types,
/// huge and negative numbers, truncated or deep JSON, wrong Content-Type, other methods, wrong or no key)
/// and junk. Every answer is checked as it comes (<see cref="FuzzReport"/>); money is checked afterwards
/// by the caller (<see cref="MoneyCheck"/>).
/// </summary>
public sealed class RequestFuzzer
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    private static readonly string[] ContentTypes = ["application/json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-16", "multipart/form-data"];
    private static readonly string[] Junk = ["", " ", "null", "0", "-1", "9223372036854775807", "99999999999999999999999", "1e309", "NaN", "true",
        "%00", "%2F..%2F", "' OR 1=1 --", "<script>", "\u202e", "😀", new string('a', 300), "0x10", "[]", "{}", "\"\"", "ZZ"];

    private readonly HttpClient _http;
    private readonly string _adminKey;
    private readonly IReadOnlyList<FuzzRoute> _routes;
    private readonly FuzzState _state;
    private readonly FuzzReport _report = new();
    private long _retries;

    public RequestFuzzer(HttpClient http, string adminKey, IReadOnlyList<FuzzRoute> routes, FuzzState state)
    {
        _http = http;
        _adminKey = adminKey;
        _routes = routes;
        _state = state;
    }

    public FuzzReport Report => _report;

    /// <summary>Sends <paramref name="requests"/> requests from <paramref name="workers"/> concurrent workers, seeded for repeatability.</summary>
    public async Task<FuzzReport> RunAsync(int requests, int workers, int seed, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 7919 + w);
            while (Interlocked.Increment(ref next) < requests && !ct.IsCancellationRequested)
                await OneAsync(random, PickRoute(random), ct).ConfigureAwait(false);
        }, ct))).ConfigureAwait(false);
        return _report;
    }

    /// <summary>
    /// Any route alike, except that one request in eight is a withdrawal callback: with seventy-odd routes a uniform pick
    /// reached the callback so rarely that a short run could end without one withdrawal, and money is what the run checks.
    /// </summary>
    private FuzzRoute PickRoute(Random random) =>
        random.Next(8) == 0 && _routes.FirstOrDefault(r => r.Template == "/ln/callback") is { } callback
            ? callback
            : _routes[random.Next(_routes.Count)];

    private async Task OneAsync(Random random, FuzzRoute route, CancellationToken ct)
    {
        var mode = random.Next(10); // 0-3 valid, 4-7 mutated, 8-9 junk
        var method = random.Next(12) == 0 ? Methods[random.Next(Methods.Length)] : route.Method;
        var path = FillPath(random, route.Template, mode);
        var query = await QueryAsync(random, route, mode, ct).ConfigureAwait(false);
        var auth = random.Next(10);
        var withAuth = !route.SpeaksLnurl || route.Template.StartsWith("/api", StringComparison.Ordinal) || random.Next(8) == 0;
        var wrongKey = Mutate(random, _adminKey);
        var sendBody = method is "POST" or "PUT" or "PATCH" || random.Next(20) == 0;
        var body = sendBody ? Body(random, route, mode) : [];
        var type = mode < 4 ? "application/json" : ContentTypes[random.Next(ContentTypes.Length)];
        HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(new HttpMethod(method), path + query);
            if (withAuth && auth < 8)
                message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _adminKey);
            else if (withAuth && auth == 8)
                message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + wrongKey);
            if (sendBody)
            {
                var content = new ByteArrayContent(body);
                if (type.Length > 0)
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                else
                    content.Headers.ContentType = null;
                message.Content = content;
            }
            return message;
        }
        using var request = Build();
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.Unknown)
        {
            // A pooled keep-alive connection the server had just closed (after refusing another request's body): once more, fresh.
            response = await RetriedAsync(Build, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (request.Content?.Headers.ContentLength > 16 * 1024)
        {
            // Kestrel answers 413 before reading a body above the limit and then drops the connection mid-upload.
            _report.Count(route, 413);
            return;
        }
        if (response is null)
        {
            _report.Count(route, 599);
            _report.Violation($"{method} {path}{query}: no answer, twice (body {body.Length} bytes, type '{type}', sent {sendBody}: {Shorten(Encoding.UTF8.GetString(body))})");
            return;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            _report.Count(route, status);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            Check(route, method, path + query, status, text, response);
            await LearnAsync(route, method, status, text).ConfigureAwait(false);
        }
    }

    private void Check(FuzzRoute route, string method, string url, int status, string text, HttpResponseMessage response)
    {
        var what = $"{method} {Shorten(url)} -> {status}";
        if (status >= 500)
            _report.Violation(what + " (5xx): " + Shorten(text));
        if (method == "HEAD" || status == 204)
            return;
        if (route.SpeaksLnurl && !url.StartsWith("/api", StringComparison.Ordinal))
        {
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
                _report.Violation(what + ": an LNURL answer that is not JSON: " + Shorten(text));
                return;
            }
            var isError = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
                && s.GetString() == "ERROR";
            if (isError)
            {
                _report.LnurlError();
                if (!NonEmpty(json, "reason") || !NonEmpty(json, "code"))
                    _report.Violation(what + ": an ERROR without reason and code: " + Shorten(text));
            }
            else if (status >= 300)
            {
                _report.Violation(what + ": an LNURL refusal not in the ERROR form: " + Shorten(text));
            }
            return;
        }
        if (status >= 400)
        {
            if (text.Length == 0)
            {
                _report.Violation(what + ": a refusal without a body");
                return;
            }
            // Pages for people (the console, /balance, the API reference and document) answer in HTML or text;
            // the code rule is the API's.
            if (!url.StartsWith("/api", StringComparison.Ordinal))
                return;
            try
            {
                var json = JsonDocument.Parse(text).RootElement;
                if (!NonEmpty(json, "code"))
                    _report.Violation(what + ": a refusal without a code: " + Shorten(text));
            }
            catch (JsonException)
            {
                _report.Violation(what + ": a refusal that is not JSON: " + Shorten(text));
            }
        }
        _ = response;
    }

    /// <summary>Keeps what valid answers hand out (k1s, card ids, withdrawal ids, codes) for later requests.</summary>
    private async Task LearnAsync(FuzzRoute route, string method, int status, string text)
    {
        if (status is < 200 or >= 300 || text.Length == 0 || text[0] != '{')
            return;
        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            if (json.TryGetProperty("k1", out var k1) && k1.ValueKind == JsonValueKind.String)
                _state.K1s.Enqueue(k1.GetString()!);
            if (route.Template == "/api/v1/programming-links" && json.TryGetProperty("code", out var code))
                _state.Codes.Enqueue(code.GetString()!);
            if (json.TryGetProperty("withdrawals", out _) || (route.Template.EndsWith("/withdrawals", StringComparison.Ordinal) && method == "GET"))
                return;
        }
        catch (JsonException)
        {
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string FillPath(Random random, string template, int mode)
    {
        var path = template;
        while (path.IndexOf('{', StringComparison.Ordinal) is var start and >= 0)
        {
            var end = path.IndexOf('}', start);
            var name = path[(start + 1)..end];
            string value = mode < 6
                ? name.Contains("id", StringComparison.OrdinalIgnoreCase) && template.Contains("withdrawals", StringComparison.Ordinal)
                    ? _state.WithdrawalId(random) ?? Hex.Lower(Bytes(random, 16))
                    : _state.CardId(random)
                : Uri.EscapeDataString(Junk[random.Next(Junk.Length)]);
            path = path[..start] + (value.Length == 0 ? "x" : value) + path[(end + 1)..];
        }
        return path;
    }

    private async Task<HttpResponseMessage?> RetriedAsync(Func<HttpRequestMessage> build, CancellationToken ct)
    {
        Interlocked.Increment(ref _retries);
        using var again = build();
        again.Headers.ConnectionClose = true;
        try
        {
            return await _http.SendAsync(again, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Requests sent twice because a pooled connection had been closed under them.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>A real tap's k1 (the tap counts as one more request), or null when the card offers nothing.</summary>
    private async Task<string?> OfferAsync(Random random, CancellationToken ct)
    {
        var (p, c) = _state.Tap(random);
        var tap = new FuzzRoute("GET", "/ln");
        HttpRequestMessage Build() => new(HttpMethod.Get, $"/ln?p={p}&c={c}");
        HttpResponseMessage? answer;
        try
        {
            using var first = Build();
            answer = await _http.SendAsync(first, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The same closed keep-alive connection as in OneAsync: once more, fresh.
            answer = await RetriedAsync(Build, ct).ConfigureAwait(false);
        }
        if (answer is null)
        {
            _report.Count(tap, 599);
            _report.Violation($"GET /ln?p={p}: no answer, twice");
            return null;
        }
        using var response = answer;
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        _report.Count(tap, (int)response.StatusCode);
        Check(tap, "GET", "/ln?p=" + p, (int)response.StatusCode, text, response);
        try
        {
            return JsonDocument.Parse(text).RootElement.TryGetProperty("k1", out var k1) ? k1.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<string> QueryAsync(Random random, FuzzRoute route, int mode, CancellationToken ct)
    {
        var parts = new List<string>();
        switch (route.Template)
        {
            case "/ln":
            {
                var (p, c) = _state.Tap(random);
                if (mode >= 4 && mode < 8)
                    (p, c) = random.Next(2) == 0 ? (Mutate(random, p), c) : (p, Mutate(random, c));
                if (mode >= 8)
                    (p, c) = (Junk[random.Next(Junk.Length)], Junk[random.Next(Junk.Length)]);
                parts.Add("p=" + Uri.EscapeDataString(p));
                if (random.Next(20) != 0)
                    parts.Add("c=" + Uri.EscapeDataString(c));
                if (random.Next(30) == 0)
                    parts.Add("p=" + p);
                break;
            }
            case "/ln/callback":
            {
                var k1 = _state.K1s.TryDequeue(out var known) ? known : await OfferAsync(random, ct).ConfigureAwait(false) ?? Hex.Lower(Bytes(random, 16));
                var pr = _state.Invoice(random);
                if (mode >= 4 && mode < 8)
                    (k1, pr) = random.Next(2) == 0 ? (Mutate(random, k1), pr) : (k1, Mutate(random, pr));
                if (mode >= 8)
                    (k1, pr) = (Junk[random.Next(Junk.Length)], Junk[random.Next(Junk.Length)]);
                parts.Add("k1=" + Uri.EscapeDataString(k1));
                parts.Add("pr=" + Uri.EscapeDataString(pr));
                if (random.Next(4) == 0)
                    parts.Add("pin=" + (random.Next(3) == 0 ? Junk[random.Next(Junk.Length)] : random.Next(10_000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture)));
                break;
            }
            default:
                if (route.Template.StartsWith("/programming", StringComparison.Ordinal))
                    parts.Add("code=" + Uri.EscapeDataString(mode < 4 && _state.Codes.TryDequeue(out var code) ? code : Junk[random.Next(Junk.Length)]));
                else if (route.Template.StartsWith("/ln/", StringComparison.Ordinal) || mode >= 8)
                    parts.Add(Uri.EscapeDataString(Junk[random.Next(Junk.Length)]) + "=" + Uri.EscapeDataString(Junk[random.Next(Junk.Length)]));
                break;
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private byte[] Body(Random random, FuzzRoute route, int mode)
    {
        var valid = ValidBody(random, route.Template);
        if (mode < 4)
            return Encoding.UTF8.GetBytes(valid);
        if (mode >= 8)
        {
            return random.Next(6) switch
            {
                0 => Bytes(random, random.Next(1, 512)),
                1 => Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)),
                2 => Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 20_000) + "\"}"),
                3 => [],
                4 => Encoding.UTF8.GetBytes(Junk[random.Next(Junk.Length)]),
                _ => Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101)),
            };
        }
        return Encoding.UTF8.GetBytes(MutateJson(random, valid));
    }

    private string ValidBody(Random random, string template) => template switch
    {
        "/api/v1/cards" => random.Next(2) == 0
            ? $"{{\"name\":\"fuzz\",\"uid\":\"04{Hex.Lower(Bytes(random, 6))}\",\"perTapLimitSat\":{random.Next(1, 100_000)}}}"
            : "{\"name\":\"fuzz random\"}",
        "/api/v1/cards/import" => $"{{\"name\":\"imp\",\"k0\":\"{Hex.Lower(Bytes(random, 16))}\",\"k1\":\"{Hex.Lower(Bytes(random, 16))}\",\"k2\":\"{Hex.Lower(Bytes(random, 16))}\",\"k3\":\"{Hex.Lower(Bytes(random, 16))}\",\"k4\":\"{Hex.Lower(Bytes(random, 16))}\"}}",
        _ when template.EndsWith("/credit", StringComparison.Ordinal) || template.EndsWith("/debit", StringComparison.Ordinal) =>
            $"{{\"amountSat\":{random.Next(1, 5_000)},\"reason\":\"fuzz\"}}",
        _ when template.EndsWith("/limits", StringComparison.Ordinal) => $"{{\"perTapLimitSat\":{random.Next(0, 50_000)},\"dailyLimitSat\":null}}",
        _ when template.EndsWith("/pin", StringComparison.Ordinal) => $"{{\"pin\":\"{random.Next(10_000):0000}\",\"pinLimitSat\":{random.Next(0, 100)}}}",
        _ when template.EndsWith("/payment-policy", StringComparison.Ordinal) => random.Next(2) == 0 ? "{\"policy\":\"FastFail\"}" : "{\"policy\":\"GradedRetry\"}",
        _ when template.EndsWith("/cancel", StringComparison.Ordinal) => "{\"reason\":\"fuzz\"}",
        "/api/v1/programming-links" => "{\"name\":\"fuzz link\",\"perTapLimitSat\":1000,\"expiresInMinutes\":30}",
        "/api/v1/dev/invoices" => $"{{\"amountSat\":{random.Next(1, 2_000)},\"description\":\"fuzz\"}}",
        "/programming/program" => $"{{\"uid\":\"04{Hex.Lower(Bytes(random, 6))}\"}}",
        "/programming/reset" => "{\"lnurlw\":\"lnurlw://pay.example.test/ln?p=00&c=00\"}",
        _ => "{}",
    };

    private static string MutateJson(Random random, string json)
    {
        switch (random.Next(8))
        {
            case 0:
                return json[..random.Next(json.Length)];
            case 1:
            {
                var i = random.Next(json.Length);
                return json[..i] + (char)random.Next(32, 127) + json[i..];
            }
            case 2:
                return System.Text.RegularExpressions.Regex.Replace(json, "[0-9]+", _ => Junk[random.Next(1, 8)]);
            case 3:
                return System.Text.RegularExpressions.Regex.Replace(json, "\"[^\"]*\":\"[^\"]*\"", m => m.Value[..(m.Value.IndexOf(':') + 1)] + "12345");
            case 4:
                return json.Replace("{", "{\"name\":\"dup\",", StringComparison.Ordinal);
            case 5:
                return "[" + json + "]";
            case 6:
                return System.Text.RegularExpressions.Regex.Replace(json, "[0-9]+", "-" + random.Next(1, int.MaxValue));
            default:
                return System.Text.RegularExpressions.Regex.Replace(json, ":\"[^\"]*\"", ":\"" + Junk[random.Next(Junk.Length)].Replace("\"", "", StringComparison.Ordinal) + "\"");
        }
    }

    /// <summary>Changes one character of <paramref name="value"/> (a hex digit stays a hex digit half the time).</summary>
    private static string Mutate(Random random, string value)
    {
        if (value.Length == 0)
            return "0";
        var chars = value.ToCharArray();
        var i = random.Next(chars.Length);
        chars[i] = random.Next(2) == 0 ? "0123456789abcdef"[random.Next(16)] : (char)random.Next(33, 127);
        return random.Next(10) == 0 ? new string(chars) + "00" : new string(chars);
    }

    private static byte[] Bytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }

    private static bool NonEmpty(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && !string.IsNullOrEmpty(v.GetString());

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}

/// <summary>What the fuzzer knows of the gateway: its cards (with keys, to make real taps), k1s, invoices, withdrawals, codes.</summary>
public sealed class FuzzState
{
    private readonly List<(TestCard Card, long[] Counter)> _cards = [];
    private readonly List<string> _invoices = [];
    private readonly List<string> _withdrawals = [];

    public ConcurrentQueue<string> K1s { get; } = new();

    public ConcurrentQueue<string> Codes { get; } = new();

    public void AddCard(TestCard card) => _cards.Add((card, [0]));

    public void AddInvoice(string bolt11) => _invoices.Add(bolt11);

    public void AddWithdrawal(string id)
    {
        lock (_withdrawals)
            _withdrawals.Add(id);
    }

    public string CardId(Random random) => _cards[random.Next(_cards.Count)].Card.Id;

    public string? WithdrawalId(Random random)
    {
        lock (_withdrawals)
            return _withdrawals.Count == 0 ? null : _withdrawals[random.Next(_withdrawals.Count)];
    }

    public string Invoice(Random random) => _invoices[random.Next(_invoices.Count)];

    /// <summary>A real tap of a known card, counters going up (a few replay an old one).</summary>
    public (string P, string C) Tap(Random random)
    {
        var (card, counter) = _cards[random.Next(_cards.Count)];
        var next = random.Next(15) == 0 ? Math.Max(1, Interlocked.Read(ref counter[0]) - 1) : Interlocked.Increment(ref counter[0]);
        return card.Tap((uint)next);
    }
}
