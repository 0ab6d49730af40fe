using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Tests.Support;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Ntag424;

/// <summary>The reader side (Ntag424Card) must produce exactly AN12196's C-APDUs and accept its R-APDUs.</summary>
[Trait(Category.Name, Category.Unit)]
public class ReaderSideVectorTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [MemberData(nameof(An12196.Auths), MemberType = typeof(An12196))]
    internal async Task Authentication_matches_an12196(An12196.AuthVector v)
    {
        var transport = new ScriptedTransport((v.Part1, v.Response1), (v.Part2, v.Response2));
        var card = new Ntag424Card(transport, FixedRandom.Of(v.RndA));
        AuthResult result;
        if (v.First)
        {
            result = await card.AuthenticateEv2FirstAsync(v.KeyNo, Zero16, Ct);
        }
        else
        {
            card.UseSession(new SecureChannel(new SessionKeys(Zero16, Zero16), X(v.Ti), 3, 7));
            result = await card.AuthenticateEv2NonFirstAsync(v.KeyNo, Zero16, Ct);
        }
        transport.AssertDone();
        Assert.True(result.Succeeded);
        Assert.Equal(v.Enc, S(card.Session!.Keys.Enc));
        Assert.Equal(v.Mac, S(card.Session.Keys.Mac));
        Assert.Equal(v.Ti, S(card.Session.Ti));
        Assert.Equal(v.First ? 0 : 7, card.Session.CommandCounter);
    }

    [Fact]
    public async Task A_wrong_key_is_a_rejected_authentication_not_an_exception()
    {
        var v = An12196.Auth14;
        var transport = new ScriptedTransport((v.Part1, v.Response1), (v.Part2, "91AE"));
        var card = new Ntag424Card(transport, FixedRandom.Of(v.RndA));
        var result = await card.AuthenticateEv2FirstAsync(0, Zero16, Ct);
        Assert.False(result.Succeeded);
        Assert.Equal(StatusWords.AuthenticationError, result.StatusWord);
        Assert.Null(card.Session);
    }

    [Fact]
    public async Task GetFileSettings_in_mac_mode_table_8()
    {
        var v = An12196.GetFileSettings;
        var card = Card(v);
        var settings = await card.GetFileSettingsAsync(0x02, Ct);
        Assert.Equal(CommMode.Plain, settings.CommMode);
        Assert.Equal(new AccessRights(AccessRights.Free, AccessRights.Free, AccessRights.Free, AccessRights.Free), settings.Access);
        Assert.Equal(256, settings.FileSize);
        var sdm = settings.Sdm!;
        Assert.True(sdm.UidMirror && sdm.ReadCounterMirror && sdm.EncryptedFileData && sdm.Ascii);
        Assert.Equal((0x1F, 0x44, 0x44, 0x20, 0x6A), (sdm.PiccDataOffset, sdm.MacInputOffset, sdm.EncOffset, sdm.EncLength, sdm.MacOffset));
        Assert.Equal(1, card.Session!.CommandCounter);
    }

    [Fact]
    public async Task WriteData_full_table_18()
    {
        var card = Card(An12196.WriteData128);
        await card.WriteDataAsync(0x02, 0, An12196.ZeroFilled(An12196.Table16NdefFile, 128), CommMode.Full, Ct);
        Assert.Equal(1, card.Session!.CommandCounter);
    }

    [Fact]
    public async Task WriteData_full_table_9()
    {
        var card = Card(An12196.WriteDataAlt);
        await card.WriteDataAsync(0x02, 0, An12196.ZeroFilled(An12196.Table9NdefFile, 128), CommMode.Full, Ct);
    }

    [Fact]
    public async Task WriteData_full_table_22()
    {
        var card = Card(An12196.WriteData10);
        await card.WriteDataAsync(0x03, 0, X("0102030405060708090A"), CommMode.Full, Ct);
    }

    [Fact]
    public async Task GetCardUid_full_table_29()
    {
        var card = Card(An12196.GetCardUid);
        Assert.Equal("04958CAA5C5E80", S(await card.GetCardUidAsync(Ct)));
    }

    [Fact]
    public async Task SetConfiguration_random_id_table_28()
    {
        var card = Card(An12196.SetRandomUid);
        await card.EnableRandomUidAsync(Ct);
    }

    [Fact]
    public async Task ChangeFileSettings_sdm_table_19()
    {
        Assert.Equal("4000E0C1F121200000430000430000", S(An12196.Table19Settings.ToChangeData()));
        var card = Card(An12196.ChangeFileSettings);
        await card.ChangeFileSettingsAsync(0x02, An12196.Table19Settings, Ct);
        Assert.Equal(2, card.Session!.CommandCounter);
    }

    [Fact]
    public async Task ChangeKey_other_key_table_26()
    {
        var card = Card(An12196.ChangeKey2);
        await card.ChangeKeyAsync(2, X(An12196.Table26NewKey), 0x01, Zero16, Ct);
        Assert.Equal(3, card.Session!.CommandCounter);
    }

    [Fact]
    public async Task ChangeKey_session_key_table_27_ends_the_session()
    {
        var card = Card(An12196.ChangeKey0);
        await card.ChangeKeyAsync(0, X(An12196.Table27NewKey), 0x01, Zero16, Ct);
        Assert.Null(card.Session);
    }

    [Fact]
    public async Task A_forged_response_mac_is_refused_and_ends_the_session()
    {
        var v = An12196.ChangeKey2 with { Response = "203BB55D1089D5889100" };
        var card = Card(v);
        var ex = await Assert.ThrowsAsync<Ntag424Exception>(() => card.ChangeKeyAsync(2, X(An12196.Table26NewKey), 0x01, Zero16, Ct));
        Assert.Contains("MAC", ex.Message, StringComparison.Ordinal);
        Assert.Null(card.Session);
    }

    // Table 13: GetVersion, three frames.
    [Fact]
    public async Task GetVersion_table_13()
    {
        var transport = new ScriptedTransport(
            ("9060000000", "0404083000110591AF"),
            ("90AF000000", "0404020101110591AF"),
            ("90AF000000", "04968CAA5C5E80CD65935D4021189100"));
        var version = await new Ntag424Card(transport).GetVersionAsync(Ct);
        Assert.True(version.IsNtag424Dna);
        Assert.Equal("04968CAA5C5E80", S(version.Uid));
        Assert.Equal(2018, version.ProductionYear);
        Assert.Equal(21, version.ProductionWeek);
    }

    private static Ntag424Card Card(An12196.SecuredVector v)
    {
        var card = new Ntag424Card(new ScriptedTransport((v.Command, v.Response)));
        card.UseSession(v.Channel());
        return card;
    }
}
