using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BoltGate.Lightning.CoreLightning;

/// <summary>
/// Core Lightning over JSON-RPC (spec §2): xpay (v24.11+) or pay with <c>retry_for</c> and a fee
/// cap, listpays/listsendpays by hash, getinfo, invoice/waitinvoice, getroute for probes. The
/// command to pay with is chosen from the version getinfo reports.
/// </summary>
public sealed class CoreLightningClient : ILightningNode
{
    private readonly ClnRpcTransport _rpc;
    private readonly TimeProvider _time;
    private readonly CoreLightningOptions _options;
    private readonly ILogger _log;
    private ClnVersion? _version;

    public CoreLightningClient(LightningConnectionString.CoreLightning settings, TimeProvider time, ILogger<CoreLightningClient>? logger = null, CoreLightningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new CoreLightningOptions();
        _log = (ILogger?)logger ?? NullLogger.Instance;
        EndPoint endpoint = settings.SocketPath is { } path
            ? new UnixDomainSocketEndPoint(path)
            : new DnsEndPoint(settings.TcpHost!, settings.TcpPort);
        _rpc = new ClnRpcTransport(endpoint);
    }

    public async Task<NodeInfo> GetInfoAsync(CancellationToken ct)
    {
        var info = await CallOrThrowAsync("getinfo", new Dictionary<string, object>(), ct).ConfigureAwait(false);
        var versionText = ClnOutcomeClassifier.Str(info, "version");
        if (ClnVersion.TryParse(versionText, out var version))
            _version = version;
        var networkName = ClnOutcomeClassifier.Str(info, "network");
        var network = networkName switch
        {
            "bitcoin" => BitcoinNetwork.Mainnet,
            "testnet" or "testnet4" => BitcoinNetwork.Testnet,
            "signet" => BitcoinNetwork.Signet,
            "regtest" => BitcoinNetwork.Regtest,
            _ => throw new LightningNodeException($"Core Lightning reports an unsupported network '{networkName}'."),
        };
        var synced = !info.TryGetProperty("warning_bitcoind_sync", out _) && !info.TryGetProperty("warning_lightningd_sync", out _);
        return new NodeInfo(network, ClnOutcomeClassifier.Str(info, "id"), synced, ClnOutcomeClassifier.Str(info, "alias"), versionText);
    }

    public async Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remaining = request.Deadline - _time.GetUtcNow();
        if (remaining < TimeSpan.FromSeconds(1))
            return new PaymentOutcome.Failed(FailureKind.Timeout, "deadline passed before the payment was sent");

        ClnVersion version;
        try
        {
            version = await VersionAsync(ct).ConfigureAwait(false);
        }
        catch (LightningNodeException ex)
        {
            return new PaymentOutcome.Failed(FailureKind.NodeUnavailable, ex.Message);
        }

        var retryFor = (int)Math.Clamp(Math.Floor((remaining - _options.NodeMargin).TotalSeconds), 1, int.MaxValue);
        var (method, parameters) = PayCommand(version, request, retryFor);

