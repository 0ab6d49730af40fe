using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BoltGate.Lightning.Fakes.Lnd;

/// <summary>
/// An lnd REST endpoint on 127.0.0.1 with its own self-signed TLS certificate, written from lnd's
/// router/lightning REST definitions (spec §1): macaroon check, SendPaymentV2 as chunked NDJSON,
/// TrackPaymentV2 by URL-safe base64 hash, 409 for a hash already paid or in flight, 404 for an
/// unknown hash, bare Status for request-decoding errors, getinfo, invoices and QueryRoutes.
/// Payments are played by a <see cref="SimulatedNetwork"/>.
/// </summary>
public sealed class LndRestFake : IAsyncDisposable
{
    private static readonly HashSet<string> SendFields =
    [
        "dest", "amt", "payment_hash", "final_cltv_delta", "payment_request", "timeout_seconds", "fee_limit_sat", "cltv_limit",
        "route_hints", "dest_custom_records", "amt_msat", "fee_limit_msat", "last_hop_pubkey", "allow_self_payment", "dest_features",
        "max_parts", "no_inflight_updates", "outgoing_chan_ids", "payment_addr", "max_shard_size_msat", "amp", "time_pref",
        "cancelable", "first_hop_custom_records",
    ];

    private readonly WebApplication _app;
    private readonly Dictionary<Bytes32, long> _indexes = [];
    private long _nextIndex;

    private LndRestFake(SimulatedNetwork network, WebApplication app, X509Certificate2 certificate, byte[] macaroon)
    {
        Network = network;
        _app = app;
        Certificate = certificate;
        Macaroon = macaroon;
    }

    public SimulatedNetwork Network { get; }
    public X509Certificate2 Certificate { get; }
    public byte[] Macaroon { get; }
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>lnd #9881: after the node's timeout fires with HTLCs out, the send stream goes silent and never closes.</summary>
    public bool HangSendStreamAfterTimeout { get; set; }

    /// <summary>
    /// lnd #9881 on every stream: after its first update a send or track stream goes silent and never
    /// closes, whatever the payment does; a new track request still answers the current state first.
    /// </summary>
    public bool HangStreamsAfterFirstUpdate { get; set; }

    /// <summary>Track requests that have not had their first message yet (a test's fake clock waits for them).</summary>
    public int TrackRequestsUnanswered => Volatile.Read(ref _trackUnanswered);

    private int _trackUnanswered;

    /// <summary>Requests to /v2/router/send seen so far.</summary>
    public int SendRequests;

    /// <summary>The last JSON body posted to /v2/router/send.</summary>
    public JsonObject? LastSendBody { get; private set; }

    public string CertThumbprintHex => SelfSignedCertificate.Sha256Thumbprint(Certificate);

    public string ConnectionString =>
        $"type=lnd-rest;server={BaseAddress};macaroon={Convert.ToHexStringLower(Macaroon)};certthumbprint={CertThumbprintHex}";

