using System.Net;
using BoltGate.Client;
using BoltGate.Core.Crypto;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>The card-programming API through BoltGate.Client, as the NFC tool uses it: typed answers, typed refusals.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class ClientProgrammingTests : GatewaySuite
{
    private const string Uid = "04a39493cc8680";
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    [Fact]
    public async Task A_link_programs_a_uid_once_and_the_second_use_is_a_typed_lnurl_refusal()
    {
        using var admin = Host.Admin();
        var link = await admin.CreateProgrammingLinkAsync(new ProgrammingLinkRequest("client", PerTapLimitSat: 700), default);
        Assert.StartsWith("boltcard://program?url=", link.ProgramDeeplink, StringComparison.Ordinal);

        var keys = await admin.ProgramAsync(new Uri(link.ProgramUrl), Uid.ToUpperInvariant(), default);
        Assert.Equal("A29119FCB48E737D1591D3489557E49B", keys.K0); // DETERMINISTIC.md's vector (issuer key 00..01)
        Assert.Equal((Uid, 1, "Y"), (keys.Uid, keys.KeyVersion, keys.UidPrivacy)); // UID privacy is the default
        Assert.Equal(700, (await admin.GetCardAsync(keys.CardId, default)).PerTapLimitSat);

        var again = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.ProgramAsync(new Uri(link.ProgramUrl), Uid, default));
        Assert.Equal((HttpStatusCode.Conflict, "CODE_USED"), (again.Status, again.Code));
        Assert.Contains("already used", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_qr_flow_and_the_wipe_keys_agree()
    {
        using var admin = Host.Admin();
        var link = await admin.CreateProgrammingLinkAsync(new ProgrammingLinkRequest("qr"), default);
        var created = await admin.CreateFromLinkAsync(new Uri(link.CreateUrl), default);
        Assert.Equal(("create_bolt_card_response", "qr"), (created.ProtocolName, created.CardName));
        var wipe = await admin.GetWipeKeysAsync(created.CardId, default);
        Assert.Equal([created.K0, created.K1, created.K2, created.K3, created.K4], new[] { wipe.K0, wipe.K1, wipe.K2, wipe.K3, wipe.K4 });
        Assert.All(new[] { wipe.K0, wipe.K4 }, k => Assert.Equal(16, Hex.Decode(k).Length));
    }
}
