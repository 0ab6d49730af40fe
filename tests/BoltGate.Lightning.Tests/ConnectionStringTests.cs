using BoltGate.Core.Bitcoin;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests;

[Trait(Category.Name, Category.Unit)]
public sealed class ConnectionStringTests
{
    private const string Thumb = "abef263adfe1abef263adfe1abef263adfe1abef263adfe1abef263adfe10000";
    private const string SecretMacaroon = "0201036c6e6402f801030a10b3";

    [Fact]
    public void Lnd_rest_with_inline_macaroon_and_thumbprint()
    {
        var cs = Assert.IsType<LightningConnectionString.LndRest>(LightningConnectionString.Parse(
            $"type=lnd-rest;server=https://mylnd:8080/;macaroon={SecretMacaroon};certthumbprint={Thumb}"));
        Assert.Equal(new Uri("https://mylnd:8080/"), cs.Server);
        Assert.Equal(SecretMacaroon, cs.Macaroon!.ReadHex());
        Assert.Equal(32, cs.CertThumbprint!.Length);
        Assert.DoesNotContain(SecretMacaroon, cs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Btcpay_readme_examples_parse()
    {
        Assert.IsType<LightningConnectionString.LndRest>(LightningConnectionString.Parse(
            "type=lnd-rest;server=http://mylnd:8080/;macaroonfilepath=/root/.lnd/invoice.macaroon;allowinsecure=true"));
        Assert.IsType<LightningConnectionString.LndRest>(LightningConnectionString.Parse(
            "type=lnd-rest;server=https://mylnd:8080/;macaroonfilepath=/root/.lnd/invoice.macaroon;certfilepath=/var/lib/lnd/tls.cert"));
        var cln = Assert.IsType<LightningConnectionString.CoreLightning>(LightningConnectionString.Parse("type=clightning;server=unix://root/.lightning/lightning-rpc"));
        Assert.Equal("/root/.lightning/lightning-rpc", cln.SocketPath);
        var tcp = Assert.IsType<LightningConnectionString.CoreLightning>(LightningConnectionString.Parse("type=clightning;server=tcp://1.1.1.1:27743/"));
        Assert.Equal(("1.1.1.1", 27743), (tcp.TcpHost, tcp.TcpPort));
    }

    [Fact]
    public void Keys_are_case_insensitive_and_colons_are_allowed_in_the_thumbprint()
    {
        var colon = string.Join(':', Enumerable.Range(0, 32).Select(i => Thumb.Substring(i * 2, 2)));
        var cs = Assert.IsType<LightningConnectionString.LndRest>(LightningConnectionString.Parse(
            $"Type=lnd-rest; Server=https://127.0.0.1:8080/ ; CertThumbprint={colon}"));
        Assert.Equal(Convert.FromHexString(Thumb), cs.CertThumbprint);
    }

    [Theory]
    [InlineData("/root/.lightning/lightning-rpc", "/root/.lightning/lightning-rpc")]
    [InlineData("unix://root/.lightning/regtest/lightning-rpc", "/root/.lightning/regtest/lightning-rpc")]
    public void Legacy_bare_socket_means_core_lightning(string text, string path)
    {
        Assert.Equal(path, Assert.IsType<LightningConnectionString.CoreLightning>(LightningConnectionString.Parse(text)).SocketPath);
    }

    [Fact]
    public void Simulated_defaults_and_options()
    {
        var d = Assert.IsType<LightningConnectionString.Simulated>(LightningConnectionString.Parse("type=simulated"));
        Assert.Equal((BitcoinNetwork.Regtest, UnknownPayeePolicy.Succeed), (d.Network, d.UnknownPayees));
        var o = Assert.IsType<LightningConnectionString.Simulated>(LightningConnectionString.Parse("type=simulated;network=signet;unknownpayees=fail;delay=2s"));
        Assert.Equal((BitcoinNetwork.Signet, UnknownPayeePolicy.NoRoute, TimeSpan.FromSeconds(2)), (o.Network, o.UnknownPayees, o.Delay));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("server=https://x/", "'type'")]
    [InlineData("type=eclair;server=https://x/", "'type'")]
    [InlineData("type=lnd-rest", "'server'")]
    [InlineData("type=lnd-rest;server=ftp://x/", "'server'")]
    [InlineData("type=lnd-rest;server=http://mylnd:8080/", "allowinsecure")]
    [InlineData("type=lnd-rest;server=https://x/;allowinsecure=yes", "'allowinsecure'")]
    [InlineData("type=lnd-rest;server=https://x/;macaroon=zz" + SecretMacaroon, "'macaroon'")]
    [InlineData("type=lnd-rest;server=https://x/;macaroon=" + SecretMacaroon + "1", "'macaroon'")]
    [InlineData("type=lnd-rest;server=https://x/;macaroon=00;macaroonfilepath=/a.macaroon", "'macaroonfilepath'")]
    [InlineData("type=lnd-rest;server=https://x/;macaroonfilepath=/root/admin.txt", "'macaroonfilepath'")]
    [InlineData("type=lnd-rest;server=https://x/;certthumbprint=abcd", "'certthumbprint'")]
    [InlineData("type=lnd-rest;server=https://x/;certthumbprint=" + Thumb + ";certfilepath=/tls.cert", "'certfilepath'")]
    [InlineData("type=lnd-rest;server=https://x/;macaroon=00;macaroon=00", "'macaroon' appears more than once")]
    [InlineData("type=lnd-rest;server=https://x/;tlscert=abc", "'tlscert'")]
    [InlineData("type=lnd-rest;server=https://x/;" + SecretMacaroon, "Part 3")]
    [InlineData("type=clightning", "'server'")]
    [InlineData("type=clightning;server=http://x/", "'server'")]
    [InlineData("type=clightning;server=unix://", "'server'")]
    [InlineData("type=clightning;server=unix://a;macaroon=00", "'macaroon'")]
    [InlineData("type=simulated;network=litecoin", "'network'")]
    [InlineData("type=simulated;unknownpayees=maybe", "'unknownpayees'")]
    [InlineData("type=simulated;delay=soon", "'delay'")]
    [InlineData("type=simulated;server=x", "'server'")]
    [InlineData("type=lnd-rest;server=", "'server' has an empty value")]
    public void Bad_strings_name_the_bad_part_and_never_echo_the_macaroon(string text, string named)
    {
        Assert.False(LightningConnectionString.TryParse(text, out var result, out var error));
        Assert.Null(result);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretMacaroon, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => LightningNodeFactory.Create(text, TimeProvider.System));
    }

    // Found by tests/BoltGate.ParserFuzz (connection-string): the error quoted the type value or key,
    // and with a lost ';' that value carried the macaroon (corpus/connection-string/finding-*).
    [Theory]
    [InlineData("type=lnd-rest,macaroon=" + SecretMacaroon + ";server=https://x/")]
    [InlineData("type=lnd-rest;macaroon " + SecretMacaroon + "=x;server=https://x/")]
    [InlineData("type=lnd-rest;server=https://x/;macaroon" + SecretMacaroon + "=")]
    [InlineData("type=lnd-rest;server=https://x/;x" + SecretMacaroon + "=1;x" + SecretMacaroon + "=1")]
    public void A_secret_glued_to_a_type_value_or_key_stays_out_of_the_error(string text)
    {
        Assert.False(LightningConnectionString.TryParse(text, out _, out var error));
        Assert.DoesNotContain(SecretMacaroon[..12], error, StringComparison.Ordinal);
        Assert.Contains("not shown", error, StringComparison.Ordinal);
    }

    // Found by tests/BoltGate.ParserFuzz (connection-string): TimeSpan.FromSeconds threw past its range.
    [Theory]
    [InlineData("type=simulated;delay=99999999999999999s", "'delay'")]
    [InlineData("type=simulated;delay=9223372036854775807ms", "'delay'")]
    [InlineData("type=simulated;holdfor=99999999999999999ms", "'holdfor'")]
    [InlineData("type=simulated;delay=3601s", "'delay'")]
    public void A_duration_too_long_for_a_timespan_is_refused_not_thrown(string text, string named)
    {
        Assert.False(LightningConnectionString.TryParse(text, out _, out var error));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Onion_host_may_use_plain_http()
    {
        Assert.True(LightningConnectionString.TryParse("type=lnd-rest;server=http://abcdef.onion:8080/", out _, out _));
    }

    [Fact]
    public async Task Factory_builds_a_working_simulated_node_with_the_standard_payees()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var node = Assert.IsType<SimulatedNode>(LightningNodeFactory.Create("type=simulated;network=regtest;delay=0ms", time));
        var info = await node.GetInfoAsync(CancellationToken.None);
        Assert.Equal(BitcoinNetwork.Regtest, info.Network);
        Assert.IsType<RouteProbe.NoRoute>(await node.ProbeRouteAsync(node.Network.PayeePubKeyHex("noroute"), Core.Money.Msat.FromSat(1), CancellationToken.None));
    }

    [Fact]
    public void Factory_builds_lnd_and_core_lightning_clients()
    {
        using var lnd = LightningNodeFactory.Create($"type=lnd-rest;server=https://127.0.0.1:8080/;macaroon=00;certthumbprint={Thumb}", TimeProvider.System);
        Assert.IsType<Lnd.LndRestClient>(lnd);
        using var cln = LightningNodeFactory.Create("type=clightning;server=unix://tmp/lightning-rpc", TimeProvider.System);
        Assert.IsType<CoreLightning.CoreLightningClient>(cln);
    }
}