        using var deadline = new CancellationTokenSource(remaining, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        ClnResponse response;
        try
        {
            progress?.Report(new PaymentProgress(PaymentStage.Accepted, 0, $"Core Lightning {method} started (retry_for={retryFor}s)"));
            response = await _rpc.CallAsync(method, parameters, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The command keeps running on the node: what it has done so far is in listpays.
            progress?.Report(new PaymentProgress(PaymentStage.DeadlineReached, 0, "Core Lightning did not finish before the deadline"));
            return await AfterTheFactAsync(request.PaymentHash, $"Core Lightning {method} still running at the deadline", ct).ConfigureAwait(false);
        }
        catch (ClnTransportException ex) when (!ex.Sent)
        {
            return new PaymentOutcome.Failed(FailureKind.NodeUnavailable, ex.Message);
        }
        catch (ClnTransportException ex)
        {
            return await AfterTheFactAsync(request.PaymentHash, ex.Message, ct).ConfigureAwait(false);
        }

        if (response.Result is { } result)
            return ClnOutcomeClassifier.FromPayResult(result, request.PaymentHash);

        var error = response.Error!;
        _log.LogInformation("Core Lightning {Method} for {PaymentHash} failed: {Error}", method, request.PaymentHash, error.ToString());
        switch (ClnOutcomeClassifier.ClassifyPayError(error))
        {
            case ClnPayError.NotSent notSent:
                return new PaymentOutcome.Failed(notSent.Kind, "Core Lightning: " + notSent.NodeMessage);
            case ClnPayError.Confirm confirm:
                var lookup = await LookupWithinGraceAsync(request.PaymentHash, ct).ConfigureAwait(false);
                return ClnOutcomeClassifier.Confirmed(confirm, lookup);
            default:
                return new PaymentOutcome.Unknown("Core Lightning: " + error);
        }
    }

    /// <summary>
    /// The pay command for this version: xpay since v24.11 (named parameters, absolute maxfee);
    /// classic pay with maxfee since 0.11; before that maxfeepercent with exemptfee 0.
    /// </summary>
    internal static (string Method, Dictionary<string, object> Params) PayCommand(ClnVersion version, PayRequest request, int retryFor)
    {
        if (version >= ClnVersion.XpayAvailable)
        {
            var p = new Dictionary<string, object> { ["invstring"] = request.Bolt11, ["maxfee"] = request.MaxFee.Value, ["retry_for"] = retryFor };
            if (!request.InvoiceHasAmount)
                p["amount_msat"] = request.Amount.Value;
            return ("xpay", p);
        }
        var pay = new Dictionary<string, object> { ["bolt11"] = request.Bolt11, ["retry_for"] = retryFor };
        if (!request.InvoiceHasAmount)
            pay[version >= new ClnVersion(0, 12) ? "amount_msat" : "msatoshi"] = request.Amount.Value;
        if (version >= ClnVersion.PayMaxFeeAvailable)
        {
            pay["maxfee"] = request.MaxFee.Value;
        }
        else
        {
            var percent = request.Amount.IsPositive ? Math.Round((decimal)request.MaxFee.Value * 100m / request.Amount.Value, 6, MidpointRounding.ToZero) : 0m;
            pay["maxfeepercent"] = percent;
            pay["exemptfee"] = 0;
        }
        return ("pay", pay);
    }

    private async Task<PaymentOutcome> AfterTheFactAsync(Bytes32 hash, string why, CancellationToken ct)
    {
        var lookup = await LookupWithinGraceAsync(hash, ct).ConfigureAwait(false);
        return lookup switch
        {
            PaymentLookup.Found { Outcome: PaymentOutcome.Unknown u } => new PaymentOutcome.Unknown(why + "; " + u.Reason),
            // Only a final state is trusted here: a failed group may be followed by a retry the command is still making.
            PaymentLookup.Found { Outcome: PaymentOutcome.Succeeded s } => s,
            PaymentLookup.Found => new PaymentOutcome.Unknown(why + "; listpays shows only failed attempts so far, but the command may still retry"),
            PaymentLookup.NotFound => new PaymentOutcome.Unknown(why + "; no record of the payment yet"),
            PaymentLookup.Unavailable un => new PaymentOutcome.Unknown(why + "; " + un.Reason),
            _ => new PaymentOutcome.Unknown(why),
        };
    }

    private Task<PaymentLookup> LookupWithinGraceAsync(Bytes32 hash, CancellationToken ct) =>
        PaymentLookupBudget.WithinAsync(t => TrackCoreAsync(hash, t), _options.TrackGrace, _time, "listpays did not answer in time", ct);

    public Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct) =>
        PaymentLookupBudget.WithinAsync(t => TrackCoreAsync(paymentHash, t), _options.RequestTimeout, _time,
            "Core Lightning did not answer listpays in time", ct);

