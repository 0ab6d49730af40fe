using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Lnurl;
using BoltGate.Core.Money;

namespace BoltGate.Core.Tests.Lnurl;

/// <summary>What wallets read: reasons as written, LNURLs where LUD-01 allows them, throwaway invoices that decode.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class WalletFacingTests
{
    [Fact]
    public void Readable_json_keeps_apostrophes_quotes_and_accents_as_written()
    {
        var json = JsonSerializer.Serialize(LnurlStatus.Error("The card's balance is too low — \"tap\" again <now> & café…", "X"),
            LnurlJsonContext.Readable.LnurlStatus);
        Assert.Equal("""{"status":"ERROR","reason":"The card's balance is too low — \"tap\" again <now> & café…","code":"X"}""", json);
        // The default context escapes them: that is what curl users used to read.
        Assert.Contains("\\u0027", JsonSerializer.Serialize(LnurlStatus.Error("card's"), LnurlJsonContext.Default.LnurlStatus), StringComparison.Ordinal);
        var offer = new WithdrawRequest
        {
            Callback = "https://x/ln/callback",
            K1 = new string('a', 32),
            DefaultDescription = "d",
            MinWithdrawable = new Msat(1_000),
            MaxWithdrawable = new Msat(5_000),
            BalanceCheck = "https://x/ln/balance?card=1&t=2",
        };
        Assert.Equal(
            """{"tag":"withdrawRequest","callback":"https://x/ln/callback","k1":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","defaultDescription":"d","minWithdrawable":1000,"maxWithdrawable":5000,"balanceCheck":"https://x/ln/balance?card=1&t=2"}""",
            JsonSerializer.Serialize(offer, LnurlJsonContext.Readable.WithdrawRequest));
    }

    [Theory]
    [InlineData("https://pay.example.com/ln?p=00&c=11", false, true)]
    [InlineData("http://abcdef.onion/ln", false, true)]
    [InlineData("http://127.0.0.1:5000/ln?p=00", false, false)]
    [InlineData("http://127.0.0.1:5000/ln?p=00", true, true)]
    [InlineData("http://localhost:5000/ln", true, true)]
    [InlineData("http://pay.example.com/ln", true, false)]
    public void An_lnurl_is_given_only_where_lud01_or_a_loopback_dev_gateway_allows(string url, bool loopback, bool encoded)
    {
        var lnurl = LnurlCodec.TryEncodeUpper(url, loopback);
        Assert.Equal(encoded, lnurl is not null);
        if (lnurl is null)
            return;
        Assert.StartsWith("LNURL1", lnurl, StringComparison.Ordinal);
        if (!loopback)
            Assert.Equal(url, Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(lnurl)).Url);
    }

    [Fact]
    public void A_throwaway_invoice_is_signed_on_its_network_with_its_amount_and_expiry()
    {
        var now = DateTimeOffset.UtcNow;
        var a = ThrowawayInvoice.Create(BitcoinNetwork.Regtest, Msat.FromSat(1_000), now, "dev", TimeSpan.FromMinutes(10));
        var b = ThrowawayInvoice.Create(BitcoinNetwork.Regtest, Msat.FromSat(1_000), now, "dev", TimeSpan.FromMinutes(10));
        var invoice = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(a)).Invoice;
        Assert.StartsWith("lnbcrt10u1", a, StringComparison.Ordinal);
        Assert.Equal(BitcoinNetwork.Regtest, invoice.Network);
        Assert.Equal(Msat.FromSat(1_000), invoice.Amount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).AddMinutes(10), invoice.ExpiresAt);
        var other = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(b)).Invoice;
        Assert.NotEqual(invoice.PayeeHex, other.PayeeHex);
        Assert.NotEqual(invoice.PaymentHash, other.PaymentHash);
    }
}