    public static async Task<LndRestFake> StartAsync(SimulatedNetwork network)
    {
        var certificate = SelfSignedCertificate.Create();
        var macaroon = RandomNumberGenerator.GetBytes(64);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new LndRestFake(network, app, certificate, macaroon);
        fake.Map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return fake;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            // lnd's macaroon interceptor runs before any handler; its errors are plain gRPC errors (Unknown → 500).
            var header = ctx.Request.Headers["Grpc-Metadata-macaroon"].ToString();
            if (header.Length == 0)
            {
                await Bare(ctx, 500, 2, "expected 1 macaroon, got 0").ConfigureAwait(false);
                return;
            }
            var given = Hex.TryDecode(header, header.Length / 2);
            if (given is null || !CryptographicOperations.FixedTimeEquals(given, Macaroon))
            {
                await Bare(ctx, 500, 2, "verification failed: signature mismatch after caveat verification").ConfigureAwait(false);
                return;
            }
            await next(ctx).ConfigureAwait(false);
        });
        app.MapGet("/v1/getinfo", GetInfo);
        app.MapPost("/v2/router/send", SendAsync);
        app.MapGet("/v2/router/track/{hash}", TrackAsync);
        app.MapGet("/v1/graph/routes/{pubkey}/{amt}", QueryRoutes);
        app.MapGet("/v1/channels", ListChannels);
        app.MapPost("/v1/invoices", AddInvoiceAsync);
        app.MapGet("/v2/invoices/subscribe/{hash}", SubscribeInvoiceAsync);
    }

    private Task GetInfo(HttpContext ctx) => Json(ctx, 200, new JsonObject
    {
        ["version"] = "0.21.2-beta commit=v0.21.2-beta",
        ["commit_hash"] = "0000000000000000000000000000000000000000",
        ["identity_pubkey"] = Network.NodePubKeyHex,
        ["alias"] = "fake-lnd",
        ["color"] = "#3399ff",
        ["num_pending_channels"] = 0,
        ["num_active_channels"] = Network.Channels.Count(c => c.Active),
        ["num_inactive_channels"] = Network.Channels.Count(c => !c.Active),
        ["num_peers"] = 4,
        ["block_height"] = 903100,
        ["block_hash"] = new string('0', 64),
        ["best_header_timestamp"] = Network.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["synced_to_chain"] = true,
        ["synced_to_graph"] = true,
        ["testnet"] = false,
        ["chains"] = new JsonArray(new JsonObject { ["chain"] = "bitcoin", ["network"] = NetworkName() }),
        ["uris"] = new JsonArray(),
        ["features"] = new JsonObject(),
        ["require_htlc_interceptor"] = false,
        ["store_final_htlc_resolutions"] = false,
        ["wallet_synced"] = true,
        ["graph_cache_status"] = "GRAPH_CACHE_STATUS_LOADED",
    });

    /// <summary>
    /// ListChannels (<c>GET /v1/channels</c>, lnrpc.Channel as protojson prints it): balances in sat as strings,
    /// a 1% reserve each side kept out of what can be sent (so <c>local_balance</c> is the simulated local side
    /// plus our reserve); <c>active_only=true</c> leaves out channels whose peer is offline.
    /// </summary>
    private Task ListChannels(HttpContext ctx)
    {
        var activeOnly = string.Equals(ctx.Request.Query["active_only"], "true", StringComparison.OrdinalIgnoreCase);
        var inactiveOnly = string.Equals(ctx.Request.Query["inactive_only"], "true", StringComparison.OrdinalIgnoreCase);
        if (activeOnly && inactiveOnly)
            return Bare(ctx, 500, 2, "either active_only or inactive_only can be set");
        var channels = new JsonArray();
        foreach (var c in Network.Channels.Where(c => (!activeOnly || c.Active) && (!inactiveOnly || !c.Active)))
        {
            var reserve = c.Capacity.WholeSat / 100;
            var local = c.Local.WholeSat + reserve;
            var remote = c.Remote.WholeSat + reserve;
            var parts = c.ShortChannelId.Split('x').Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var chanId = (parts[0] << 40) | (parts[1] << 16) | parts[2];
            JsonObject Constraints() => new()
            {
                ["csv_delay"] = 144,
                ["chan_reserve_sat"] = S(reserve),
                ["dust_limit_sat"] = "354",
                ["max_pending_amt_msat"] = S((local + remote) * 990),
                ["min_htlc_msat"] = "1",
                ["max_accepted_htlcs"] = 483,
            };
            channels.Add(new JsonObject
            {
                ["active"] = c.Active,
                ["remote_pubkey"] = c.PeerPubKeyHex,
                ["channel_point"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.ShortChannelId))) + ":0",
                ["chan_id"] = S(chanId),
                ["capacity"] = S(local + remote),
                ["local_balance"] = S(local),
                ["remote_balance"] = S(remote),
                ["commit_fee"] = "0",
                ["commit_weight"] = "1116",
                ["fee_per_kw"] = "2500",
                ["unsettled_balance"] = "0",
                ["total_satoshis_sent"] = "0",
                ["total_satoshis_received"] = "0",
                ["num_updates"] = "0",
                ["pending_htlcs"] = new JsonArray(),
                ["csv_delay"] = 144,
                ["private"] = false,
                ["initiator"] = true,
                ["chan_status_flags"] = "ChanStatusDefault",
                ["local_chan_reserve_sat"] = S(reserve),
                ["remote_chan_reserve_sat"] = S(reserve),
                ["static_remote_key"] = false,
                ["commitment_type"] = "ANCHORS",
                ["lifetime"] = "3600",
                ["uptime"] = c.Active ? "3600" : "0",
                ["close_address"] = "",
                ["push_amount_sat"] = "0",
                ["thaw_height"] = 0,
                ["local_constraints"] = Constraints(),
                ["remote_constraints"] = Constraints(),
                ["alias_scids"] = new JsonArray(),
                ["zero_conf"] = false,
                ["zero_conf_confirmed_scid"] = "0",
                ["peer_alias"] = "",
                ["peer_scid_alias"] = "0",
                ["memo"] = "",
                ["custom_channel_data"] = "",
            });
        }
        return Json(ctx, 200, new JsonObject { ["channels"] = channels });
    }

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    private string NetworkName() => Network.Network switch
    {
        Core.Bitcoin.BitcoinNetwork.Mainnet => "mainnet",
        Core.Bitcoin.BitcoinNetwork.Testnet => "testnet",
        Core.Bitcoin.BitcoinNetwork.Signet => "signet",
        _ => "regtest",
    };

    private async Task SendAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref SendRequests);
        JsonObject body;
        try
        {
            body = (JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync().ConfigureAwait(false)) as JsonObject)
                   ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            await Bare(ctx, 400, 3, "invalid character: " + ex.Message).ConfigureAwait(false);
            return;
        }
        LastSendBody = body;
        foreach (var (key, _) in body)
        {
            if (!SendFields.Contains(key))
            {
                // grpc-gateway rejects unknown fields while decoding, before the handler: bare Status, 400.
                await Bare(ctx, 400, 3, $"proto: (line 1:2): unknown field \"{key}\"").ConfigureAwait(false);
                return;
            }
        }

        // extractIntentFromSendRequest: plain errors → gRPC Unknown → HTTP 500 as an error chunk.
        var bolt11 = body["payment_request"]?.GetValue<string>() ?? "";
        var amtMsat = Int(body, "amt_msat");
        var amtSat = Int(body, "amt");
        if (amtMsat > 0 && amtSat > 0)
        {
            await Chunk(ctx, 500, 2, "sat and msat arguments are mutually exclusive").ConfigureAwait(false);
            return;
        }
        if (Int(body, "fee_limit_sat") > 0 && Int(body, "fee_limit_msat") > 0)
        {
            await Chunk(ctx, 500, 2, "sat and msat arguments are mutually exclusive").ConfigureAwait(false);
            return;
        }
        var timeout = body["timeout_seconds"]?.GetValue<int>() ?? 0;
        if (timeout == 0)
            timeout = 60; // lnd 0.19+
        var feeLimit = new Msat(Int(body, "fee_limit_msat") + (Int(body, "fee_limit_sat") * 1000));
        var amount = amtMsat > 0 ? new Msat(amtMsat) : amtSat > 0 ? Msat.FromSat(amtSat) : (Msat?)null;
        if (amount is not null && Bolt11Decoder.Decode(bolt11) is Bolt11DecodeResult.Ok { Invoice.Amount: not null })
        {
            await Chunk(ctx, 500, 2, "amount must not be specified when paying a non-zero amount invoice").ConfigureAwait(false);
            return;
        }

        var start = Network.StartPayment(bolt11, amount, feeLimit, TimeSpan.FromSeconds(timeout));
        if (start is SimulatedStart.Refused refused)
        {
            var (status, code, message) = refused.Reason switch
            {
                SimulatedRefusal.AlreadyPaid => (409, 6, "invoice is already paid"),
                SimulatedRefusal.InFlight => (409, 6, "payment is in transition"),
                SimulatedRefusal.Expired => (500, 2, "invoice expired. Valid until " + refused.Message),
                SimulatedRefusal.AmountMissing => (500, 2, "amount must be specified when paying a zero amount invoice"),
                SimulatedRefusal.SelfPayment => (500, 2, "self-payments not allowed"),
                SimulatedRefusal.WrongNetwork => (500, 2, "invoice not for current active network 'bitcoin'"),
                _ => (500, 2, "invalid bech32 string length 6"),
            };
            await Chunk(ctx, status, code, message).ConfigureAwait(false);
            return;
        }
        var payment = ((SimulatedStart.Started)start).Payment;
        var noInflight = body["no_inflight_updates"]?.GetValue<bool>() ?? false;
        await StreamPaymentAsync(ctx, payment, noInflight, HangSendStreamAfterTimeout).ConfigureAwait(false);
    }

    private async Task TrackAsync(HttpContext ctx, string hash)
    {
        Interlocked.Increment(ref _trackUnanswered);
        try
        {
            await TrackCoreAsync(ctx, hash).ConfigureAwait(false);
        }
        finally
        {
            if (!ctx.Items.ContainsKey(AnsweredKey))
                Interlocked.Decrement(ref _trackUnanswered);
        }
    }

    private const string AnsweredKey = "boltgate-fake-answered";

    private async Task TrackCoreAsync(HttpContext ctx, string hash)
    {
        if (!TryDecodeHashPath(hash, out var bytes))
        {
            await Chunk(ctx, 500, 2, $"invalid hash length of {bytes.Length}, want 32").ConfigureAwait(false);
            return;
        }
        var payment = Network.Find(Bytes32.FromSpan(bytes));
        if (payment is null)
        {
            await Chunk(ctx, 404, 5, "payment isn't initiated").ConfigureAwait(false);
            return;
        }
        var noInflight = string.Equals(ctx.Request.Query["no_inflight_updates"], "true", StringComparison.OrdinalIgnoreCase);
        await StreamPaymentAsync(ctx, payment, noInflight, hangAfterTimeout: false, countedTrack: true).ConfigureAwait(false);
    }

    /// <summary>grpc-gateway's Bytes(): standard base64 first, then URL-safe. A '/' in the hash never reaches here (route mismatch → 404).</summary>
    private static bool TryDecodeHashPath(string text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            try
            {
                bytes = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return bytes.Length == 32;
    }

    private async Task StreamPaymentAsync(HttpContext ctx, SimulatedPayment payment, bool noInflightUpdates, bool hangAfterTimeout,
        bool countedTrack = false)
    {
        var index = IndexOf(payment.Hash);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var ct = ctx.RequestAborted;
        var seen = -1;
        try
        {
            while (true)
            {
                var version = payment.Version;
                if (version != seen && (!noInflightUpdates || payment.IsFinal))
                {
                    seen = version;
                    var line = LndJsonShapes.Result(LndJsonShapes.Payment(payment, index)).ToJsonString() + "\n";
                    await ctx.Response.WriteAsync(line, ct).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    if (countedTrack && ctx.Items.TryAdd(AnsweredKey, true))
                        Interlocked.Decrement(ref _trackUnanswered);
                    if (payment.IsFinal)
                        return; // terminal update, then EOF
                    if (HangStreamsAfterFirstUpdate)
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                        return;
                    }
                    if (hangAfterTimeout && payment.NodeGaveUp)
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                        return;
                    }
                }
                else
                {
                    seen = version;
                }
                await payment.WaitForChangeAsync(version, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away. cancelable=false: the payment carries on regardless.
        }
    }

    private long IndexOf(Bytes32 hash)
    {
        lock (_indexes)
        {
            if (!_indexes.TryGetValue(hash, out var index))
                _indexes[hash] = index = ++_nextIndex;
            return index;
        }
    }

    private Task QueryRoutes(HttpContext ctx, string pubkey, string amt)
    {
        if (Hex.TryDecode(pubkey, 33) is null || !long.TryParse(amt, NumberStyles.None, CultureInfo.InvariantCulture, out var sat))
            return Bare(ctx, 400, 3, "invalid pub_key or amt");
        return Network.Probe(pubkey, Msat.FromSat(sat)) switch
        {
            RouteProbe.Found f => Json(ctx, 200, new JsonObject
            {
                ["routes"] = new JsonArray(new JsonObject
                {
                    ["total_time_lock"] = 903214,
                    ["total_fees"] = f.Fee.WholeSat.ToString(CultureInfo.InvariantCulture),
                    ["total_amt"] = (sat + f.Fee.WholeSat).ToString(CultureInfo.InvariantCulture),
                    ["hops"] = new JsonArray(Enumerable.Range(0, f.Hops).Select(_ => (JsonNode)new JsonObject { ["pub_key"] = pubkey }).ToArray()),
                    ["total_fees_msat"] = f.Fee.Value.ToString(CultureInfo.InvariantCulture),
                    ["total_amt_msat"] = (sat * 1000 + f.Fee.Value).ToString(CultureInfo.InvariantCulture),
                }),
                ["success_prob"] = 0.9,
            }),
            _ => Bare(ctx, 500, 2, "unable to find a path to destination"),
        };
    }

    private async Task AddInvoiceAsync(HttpContext ctx)
    {
        var body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync().ConfigureAwait(false))!.AsObject();
        var invoice = Network.CreateInvoice(new Msat(Int(body, "value_msat")), body["memo"]?.GetValue<string>() ?? "",
            TimeSpan.FromSeconds(Int(body, "expiry") is > 0 and var e ? e : 86400));
        await Json(ctx, 200, new JsonObject
        {
            ["r_hash"] = Convert.ToBase64String(invoice.PaymentHash.Span),
            ["payment_request"] = invoice.Bolt11,
            ["add_index"] = "1",
            ["payment_addr"] = Convert.ToBase64String(new byte[32]),
        }).ConfigureAwait(false);
    }

    private async Task SubscribeInvoiceAsync(HttpContext ctx, string hash)
    {
        if (!TryDecodeHashPath(hash, out var bytes) || Network.CurrentInvoiceStatus(Bytes32.FromSpan(bytes)) is null)
        {
            await Chunk(ctx, 404, 5, "unable to locate invoice").ConfigureAwait(false);
            return;
        }
        var h = Bytes32.FromSpan(bytes);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(Invoice(h, Network.CurrentInvoiceStatus(h)!).ToJsonString() + "\n", ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        try
        {
            var final = await Network.WaitInvoiceAsync(h, ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.WriteAsync(Invoice(h, final).ToJsonString() + "\n", ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static JsonObject Invoice(Bytes32 hash, InvoiceStatus status) => LndJsonShapes.Result(new JsonObject
    {
        ["r_hash"] = Convert.ToBase64String(hash.Span),
        ["state"] = status.State switch
        {
            InvoiceState.Paid => "SETTLED",
            InvoiceState.Expired or InvoiceState.Canceled => "CANCELED",
            _ => "OPEN",
        },
        ["amt_paid_msat"] = (status.AmountReceived?.Value ?? 0).ToString(CultureInfo.InvariantCulture),
        ["settle_date"] = (status.PaidAt?.ToUnixTimeSeconds() ?? 0).ToString(CultureInfo.InvariantCulture),
        ["creation_date"] = "0",
        ["expiry"] = "0",
    });

    private static long Int(JsonObject body, string name) => body[name] switch
    {
        null => 0,
        JsonValue v when v.TryGetValue<string>(out var s) => long.Parse(s, CultureInfo.InvariantCulture),
        JsonValue v => v.GetValue<long>(),
        _ => 0,
    };

    private static Task Json(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    /// <summary>A request-decoding or unary error: bare google.rpc.Status.</summary>
    private static Task Bare(HttpContext ctx, int status, int code, string message) => Json(ctx, status, LndJsonShapes.Status(code, message));

    /// <summary>A streaming RPC's error before any message: an error chunk, HTTP status from the gRPC code.</summary>
    private static Task Chunk(HttpContext ctx, int status, int code, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(LndJsonShapes.ErrorChunk(code, message).ToJsonString() + "\n", Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }
}