    private async Task<PaymentLookup> TrackCoreAsync(Bytes32 hash, CancellationToken ct)
    {
        try
        {
            var args = new Dictionary<string, object> { ["payment_hash"] = hash.ToHex() };
            var response = await _rpc.CallAsync("listpays", args, ct).ConfigureAwait(false);
            if (response.Error is { Code: -32601 })
            {
                // listpays lives in a plugin (pay, later xpay); lightningd's own listsendpays has the parts.
                response = await _rpc.CallAsync("listsendpays", args, ct).ConfigureAwait(false);
                if (response.Result is { } parts)
                    return ClnOutcomeClassifier.FromListPays(parts.GetProperty("payments"));
            }
            if (response.Error is { } error)
                return new PaymentLookup.Unavailable("Core Lightning listpays failed: " + error);
            return ClnOutcomeClassifier.FromListPays(response.Result!.Value.GetProperty("pays"));
        }
        catch (ClnTransportException ex)
        {
            return new PaymentLookup.Unavailable(ex.Message);
        }
        catch (KeyNotFoundException)
        {
            return new PaymentLookup.Unavailable("Core Lightning listpays answer has no list");
        }
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(description);
        var args = new Dictionary<string, object>
        {
            ["amount_msat"] = amount.Value,
            ["label"] = "boltgate-" + Guid.NewGuid().ToString("N"),
            ["description"] = description,
            ["expiry"] = (long)expiry.TotalSeconds,
        };
        var result = await CallOrThrowAsync("invoice", args, ct).ConfigureAwait(false);
        if (!Bytes32.TryParseHex(ClnOutcomeClassifier.Str(result, "payment_hash"), out var hash))
            throw new LightningNodeException("Core Lightning invoice answer has no payment_hash.");
        return new CreatedInvoice(ClnOutcomeClassifier.Str(result, "bolt11"), hash, amount,
            DateTimeOffset.FromUnixTimeSeconds(ClnOutcomeClassifier.Int64(result, "expires_at")));
    }

