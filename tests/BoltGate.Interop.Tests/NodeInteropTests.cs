using System.Text.Json;

namespace BoltGate.Interop.Tests;

/// <summary>
/// The real gateway process driven by wallet libraries nobody here wrote: npm's js-lnurl 0.6.0 parses the
/// tap (bech32 LNURL → withdrawRequest) and bolt11 1.4.1 signs the regtest invoices it pays
/// (tests/interop/withdraw.mjs; scripts/deps/node.sh installs them). Every refusal must reach such a
/// client as HTTP 200 with <c>status: ERROR</c> and BoltGate's reason, which is what it shows the holder.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class NodeInteropTests
{
    private static string InteropDir => Path.Combine(SharedFiles.RepoRoot, "tests", "interop");

    public static IEnumerable<object[]> Refusals() =>
    [
        ["REPLAY", "This tap was already used; tap the card again.", "js-lnurl getParams"],
        ["K1_USED", "The withdrawal session was already used; tap the card again.", "callback"],
        ["INVOICE_EXPIRED", "The invoice has expired or expires too soon.", "callback"],
        ["INVOICE_WRONG_NETWORK", "The invoice is for Testnet; this gateway pays on Regtest.", "callback"],
        ["LIMIT_TX", "The amount is above this card's per-payment limit.", "callback"],
        ["PIN_REQUIRED", "A PIN is required for this amount.", "callback"],
        ["PIN_WRONG", "Wrong PIN; 2 tries left before the card locks.", "callback"],
    ];

    private static readonly Lazy<Task<JsonElement>> Run = new(RunScriptAsync);

    [Fact(Timeout = 180_000)]
    public async Task Js_lnurl_reads_the_tap_and_a_bolt11_signed_regtest_invoice_is_paid()
    {
        var run = await Run.Value;
        Assert.StartsWith("LNURL1", run.GetProperty("lnurl").GetString(), StringComparison.Ordinal);
        var offer = run.GetProperty("offer");
        Assert.Equal("withdrawRequest", offer.GetProperty("tag").GetString());
        Assert.Matches("^[0-9a-f]{32}$", offer.GetProperty("k1").GetString()!);
        Assert.Equal("127.0.0.1", offer.GetProperty("domain").GetString());
        Assert.EndsWith("/ln/callback", offer.GetProperty("callback").GetString(), StringComparison.Ordinal);
        Assert.Equal(1_000, offer.GetProperty("minWithdrawable").GetInt64());
        Assert.True(offer.GetProperty("maxWithdrawable").GetInt64() is > 9_000_000 and <= 10_000_000, offer.ToString());
        // No PIN on this card: no pinLimit, so strict LUD-03 models (LNbits' lnurl) accept the answer.
        Assert.False(offer.TryGetProperty("pinLimit", out _), offer.ToString());
        Assert.Equal("bcrt", run.GetProperty("invoice").GetProperty("network").GetString());
        Assert.Equal("OK", run.GetProperty("paid").GetProperty("status").GetString());
        Assert.Equal(200, run.GetProperty("paid").GetProperty("httpStatus").GetInt32());

        Assert.Equal(100_000, run.GetProperty("pinOffer").GetProperty("pinLimit").GetInt64());
        Assert.Equal("OK", run.GetProperty("pinPaid").GetProperty("status").GetString());
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_reaches_the_client_with_its_reason(string code, string reason, string via)
    {
        var run = await Run.Value;
        Assert.True(run.GetProperty("refusals").TryGetProperty(code, out var refusal), $"the script reported no {code}: {run}");
        Assert.Equal(via, refusal.GetProperty("via").GetString());
        Assert.Equal(200, refusal.GetProperty("httpStatus").GetInt32());
        Assert.Equal("ERROR", refusal.GetProperty("status").GetString());
        Assert.Equal(code, refusal.GetProperty("code").GetString());
        Assert.Equal(reason, refusal.GetProperty("reason").GetString());
    }

    [Theory(Timeout = 180_000)]
    [InlineData("ok")]
    [InlineData("http4xx")]
    public async Task Why_200_js_lnurl_hands_the_wallet_the_reason_only_when_the_refusal_is_not_a_4xx(string errorStatus)
    {
        var run = await RunAsync("replay.mjs", "--Lnurl:ErrorStatus=" + errorStatus);
        Assert.Equal("OK", run.GetProperty("paid").GetString());
        var returned = run.GetProperty("returned");
        Assert.Equal("ERROR", returned.GetProperty("status").GetString());
        var reason = returned.GetProperty("reason").GetString()!;
        if (errorStatus == "ok")
        {
            Assert.Equal("This tap was already used; tap the card again.", reason);
        }
        else
        {
            // On a 409 the library swallows the body into "<url> returned error: {...}": the wallet shows
            // the tap URL and raw JSON instead of the reason.
            Assert.StartsWith(returned.GetProperty("url").GetString() + " returned error: {\"status\":\"ERROR\"", reason, StringComparison.Ordinal);
        }
    }

    private static Task<JsonElement> RunScriptAsync() => RunAsync("withdraw.mjs");

    private static async Task<JsonElement> RunAsync(string script, params string[] serverArgs)
    {
        if (!Directory.Exists(Path.Combine(InteropDir, "node_modules", "js-lnurl")) || !Directory.Exists(Path.Combine(InteropDir, "node_modules", "bolt11")))
            throw new InvalidOperationException($"js-lnurl and bolt11 are not installed in {InteropDir}; run scripts/test.sh (scripts/deps/node.sh installs them).");
        using var workDir = new Processes.TempDir();
        using var server = ServerProcess.Start(workDir.Path, serverArgs);
        await server.WaitHealthyAsync();
        var result = await Processes.RunAsync("node", [script, server.Url, server.AdminKey], InteropDir, TimeSpan.FromSeconds(120));
        Assert.True(result.Code == 0, result + "\n--- server\n" + server.Stdout + server.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }
}
