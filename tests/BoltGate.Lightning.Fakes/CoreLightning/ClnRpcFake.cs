using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Lightning.Fakes.CoreLightning;

/// <summary>
/// A lightningd JSON-RPC endpoint on a unix socket in a temp directory, written from Core
/// Lightning's schemas and the behaviour in spec §2: JSON-RPC 2.0 framing (responses end with
/// "\n\n", several requests per connection), classic <c>pay</c> (waits for every part; error code 0
/// for aborts since v24.08), <c>xpay</c> (v24.11+; returns on the first part failure even with a part
/// still pending; no data object on errors; takes over named-parameter <c>pay</c> since v26.06),
/// listpays/listsendpays, getinfo, invoice/listinvoices/waitinvoice and getroute. Closing a
/// connection does not stop a command. Payments are played by a <see cref="SimulatedNetwork"/>.
/// </summary>
public sealed class ClnRpcFake : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly string _dir;
    private readonly Dictionary<string, Bytes32> _invoiceLabels = [];
    private int _groupId;

    private ClnRpcFake(SimulatedNetwork network, string version, string dir, Socket listener)
    {
        Network = network;
        Version = version;
        _dir = dir;
        SocketPath = Path.Combine(dir, "lightning-rpc");
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public SimulatedNetwork Network { get; }

    /// <summary>The version getinfo reports; it decides pay vs xpay behaviour (e.g. "v24.05", "v24.11", "v26.06").</summary>
    public string Version { get; set; }

    public string SocketPath { get; }

    public string ConnectionString => "type=clightning;server=unix://" + SocketPath;

    /// <summary>Methods called so far, in order.</summary>
    public List<string> Calls { get; } = [];

    public static ClnRpcFake Start(SimulatedNetwork network, string version = "v26.06")
    {
        // Its own folder, like BoltGate.Testing's TempDir (which this project, referenced by it, cannot use).
        var dir = Directory.CreateTempSubdirectory("boltgate-cln-").FullName;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, "lightning-rpc")));
        socket.Listen(16);
        return new ClnRpcFake(network, version, dir, socket);
    }

    private ClnVersion ParsedVersion => ClnVersion.TryParse(Version, out var v) ? v : new ClnVersion(26, 6);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var connection = client;
        var writeLock = new SemaphoreSlim(1, 1);
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await client.ReceiveAsync(chunk, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                    return;
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                while (TakeObject(buffer) is { } request)
                {
                    // Commands run concurrently and may answer out of order.
                    _ = Task.Run(async () =>
                    {
                        var response = await HandleAsync(request).ConfigureAwait(false);
                        await writeLock.WaitAsync().ConfigureAwait(false);
                        try
                        {
                            await client.SendAsync(Encoding.UTF8.GetBytes(response.ToJsonString() + "\n\n"), SocketFlags.None).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                        {
                            // The caller went away; the command has run anyway.
                        }
                        finally
                        {
                            writeLock.Release();
                        }
                    });
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>lightningd parses incrementally until one complete JSON object is buffered: no length prefix.</summary>
    private static byte[]? TakeObject(List<byte> buffer)
    {
        var depth = 0;
        var inString = false;
        var escaped = false;
        var started = -1;
        for (var i = 0; i < buffer.Count; i++)
        {
            var b = buffer[i];
            if (inString)
            {
                if (escaped)
                    escaped = false;
                else if (b == '\\')
                    escaped = true;
                else if (b == '"')
                    inString = false;
                continue;
            }
            if (b == '"')
            {
                inString = true;
            }
            else if (b == '{')
            {
                if (depth++ == 0)
                    started = i;
            }
            else if (b == '}' && --depth == 0)
            {
                var obj = buffer.GetRange(started, i - started + 1).ToArray();
                buffer.RemoveRange(0, i + 1);
                return obj;
            }
        }
        return null;
    }

    private async Task<JsonObject> HandleAsync(byte[] raw)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(raw)!.AsObject();
        }
        catch (JsonException)
        {
            return Error(null, -32600, "Malformed JSON");
        }
        var id = request["id"]?.DeepClone();
        if (request["jsonrpc"]?.GetValue<string>() != "2.0")
            return Error(id, -32600, "jsonrpc: \"2.0\" must be specified in the request");
        if (id is null)
            return Error(null, -32600, "No id");
        var method = request["method"]?.GetValue<string>() ?? "";
        var p = request["params"] as JsonObject ?? [];
        lock (Calls)
            Calls.Add(method);
        try
        {
            return method switch
            {
                "getinfo" => Result(id, GetInfo()),
                "pay" when ParsedVersion >= new ClnVersion(26, 6) => await XpayAsync(id, p, asPay: true).ConfigureAwait(false),
                "pay" => await PayAsync(id, p).ConfigureAwait(false),
                "xpay" when ParsedVersion >= ClnVersion.XpayAvailable => await XpayAsync(id, p, asPay: false).ConfigureAwait(false),
                "listpays" => Result(id, new JsonObject { ["pays"] = ListPays(p) }),
                "listsendpays" => Result(id, new JsonObject { ["payments"] = ListSendPays(p) }),
                "invoice" => Invoice(id, p),
                "listinvoices" => ListInvoices(id, p),
                "waitinvoice" => await WaitInvoiceAsync(id, p).ConfigureAwait(false),
                "getroute" => GetRoute(id, p),
                "listpeerchannels" when ParsedVersion >= new ClnVersion(23, 2) => Result(id, ListPeerChannels()),
                _ => Error(id, -32601, $"Unknown command '{method}'"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
        {
            return Error(id, -32602, "Invalid params: " + ex.Message);
        }
    }

    private JsonObject GetInfo() => new()
    {
        ["id"] = Network.NodePubKeyHex,
        ["alias"] = "fake-cln",
        ["color"] = "0266e4",
        ["num_peers"] = 3,
        ["num_pending_channels"] = 0,
        ["num_active_channels"] = Network.Channels.Count(c => c.Active),
        ["num_inactive_channels"] = Network.Channels.Count(c => !c.Active),
        ["address"] = new JsonArray(),
        ["binding"] = new JsonArray(),
        ["version"] = Version,
        ["blockheight"] = 903100,
        ["network"] = Network.Network switch
        {
            Core.Bitcoin.BitcoinNetwork.Mainnet => "bitcoin",
            Core.Bitcoin.BitcoinNetwork.Testnet => "testnet",
            Core.Bitcoin.BitcoinNetwork.Signet => "signet",
            _ => "regtest",
        },
        ["fees_collected_msat"] = 0,
        ["lightning-dir"] = _dir,
    };

    /// <summary>
    /// listpeerchannels (doc/schemas/listpeerchannels.json): one entry per simulated channel, all in
    /// CHANNELD_NORMAL, an inactive one with its peer disconnected. Each side keeps a 1% reserve, so
    /// <c>to_us_msat</c> is the channel's local side plus our reserve and <c>spendable_msat</c> the local side.
    /// </summary>
    private JsonObject ListPeerChannels()
    {
        var channels = new JsonArray();
        foreach (var c in Network.Channels)
        {
            var reserve = Msat.FromSat(c.Capacity.WholeSat / 100);
            var toUs = c.Local + reserve;
            var total = c.Capacity + reserve + reserve;
            channels.Add(new JsonObject
            {
                ["peer_id"] = c.PeerPubKeyHex,
                ["peer_connected"] = c.Active,
                ["reestablished"] = c.Active,
                ["state"] = "CHANNELD_NORMAL",
                ["opener"] = "local",
                ["features"] = new JsonArray("option_static_remotekey", "option_anchors"),
                ["private"] = false,
                ["short_channel_id"] = c.ShortChannelId,
                ["direction"] = string.CompareOrdinal(Network.NodePubKeyHex, c.PeerPubKeyHex) < 0 ? 0 : 1,
                ["channel_id"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(c.ShortChannelId))),
                ["funding_outnum"] = 0,
                ["to_us_msat"] = toUs.Value,
                ["min_to_us_msat"] = 0,
                ["max_to_us_msat"] = toUs.Value,
                ["total_msat"] = total.Value,
                ["fee_base_msat"] = 1000,
                ["fee_proportional_millionths"] = 10,
                ["dust_limit_msat"] = 546_000,
                ["their_reserve_msat"] = reserve.Value,
                ["our_reserve_msat"] = reserve.Value,
                ["spendable_msat"] = c.Local.Value,
                ["receivable_msat"] = c.Remote.Value,
                ["minimum_htlc_in_msat"] = 0,
                ["minimum_htlc_out_msat"] = 0,
                ["maximum_htlc_out_msat"] = total.Value,
                ["status"] = new JsonArray(c.Active ? "CHANNELD_NORMAL:Channel ready for use." : "CHANNELD_NORMAL:Peer is disconnected."),
                ["htlcs"] = new JsonArray(),
            });
        }
        return new JsonObject { ["channels"] = channels };
    }

    /// <summary>Classic pay: waits until every part is resolved, then answers once.</summary>
    private async Task<JsonObject> PayAsync(JsonNode id, JsonObject p)
    {
        var bolt11 = Str(p, "bolt11") ?? Str(p, "invstring") ?? throw new FormatException("missing bolt11");
        var retryFor = Long(p, "retry_for") ?? 60;
        var maxFee = Long(p, "maxfee") is { } mf ? new Msat(mf)
            : MaxFeeFromPercent(bolt11, p);
        var start = Network.StartPayment(bolt11, Long(p, "amount_msat") is { } a ? new Msat(a) : null, maxFee, TimeSpan.FromSeconds(retryFor));
        SimulatedPayment payment;
        switch (start)
        {
            case SimulatedStart.Refused { Reason: SimulatedRefusal.AlreadyPaid or SimulatedRefusal.InFlight, Existing: { } existing }:
                // listsendpays shows a complete part: success at once; a pending group: latch on to it.
                payment = existing;
                break;
            case SimulatedStart.Refused r:
                return RefusalError(id, r, xpay: false);
            default:
                payment = ((SimulatedStart.Started)start).Payment;
                Interlocked.Increment(ref _groupId);
                break;
        }
        await payment.WaitFinalAsync(_stop.Token).ConfigureAwait(false);
        if (payment.Status == SimulatedPaymentStatus.Succeeded)
            return Result(id, PaySuccess(payment));

        var codeZero = ParsedVersion >= new ClnVersion(24, 8); // p->errorcode never set (spec §2.2)
        var attempts = Math.Max(1, payment.HtlcsFailed);
        return payment.FailureKind switch
        {
            FailureKind.NoRoute when payment.HtlcsFailed == 0 =>
                Error(id, codeZero ? 0 : 210, $"Destination {payment.PayeeHex} is not reachable directly and all routehints were unusable.", AttemptsField()),
            FailureKind.InsufficientLiquidity => Error(id, codeZero ? 0 : 215, "We don't have sufficient funds to pay this invoice", AttemptsField()),
            FailureKind.IncorrectPaymentDetails => Error(id, 203, "failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)", new JsonObject
            {
                ["failcode"] = 16399,
                ["failcodename"] = "WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS",
                ["payment_hash"] = payment.Hash.ToHex(),
                ["status"] = "failed",
                ["erring_index"] = 2,
                ["erring_node"] = payment.PayeeHex,
                ["amount_msat"] = payment.Amount.Value,
                ["amount_sent_msat"] = (payment.Amount + payment.Fee).Value,
            }),
            FailureKind.FeeLimitExceeded => Error(id, 206, "Fee exceeds our fee budget", null),
            _ => Error(id, 210, $"Ran out of routes to try after {attempts} attempt{(attempts == 1 ? "" : "s")}: see `paystatus`", AttemptsField()),
        };
    }

    private static JsonObject AttemptsField() => new()
    {
        ["attempts"] = new JsonArray(new JsonObject { ["status"] = "failed", ["failreason"] = "No path found", ["partid"] = 0, ["amount_msat"] = 0 }),
    };

    private Msat MaxFeeFromPercent(string bolt11, JsonObject p)
    {
        var percent = p["maxfeepercent"] is JsonValue v ? v.GetValue<decimal>() : 0.5m;
        var exempt = Long(p, "exemptfee") ?? 5000;
        var amount = Bolt11Decoder.Decode(bolt11) is Bolt11DecodeResult.Ok ok && ok.Invoice.Amount is { } am ? am.Value : Long(p, "amount_msat") ?? 0;
        return new Msat(Math.Max(exempt, (long)(amount * percent / 100m)));
    }

    /// <summary>xpay: returns on first give-up even with other parts outstanding (non-slow mode).</summary>
    private async Task<JsonObject> XpayAsync(JsonNode id, JsonObject p, bool asPay)
    {
        var bolt11 = Str(p, "invstring") ?? Str(p, "bolt11") ?? throw new FormatException("missing invstring");
        var retryFor = Long(p, "retry_for") ?? 60;
        var maxFee = Long(p, "maxfee") is { } mf ? new Msat(mf) : asPay && p.ContainsKey("maxfeepercent") ? MaxFeeFromPercent(bolt11, p) : new Msat(5000);
        var start = Network.StartPayment(bolt11, Long(p, "amount_msat") is { } a ? new Msat(a) : null, maxFee, TimeSpan.FromSeconds(retryFor));
        switch (start)
        {
            case SimulatedStart.Refused { Reason: SimulatedRefusal.AlreadyPaid, Existing: { } paid }:
                // As pay, xpay fakes a success (payment_already_paid); as itself it says 219.
                return asPay ? Result(id, PaySuccess(paid)) : Error(id, 219, "Already paid this invoice successfully", null);
            case SimulatedStart.Refused { Reason: SimulatedRefusal.InFlight }:
                return Error(id, -3, $"Unexpected injectpaymentonion error 200: Payment with groupid={_groupId} still in progress, cannot retry before that completes.", null);
            case SimulatedStart.Refused r:
                return RefusalError(id, r, xpay: true);
        }
        var payment = ((SimulatedStart.Started)start).Payment;
        Interlocked.Increment(ref _groupId);
        while (!payment.IsFinal && !(payment.HtlcsFailed > 0 && payment.HtlcsInFlight > 0))
        {
            var v = payment.Version;
            if (payment.IsFinal || (payment.HtlcsFailed > 0 && payment.HtlcsInFlight > 0))
                break;
            await payment.WaitForChangeAsync(v, _stop.Token).ConfigureAwait(false);
        }
        if (payment.Status == SimulatedPaymentStatus.Succeeded)
        {
            return Result(id, asPay ? PaySuccess(payment) : new JsonObject
            {
                ["payment_preimage"] = payment.Preimage!.Value.ToHex(),
                ["amount_msat"] = payment.Amount.Value,
                ["amount_sent_msat"] = (payment.Amount + payment.Fee).Value,
                ["failed_parts"] = payment.HtlcsFailed,
                ["successful_parts"] = 1,
            });
        }
        if (!payment.IsFinal)
        {
            // A part failed and xpay gave up while another part is still out (spec §2.4).
            return Error(id, 209, $"Failed after {payment.HtlcsFailed} attempts. We got temporary_channel_failure for the first part", null);
        }
        return payment.FailureKind switch
        {
            FailureKind.NoRoute when payment.HtlcsFailed == 0 => Error(id, 205, "Failed: We could not find a usable set of paths.  The shortest path is 03...->" + payment.PayeeHex, null),
            FailureKind.InsufficientLiquidity => Error(id, 215, "We don't have enough funds to pay this invoice", null),
            FailureKind.IncorrectPaymentDetails => Error(id, 203, "Destination said it doesn't know invoice: incorrect_or_unknown_payment_details", null),
            FailureKind.FeeLimitExceeded => Error(id, 206, "Failed: the fee would exceed maxfee", null),
            FailureKind.Timeout => Error(id, 209, $"Timed out after after {Math.Max(1, payment.HtlcsFailed)} attempts. We got a weird error (temporary_channel_failure)", null),
            _ => Error(id, 209, $"Failed after {Math.Max(1, payment.HtlcsFailed)} attempts. Last error: permanent_channel_failure", null),
        };
    }

    private static JsonObject RefusalError(JsonNode id, SimulatedStart.Refused r, bool xpay) => r.Reason switch
    {
        SimulatedRefusal.Expired => Error(id, 207, xpay ? "Invoice expired 12 seconds ago" : "Invoice expired", null),
        SimulatedRefusal.AmountMissing => Error(id, -32602, "amount_msat: Must specify amount for zero-amount invoice", null),
        SimulatedRefusal.WrongNetwork => Error(id, -32602, "Invalid bolt11: Invoice is for another network", null),
        SimulatedRefusal.SelfPayment => Error(id, -32602, "This payment is destined for ourselves. Self-payments are not supported", null),
        _ => Error(id, -32602, "invstring: Invalid bolt11: Bad bech32 string", null),
    };

    private static JsonObject PaySuccess(SimulatedPayment p) => new()
    {
        ["payment_preimage"] = p.Preimage!.Value.ToHex(),
        ["amount_msat"] = p.Amount.Value,
        ["amount_sent_msat"] = (p.Amount + p.Fee).Value,
        ["parts"] = 1,
        ["destination"] = p.PayeeHex,
        ["payment_hash"] = p.Hash.ToHex(),
        ["status"] = "complete",
        ["created_at"] = p.CreatedAt.ToUnixTimeSeconds(),
    };

    private JsonArray ListPays(JsonObject p)
    {
        var result = new JsonArray();
        if (Str(p, "payment_hash") is not { } hex || !Bytes32.TryParseHex(hex, out var hash) || Network.Find(hash) is not { } pay)
            return result;
        var entry = new JsonObject
        {
            ["bolt11"] = pay.Bolt11,
            ["destination"] = pay.PayeeHex,
            ["payment_hash"] = pay.Hash.ToHex(),
            ["status"] = StatusOf(pay),
            ["created_at"] = pay.CreatedAt.ToUnixTimeSeconds(),
            ["created_index"] = 1,
        };
        if (pay.Status != SimulatedPaymentStatus.Failed)
        {
            entry["amount_msat"] = pay.Amount.Value;
            entry["amount_sent_msat"] = (pay.Amount + pay.Fee).Value;
        }
        if (pay.Status == SimulatedPaymentStatus.Succeeded)
        {
            entry["preimage"] = pay.Preimage!.Value.ToHex();
            entry["completed_at"] = pay.ResolvedAt!.Value.ToUnixTimeSeconds();
        }
        result.Add(entry);
        return result;
    }

    private JsonArray ListSendPays(JsonObject p)
    {
        var result = new JsonArray();
        if (Str(p, "payment_hash") is not { } hex || !Bytes32.TryParseHex(hex, out var hash) || Network.Find(hash) is not { } pay)
            return result;
        var part = new JsonObject
        {
            ["created_index"] = 1,
            ["id"] = 1,
            ["groupid"] = 1,
            ["partid"] = 1,
            ["payment_hash"] = pay.Hash.ToHex(),
            ["status"] = StatusOf(pay),
            ["amount_msat"] = pay.Amount.Value,
            ["amount_sent_msat"] = (pay.Amount + pay.Fee).Value,
            ["destination"] = pay.PayeeHex,
            ["created_at"] = pay.CreatedAt.ToUnixTimeSeconds(),
            ["bolt11"] = pay.Bolt11,
        };
        if (pay.Status == SimulatedPaymentStatus.Succeeded)
            part["payment_preimage"] = pay.Preimage!.Value.ToHex();
        result.Add(part);
        return result;
    }

    private static string StatusOf(SimulatedPayment p) => p.Status switch
    {
        SimulatedPaymentStatus.Succeeded => "complete",
        SimulatedPaymentStatus.Failed => "failed",
        _ => "pending",
    };

    private JsonObject Invoice(JsonNode id, JsonObject p)
    {
        var label = Str(p, "label") ?? throw new FormatException("missing label");
        lock (_invoiceLabels)
        {
            if (_invoiceLabels.ContainsKey(label))
                return Error(id, 900, "Duplicate label '" + label + "'", null);
        }
        var invoice = Network.CreateInvoice(new Msat(Long(p, "amount_msat") ?? 0), Str(p, "description") ?? "", TimeSpan.FromSeconds(Long(p, "expiry") ?? 604800));
        lock (_invoiceLabels)
            _invoiceLabels[label] = invoice.PaymentHash;
        return Result(id, new JsonObject
        {
            ["payment_hash"] = invoice.PaymentHash.ToHex(),
            ["expires_at"] = invoice.ExpiresAt.ToUnixTimeSeconds(),
            ["bolt11"] = invoice.Bolt11,
            ["payment_secret"] = new string('0', 64),
            ["created_index"] = 1,
        });
    }

    private JsonObject ListInvoices(JsonNode id, JsonObject p)
    {
        var list = new JsonArray();
        if (Str(p, "payment_hash") is { } hex && Bytes32.TryParseHex(hex, out var hash) && Network.CurrentInvoiceStatus(hash) is { } status)
        {
            string label;
            lock (_invoiceLabels)
                label = _invoiceLabels.FirstOrDefault(kv => kv.Value == hash).Key ?? "";
            list.Add(InvoiceEntry(label, hash, status));
        }
        return Result(id, new JsonObject { ["invoices"] = list });
    }

    private async Task<JsonObject> WaitInvoiceAsync(JsonNode id, JsonObject p)
    {
        var label = Str(p, "label") ?? throw new FormatException("missing label");
        Bytes32 hash;
        lock (_invoiceLabels)
        {
            if (!_invoiceLabels.TryGetValue(label, out hash))
                return Error(id, -1, "Unknown invoice", null);
        }
        var status = await Network.WaitInvoiceAsync(hash, _stop.Token).ConfigureAwait(false);
        return status.State == InvoiceState.Paid
            ? Result(id, InvoiceEntry(label, hash, status))
            : Error(id, 903, "invoice expired during wait", InvoiceEntry(label, hash, status));
    }

    private static JsonObject InvoiceEntry(string label, Bytes32 hash, InvoiceStatus status)
    {
        var entry = new JsonObject
        {
            ["label"] = label,
            ["payment_hash"] = hash.ToHex(),
            ["status"] = status.State switch
            {
                InvoiceState.Paid => "paid",
                InvoiceState.Expired or InvoiceState.Canceled => "expired",
                _ => "unpaid",
            },
        };
        if (status.State == InvoiceState.Paid)
        {
            entry["amount_received_msat"] = status.AmountReceived!.Value.Value;
            entry["paid_at"] = status.PaidAt!.Value.ToUnixTimeSeconds();
        }
        return entry;
    }

    private JsonObject GetRoute(JsonNode id, JsonObject p)
    {
        var node = Str(p, "id") ?? throw new FormatException("missing id");
        var amount = new Msat(Long(p, "amount_msat") ?? throw new FormatException("missing amount_msat"));
        if (!p.ContainsKey("riskfactor"))
            return Error(id, -32602, "missing required parameter: riskfactor", null);
        return Network.Probe(node, amount) switch
        {
            RouteProbe.Found f => Result(id, new JsonObject
            {
                ["route"] = new JsonArray(Enumerable.Range(0, f.Hops).Select(i => (JsonNode)new JsonObject
                {
                    ["id"] = node,
                    ["channel"] = $"103x{i + 1}x0",
                    ["direction"] = 0,
                    ["amount_msat"] = i == 0 ? (amount + f.Fee).Value : amount.Value,
                    ["delay"] = 9 + (6 * (f.Hops - i)),
                    ["style"] = "tlv",
                }).ToArray()),
            }),
            _ => Error(id, 205, "Could not find a route", null),
        };
    }

    private static string? Str(JsonObject p, string name) => p[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject p, string name) => p[name] switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && s.EndsWith("msat", StringComparison.Ordinal) => long.Parse(s[..^4], CultureInfo.InvariantCulture),
        _ => null,
    };

    private static JsonObject Result(JsonNode id, JsonNode result) => new() { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result };

    /// <summary>
    /// An error. Classic pay puts its extra fields directly in the error object (not under data, despite
    /// the schema); xpay errors carry none.
    /// </summary>
    private static JsonObject Error(JsonNode? id, int code, string message, JsonObject? extra = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (extra is not null)
        {
            foreach (var (k, v) in extra)
                error[k] = v?.DeepClone();
        }
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
