using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BoltGate.Lightning.Lnd;

/// <summary>
/// LND over its REST proxy: <c>POST /v2/router/send</c> read as NDJSON with our own read deadline
/// (lnd #9881: the stream can hang after a timeout), <c>GET /v2/router/track/{hash}</c> to look a
/// payment up, getinfo, invoices and route queries. Wire facts: shared/spec/lightning-backends.md §1.
/// </summary>
public sealed class LndRestClient : ILightningNode, IPaymentFollower
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly LndRestOptions _options;
    private readonly ILogger _log;

    public LndRestClient(LightningConnectionString.LndRest settings, TimeProvider time, ILogger<LndRestClient>? logger = null, LndRestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new LndRestOptions();
        _log = (ILogger?)logger ?? NullLogger.Instance;

        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (settings.Server.Scheme == Uri.UriSchemeHttps && LndTls.Callback(settings) is { } callback)
            handler.SslOptions.RemoteCertificateValidationCallback = callback;
        _http = new HttpClient(handler) { BaseAddress = settings.Server, Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Macaroon is { } macaroon)
        {
            try
            {
                _http.DefaultRequestHeaders.Add("Grpc-Metadata-macaroon", macaroon.ReadHex());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LightningNodeException($"Cannot read the LND {macaroon}: {ex.Message}", ex);
            }
        }
    }

    public async Task<NodeInfo> GetInfoAsync(CancellationToken ct)
    {
        using var json = await GetJsonAsync("v1/getinfo", ct).ConfigureAwait(false);
        var root = json.RootElement;
        var networkName = "";
        if (root.TryGetProperty("chains", out var chains) && chains.ValueKind == JsonValueKind.Array && chains.GetArrayLength() > 0)
            networkName = LndJson.String(chains[0], "network");
        var network = networkName switch
        {
            "mainnet" => BitcoinNetwork.Mainnet,
            "testnet" or "testnet4" => BitcoinNetwork.Testnet,
            "signet" => BitcoinNetwork.Signet,
            "regtest" => BitcoinNetwork.Regtest,
            _ => throw new LightningNodeException($"lnd reports an unsupported network '{networkName}'."),
        };
        return new NodeInfo(network, LndJson.String(root, "identity_pubkey"), LndJson.Bool(root, "synced_to_chain"),
            LndJson.String(root, "alias"), LndJson.String(root, "version"));
    }

    public async Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remaining = request.Deadline - _time.GetUtcNow();
        if (remaining < TimeSpan.FromSeconds(1))
            return new PaymentOutcome.Failed(FailureKind.Timeout, "deadline passed before the payment was sent");

        var nodeSeconds = (int)Math.Clamp(Math.Floor((remaining - _options.NodeMargin).TotalSeconds), 1, int.MaxValue);
        var body = new Dictionary<string, object>
        {
            ["payment_request"] = request.Bolt11,
            ["timeout_seconds"] = nodeSeconds,
            ["fee_limit_msat"] = request.MaxFee.Value.ToString(CultureInfo.InvariantCulture),
            ["no_inflight_updates"] = false,
        };
        if (!request.InvoiceHasAmount)
            body["amt_msat"] = request.Amount.Value.ToString(CultureInfo.InvariantCulture);

        using var deadline = new CancellationTokenSource(remaining, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        HttpResponseMessage response;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "v2/router/send")
            {
                Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
            };
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            progress?.Report(new PaymentProgress(PaymentStage.DeadlineReached, 0, "no answer from lnd before the deadline"));
            return await AfterTheFactAsync(request.PaymentHash, "lnd did not answer the payment request before the deadline", null, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (Transport.ProvablyNotSent(ex))
        {
            return new PaymentOutcome.Failed(FailureKind.NodeUnavailable, "lnd unreachable: " + ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return await AfterTheFactAsync(request.PaymentHash, "connection to lnd broke while sending: " + ex.Message, null, ct).ConfigureAwait(false);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var error = LndError.Parse(await ReadBodyAsync(response, linked.Token).ConfigureAwait(false));
                return await OnSendErrorAsync(request.PaymentHash, (int)response.StatusCode, error, progress, ct).ConfigureAwait(false);
            }

            progress?.Report(new PaymentProgress(PaymentStage.Accepted, 0, "lnd accepted the payment"));
            try
            {
                using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (true)
                {
                    var (line, ended) = await NextLineOrEndAsync(reader, request.PaymentHash, linked.Token).ConfigureAwait(false);
                    if (ended is PaymentLookup.Found { Outcome: var outcome })
                        return outcome; // the stream hung, but the payment had ended: a look-up by hash says how
                    if (line is null)
                        break;
                    if (string.IsNullOrWhiteSpace(line))
                        continue;
                    var update = ParseStreamLine(line);
                    if (update.Error is { } streamError)
                    {
                        _log.LogWarning("lnd payment stream for {PaymentHash} returned an error: {Error}", request.PaymentHash, streamError.ToString());
                        return await AfterTheFactAsync(request.PaymentHash, "lnd stream error: " + streamError, null, ct).ConfigureAwait(false);
                    }
                    switch (LndOutcomeClassifier.Classify(update.Payment!))
                    {
                        case LndPaymentState.Final final:
                            return final.Outcome;
                        case LndPaymentState.Pending pending:
                            var stage = pending.FailureReason is "FAILURE_REASON_TIMEOUT" or "FAILURE_REASON_CANCELED"
                                ? PaymentStage.NoNewAttempts
                                : PaymentStage.InFlight;
                            progress?.Report(new PaymentProgress(stage, pending.HtlcsInFlight, LndOutcomeClassifier.PendingReason(pending)));
                            break;
                    }
                }
                return await AfterTheFactAsync(request.PaymentHash, "lnd closed the payment stream without a final state", null, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                progress?.Report(new PaymentProgress(PaymentStage.DeadlineReached, 0, "deadline reached while the payment was pending"));
                return await AfterTheFactAsync(request.PaymentHash, "deadline reached while lnd reported the payment pending", null, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException or FormatException)
            {
                return await AfterTheFactAsync(request.PaymentHash, "lnd payment stream broke: " + ex.Message, null, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<PaymentOutcome> OnSendErrorAsync(Bytes32 hash, int status, LndError error, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        switch (LndOutcomeClassifier.ClassifySendError(status, error))
        {
            case LndSendError.NotSent notSent:
                return new PaymentOutcome.Failed(notSent.Kind, "lnd: " + notSent.NodeMessage);
            case LndSendError.SucceededEarlier:
                progress?.Report(new PaymentProgress(PaymentStage.Accepted, 0, "lnd: this hash was already paid; looking up the earlier payment"));
                return await AfterTheFactAsync(hash, "lnd says the invoice is already paid, but the earlier payment could not be read", null, ct).ConfigureAwait(false);
            case LndSendError.Pending:
                progress?.Report(new PaymentProgress(PaymentStage.InFlight, 0, "lnd: a payment for this hash is already in flight"));
                return await AfterTheFactAsync(hash, "lnd: a payment for this hash is already in flight (" + error.Message + ")", null, ct).ConfigureAwait(false);
            default:
                // lnd answered, so its handler has finished: a missing record now proves nothing was sent.
                return await AfterTheFactAsync(hash, "lnd: " + error, new PaymentOutcome.Failed(FailureKind.Unknown, "lnd: " + error), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The payment stream did not give a final answer: ask lnd by hash, briefly. A final state
    /// wins; a pending one stays Unknown. "No record" means Failed only when
    /// <paramref name="ifNotFound"/> says lnd finished handling our request; otherwise lnd may not
    /// have registered it yet and it stays Unknown.
    /// </summary>
    private async Task<PaymentOutcome> AfterTheFactAsync(Bytes32 hash, string why, PaymentOutcome? ifNotFound, CancellationToken ct)
    {
        var lookup = await PaymentLookupBudget.WithinAsync(t => TrackCoreAsync(hash, t), _options.TrackGrace, _time, "track timed out", ct)
            .ConfigureAwait(false);
        return lookup switch
        {
            PaymentLookup.Found { Outcome: PaymentOutcome.Unknown u } => new PaymentOutcome.Unknown(why + "; " + u.Reason),
            PaymentLookup.Found found => found.Outcome,
            PaymentLookup.NotFound nf when ifNotFound is not null => ifNotFound,
            PaymentLookup.NotFound nf => new PaymentOutcome.Unknown(why + "; lnd has no record of the payment yet (" + nf.NodeMessage + ")"),
            PaymentLookup.Unavailable un => new PaymentOutcome.Unknown(why + "; " + un.Reason),
            _ => new PaymentOutcome.Unknown(why),
        };
    }

    public Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct) =>
        PaymentLookupBudget.WithinAsync(t => TrackCoreAsync(paymentHash, t), _options.RequestTimeout, _time,
            "lnd did not answer the track request in time", ct);

    public bool CanFollow => true;

    /// <summary><c>GET /v2/router/track/{hash}</c> kept open: every state change arrives on the stream until a final one.</summary>
    public Task<PaymentLookup> FollowAsync(Bytes32 paymentHash, CancellationToken ct) => ReadTrackStreamAsync(paymentHash, untilFinal: true, ct);

    /// <summary>The first message of the track stream is always the current state.</summary>
    private Task<PaymentLookup> TrackCoreAsync(Bytes32 hash, CancellationToken ct) => ReadTrackStreamAsync(hash, untilFinal: false, ct);

    /// <summary>
    /// Reads <c>GET /v2/router/track/{hash}</c>: the first state only, or, with <paramref name="untilFinal"/>,
    /// every update until one that is no longer in flight.
    /// </summary>
    private async Task<PaymentLookup> ReadTrackStreamAsync(Bytes32 hash, bool untilFinal, CancellationToken ct)
    {
        PaymentLookup last = new PaymentLookup.Unavailable("lnd closed the track stream without a message");
        try
        {
            using var response = await _http.GetAsync("v2/router/track/" + Base64Url(hash), HttpCompletionOption.ResponseHeadersRead, ct)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return LndOutcomeClassifier.ClassifyTrackError((int)response.StatusCode, LndError.Parse(await ReadBodyAsync(response, ct).ConfigureAwait(false)));
            using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                string? line;
                if (untilFinal)
                {
                    (line, var ended) = await NextLineOrEndAsync(reader, hash, ct).ConfigureAwait(false);
                    if (ended is not null)
                        return ended;
                }
                else
                {
                    line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
                }
                if (line is null)
                    break;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                var update = ParseStreamLine(line);
                last = update.Error is { } error ? LndOutcomeClassifier.ClassifyTrackError(200, error) : LndOutcomeClassifier.ToLookup(update.Payment!);
                if (!untilFinal || last is not PaymentLookup.Found { Outcome: PaymentOutcome.Unknown })
                    return last;
            }
            return last;
        }
        catch (HttpRequestException ex)
        {
            return new PaymentLookup.Unavailable("lnd unreachable: " + ex.Message);
        }
        catch (Exception ex) when (ex is IOException or JsonException or FormatException)
        {
            return new PaymentLookup.Unavailable("lnd track stream unreadable: " + ex.Message);
        }
    }

    /// <summary>
    /// The next line of a payment or track stream. While the stream stays silent for
    /// <see cref="LndRestOptions.SilencePoll"/>, lnd is asked by hash; when that says the payment has
    /// ended, the final look-up is returned instead of a line (and the silent stream is abandoned).
    /// </summary>
    private async Task<(string? Line, PaymentLookup? Ended)> NextLineOrEndAsync(StreamReader reader, Bytes32 hash, CancellationToken ct)
    {
        var read = reader.ReadLineAsync(ct).AsTask();
        while (true)
        {
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var silence = Task.Delay(_options.SilencePoll, _time, quiet.Token);
                var first = await Task.WhenAny(read, silence).ConfigureAwait(false);
                await quiet.CancelAsync().ConfigureAwait(false);
                if (first == read)
                    return (await read.ConfigureAwait(false), null);
            }
            ct.ThrowIfCancellationRequested();
            var lookup = await PaymentLookupBudget.WithinAsync(t => TrackCoreAsync(hash, t), _options.TrackGrace, _time,
                "track timed out", ct).ConfigureAwait(false);
            if (lookup is PaymentLookup.Found { Outcome: not PaymentOutcome.Unknown })
            {
                _log.LogInformation("lnd stream for {PaymentHash} was silent while the payment ended; read its end by hash", hash);
                _ = read.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return (null, lookup);
            }
        }
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(description);
        var body = new Dictionary<string, object>
        {
            ["value_msat"] = amount.Value.ToString(CultureInfo.InvariantCulture),
            ["memo"] = description,
            ["expiry"] = ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        var now = _time.GetUtcNow();
        using var json = await SendJsonAsync(HttpMethod.Post, "v1/invoices", body, ct).ConfigureAwait(false);
        var root = json.RootElement;
        var hash = Bytes32.FromSpan(Convert.FromBase64String(LndJson.String(root, "r_hash")));
        return new CreatedInvoice(LndJson.String(root, "payment_request"), hash, amount, now + TimeSpan.FromSeconds((long)expiry.TotalSeconds));
    }

    public async Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var response = await _http.GetAsync("v2/invoices/subscribe/" + Base64Url(paymentHash), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new LightningNodeException("lnd refused to watch the invoice: " + LndError.Parse(await ReadBodyAsync(response, ct).ConfigureAwait(false)));
                using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                        continue;
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
                        throw new LightningNodeException("lnd invoice stream error: " + LndError.Parse(line));
                    var status = InvoiceStatusOf(doc.RootElement.GetProperty("result"));
                    if (status.State != InvoiceState.Open)
                        return status;
                }
            }
            catch (HttpRequestException ex)
            {
                _log.LogWarning("lnd invoice stream for {PaymentHash} broke ({Message}); watching again", paymentHash, ex.Message);
            }
            catch (IOException ex)
            {
                _log.LogWarning("lnd invoice stream for {PaymentHash} broke ({Message}); watching again", paymentHash, ex.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
        }
    }

    private InvoiceStatus InvoiceStatusOf(JsonElement invoice)
    {
        switch (LndJson.String(invoice, "state"))
        {
            case "SETTLED":
                return new InvoiceStatus(InvoiceState.Paid, new Msat(LndJson.Int64(invoice, "amt_paid_msat")),
                    DateTimeOffset.FromUnixTimeSeconds(LndJson.Int64(invoice, "settle_date")));
            case "CANCELED":
                var expiresAt = LndJson.Int64(invoice, "creation_date") + LndJson.Int64(invoice, "expiry");
                return new InvoiceStatus(_time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? InvoiceState.Expired : InvoiceState.Canceled, null, null);
            default:
                return new InvoiceStatus(InvoiceState.Open, null, null); // OPEN, ACCEPTED (held)
        }
    }

    public async Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct)
    {
        if (Hex.TryDecode(payeePubKeyHex, 33) is null)
            return new RouteProbe.Unknown("payee is not a 33-byte hex public key");
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var path = $"v1/graph/routes/{payeePubKeyHex.ToLowerInvariant()}/{amount.SatCeiling.ToString(CultureInfo.InvariantCulture)}";
            using var response = await _http.GetAsync(path, linked.Token).ConfigureAwait(false);
            var text = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var error = LndError.Parse(text);
                return error.Message.Contains("unable to find a path", StringComparison.OrdinalIgnoreCase)
                       || error.Message.Contains("no route", StringComparison.OrdinalIgnoreCase)
                    ? new RouteProbe.NoRoute("lnd: " + error.Message)
                    : new RouteProbe.Unknown("lnd: " + error);
            }
            using var doc = JsonDocument.Parse(text);
            if (!doc.RootElement.TryGetProperty("routes", out var routes) || routes.ValueKind != JsonValueKind.Array || routes.GetArrayLength() == 0)
                return new RouteProbe.NoRoute("lnd returned no routes");
            var route = routes[0];
            var hops = route.TryGetProperty("hops", out var h) && h.ValueKind == JsonValueKind.Array ? h.GetArrayLength() : 0;
            return new RouteProbe.Found(new Msat(LndJson.Int64(route, "total_fees_msat")), hops);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new RouteProbe.Unknown("lnd did not answer the route query in time");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or FormatException)
        {
            return new RouteProbe.Unknown("lnd route query failed: " + ex.Message);
        }
    }

    /// <summary>
    /// <c>GET /v1/channels?active_only=true</c> (ListChannels): per active channel, what we can send is
    /// <c>local_balance</c> less our channel reserve and what we can receive is <c>remote_balance</c> less
    /// the peer's (both in sat). Not <c>/v1/balance/channels</c>: that sums every open channel, offline
    /// peers included, keeps the reserves in and has no channel count.
    /// </summary>
    public async Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct)
    {
        try
        {
            using var json = await GetJsonAsync("v1/channels?active_only=true", ct).ConfigureAwait(false);
            if (!json.RootElement.TryGetProperty("channels", out var channels) || channels.ValueKind != JsonValueKind.Array)
                return new NodeLiquidity.Unknown("lnd listed no channels array");
            var outbound = Msat.Zero;
            var inbound = Msat.Zero;
            var count = 0;
            foreach (var channel in channels.EnumerateArray())
            {
                if (!LndJson.Bool(channel, "active"))
                    continue;
                count++;
                var localReserve = Reserve(channel, "local_constraints", "local_chan_reserve_sat");
                var remoteReserve = Reserve(channel, "remote_constraints", "remote_chan_reserve_sat");
                outbound += Msat.FromSat(Math.Max(0, LndJson.Int64(channel, "local_balance") - localReserve));
                inbound += Msat.FromSat(Math.Max(0, LndJson.Int64(channel, "remote_balance") - remoteReserve));
            }
            return new NodeLiquidity.Known(outbound, inbound, count);
        }
        catch (LightningNodeException ex)
        {
            return new NodeLiquidity.Unknown(ex.Message);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            return new NodeLiquidity.Unknown("lnd channel list could not be read: " + ex.Message);
        }
    }

    private static long Reserve(JsonElement channel, string constraints, string deprecated) =>
        channel.TryGetProperty(constraints, out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("chan_reserve_sat", out _)
            ? LndJson.Int64(c, "chan_reserve_sat")
            : LndJson.Int64(channel, deprecated);

    /// <summary>Hash in a URL path: URL-safe base64 keeping the '=' padding (lnd #6029); hex or '%2F' do not work.</summary>
    public static string Base64Url(Bytes32 hash) => Convert.ToBase64String(hash.Span).Replace('+', '-').Replace('/', '_');

    /// <summary>One line of the router/send or track stream; throws <see cref="JsonException"/> or <see cref="FormatException"/> (the callers catch both).</summary>
    internal static (LndPayment? Payment, LndError? Error) ParseStreamLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("lnd stream line is not a JSON object");
        if (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
            return (LndPayment.Parse(result), null);
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            return (null, LndError.Parse(line));
        throw new FormatException("lnd stream line is neither {\"result\":…} nor {\"error\":…}");
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken ct) => await SendJsonAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false);

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var message = new HttpRequestMessage(method, path);
            if (body is not null)
                message.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(message, linked.Token).ConfigureAwait(false);
            var text = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new LightningNodeException($"lnd {method} /{path} failed with HTTP {(int)response.StatusCode}: {LndError.Parse(text)}");
            return JsonDocument.Parse(text);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new LightningNodeException($"lnd {method} /{path} did not answer in time.");
        }
        catch (HttpRequestException ex)
        {
            throw new LightningNodeException($"lnd {method} /{path} failed: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new LightningNodeException($"lnd {method} /{path} answered with invalid JSON.", ex);
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return text.Length > 4096 ? text[..4096] : text;
    }

    public void Dispose() => _http.Dispose();
}