    public async Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct)
    {
        var list = await CallOrThrowAsync("listinvoices", new Dictionary<string, object> { ["payment_hash"] = paymentHash.ToHex() }, ct).ConfigureAwait(false);
        var invoices = list.GetProperty("invoices");
        if (invoices.GetArrayLength() == 0)
            throw new LightningNodeException("Core Lightning has no invoice with this payment hash.");
        var invoice = invoices[0];
        var status = StatusOf(invoice);
        if (status.State != InvoiceState.Open)
            return status;
        var label = ClnOutcomeClassifier.Str(invoice, "label");
        while (true)
        {
            ClnResponse response;
            try
            {
                response = await _rpc.CallAsync("waitinvoice", new Dictionary<string, object> { ["label"] = label }, ct).ConfigureAwait(false);
            }
            catch (ClnTransportException ex)
            {
                _log.LogWarning("Core Lightning waitinvoice broke ({Message}); waiting again", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
                continue;
            }
            if (response.Result is { } paid)
                return StatusOf(paid);
            return response.Error!.Code switch
            {
                903 => new InvoiceStatus(InvoiceState.Expired, null, null),
                _ => throw new LightningNodeException("Core Lightning waitinvoice failed: " + response.Error),
            };
        }
    }

    private static InvoiceStatus StatusOf(JsonElement invoice) => ClnOutcomeClassifier.Str(invoice, "status") switch
    {
        "paid" => new InvoiceStatus(InvoiceState.Paid, new Msat(ClnOutcomeClassifier.Int64(invoice, "amount_received_msat")),
            DateTimeOffset.FromUnixTimeSeconds(ClnOutcomeClassifier.Int64(invoice, "paid_at"))),
        "expired" => new InvoiceStatus(InvoiceState.Expired, null, null),
        _ => new InvoiceStatus(InvoiceState.Open, null, null),
    };

    public async Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct)
    {
        if (Hex.TryDecode(payeePubKeyHex, 33) is null)
            return new RouteProbe.Unknown("payee is not a 33-byte hex public key");
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var args = new Dictionary<string, object> { ["id"] = payeePubKeyHex.ToLowerInvariant(), ["amount_msat"] = amount.Value, ["riskfactor"] = 1 };
            var response = await _rpc.CallAsync("getroute", args, linked.Token).ConfigureAwait(false);
            if (response.Error is { } error)
                return error.Code == 205 ? new RouteProbe.NoRoute("Core Lightning: " + error.Message) : new RouteProbe.Unknown("Core Lightning: " + error);
            var route = response.Result!.Value.GetProperty("route");
            if (route.GetArrayLength() == 0)
                return new RouteProbe.NoRoute("Core Lightning returned an empty route");
            var first = ClnOutcomeClassifier.Int64(route[0], "amount_msat");
            return new RouteProbe.Found(new Msat(Math.Max(0, first - amount.Value)), route.GetArrayLength());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new RouteProbe.Unknown("Core Lightning did not answer getroute in time");
        }
        catch (ClnTransportException ex)
        {
            return new RouteProbe.Unknown(ex.Message);
        }
        catch (KeyNotFoundException)
        {
            return new RouteProbe.Unknown("Core Lightning getroute answer has no route");
        }
    }

    /// <summary>
    /// <c>listpeerchannels</c> (v23.02+): <c>spendable_msat</c> and <c>receivable_msat</c> summed over the
    /// channels in <c>CHANNELD_NORMAL</c> whose peer is connected (the ones a payment can use now).
    /// </summary>
    public async Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct)
    {
        JsonElement result;
        try
        {
            result = await CallOrThrowAsync("listpeerchannels", new Dictionary<string, object>(), ct).ConfigureAwait(false);
        }
        catch (LightningNodeException ex)
        {
            return new NodeLiquidity.Unknown(ex.Message);
        }
        if (!result.TryGetProperty("channels", out var channels) || channels.ValueKind != JsonValueKind.Array)
            return new NodeLiquidity.Unknown("Core Lightning listpeerchannels has no channels array");
        var outbound = Msat.Zero;
        var inbound = Msat.Zero;
        var count = 0;
        try
        {
            foreach (var channel in channels.EnumerateArray())
            {
                if (ClnOutcomeClassifier.Str(channel, "state") != "CHANNELD_NORMAL"
                    || !channel.TryGetProperty("peer_connected", out var connected) || connected.ValueKind != JsonValueKind.True)
                    continue;
                count++;
                outbound += new Msat(Math.Max(0, ClnOutcomeClassifier.Int64(channel, "spendable_msat")));
                inbound += new Msat(Math.Max(0, ClnOutcomeClassifier.Int64(channel, "receivable_msat")));
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            return new NodeLiquidity.Unknown("Core Lightning listpeerchannels could not be read: " + ex.Message);
        }
        return new NodeLiquidity.Known(outbound, inbound, count);
    }

    private async Task<ClnVersion> VersionAsync(CancellationToken ct)
    {
        if (_version is { } known)
            return known;
        var info = await GetInfoAsync(ct).ConfigureAwait(false);
        return _version ?? throw new LightningNodeException($"Cannot read the Core Lightning version '{info.Version}'.");
    }

    private async Task<JsonElement> CallOrThrowAsync(string method, Dictionary<string, object> args, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var response = await _rpc.CallAsync(method, args, linked.Token).ConfigureAwait(false);
            if (response.Error is { } error)
                throw new LightningNodeException($"Core Lightning {method} failed: {error}");
            return response.Result!.Value;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new LightningNodeException($"Core Lightning {method} did not answer in time.");
        }
        catch (ClnTransportException ex)
        {
            throw new LightningNodeException($"Core Lightning {method} failed: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        // One connection per call: nothing is held open.
    }
}
