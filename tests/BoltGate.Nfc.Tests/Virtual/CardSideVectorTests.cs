using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Tests.Ntag424;
using BoltGate.Nfc.Tests.Support;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Virtual;

/// <summary>The virtual card must answer AN12196's C-APDUs with exactly AN12196's R-APDUs, and change its state accordingly.</summary>
[Trait(Category.Name, Category.Unit)]
public class CardSideVectorTests
{
    [Theory]
    [MemberData(nameof(An12196.Auths), MemberType = typeof(An12196))]
    internal void Authentication_answers_match_an12196(An12196.AuthVector v)
    {
        var random = v.First ? FixedRandom.Of(v.RndB, v.Ti) : FixedRandom.Of(v.RndB);
        var card = new VirtualNtag424(X("04958CAA5C5E80"), random);
        if (!v.First)
            card.ForceSession(new SecureChannel(new SessionKeys(Zero16, Zero16), X(v.Ti), 3, 5));
        Assert.Equal(v.Response1, S(card.Process(X(v.Part1))));
        Assert.Equal(v.Response2, S(card.Process(X(v.Part2))));
    }

    [Fact]
    public void A_wrong_key_gets_91AE_and_counts_as_a_failure()
    {
        var v = An12196.Auth14;
        var card = new VirtualNtag424(X("04958CAA5C5E80"), FixedRandom.Of(v.RndB));
        card.ForceKey(0, X("00000000000000000000000000000001"), 0);
        card.Process(X(v.Part1));
        Assert.Equal("91AE", S(card.Process(X(v.Part2))));
        Assert.Equal(1, card.FailedAuthentications);
    }

    [Fact]
    public void GetFileSettings_table_8()
    {
        var v = An12196.GetFileSettings;
        Assert.True(FileSettings.TryParseGetData(X(v.Response)[..^10], out var settings));
        var card = Card(v);
        card.ForceFileSettings(2, settings);
        Assert.Equal(v.Response, S(card.Process(X(v.Command))));
    }

    [Theory]
    [InlineData("WriteData128")]
    [InlineData("WriteDataAlt")]
    public void WriteData_full_tables_18_and_9(string which)
    {
        var v = which == "WriteData128" ? An12196.WriteData128 : An12196.WriteDataAlt;
        var card = Card(v);
        card.ForceFileSettings(2, new FileSettings(CommMode.Full, new AccessRights(AccessRights.Free, 0, 0, 0), null, 256));
        Assert.Equal(v.Response, S(card.Process(X(v.Command))));
        var expected = An12196.ZeroFilled(which == "WriteData128" ? An12196.Table16NdefFile : An12196.Table9NdefFile, 128);
        Assert.Equal(S(expected), S(card.RawFile(2).AsSpan(0, 128)));
    }

    [Fact]
    public void WriteData_full_table_22_with_key_3()
    {
        var v = An12196.WriteData10;
        var card = Card(v);
        Assert.Equal(v.Response, S(card.Process(X(v.Command))));
        Assert.Equal("0102030405060708090A", S(card.RawFile(3).AsSpan(0, 10)));
    }

    [Fact]
    public void GetCardUid_table_29()
    {
        var v = An12196.GetCardUid;
        Assert.Equal(v.Response, S(Card(v).Process(X(v.Command))));
    }

    [Fact]
    public void SetConfiguration_table_28_turns_random_id_on()
    {
        var v = An12196.SetRandomUid;
        var card = Card(v);
        Assert.Equal(v.Response, S(card.Process(X(v.Command))));
        Assert.True(card.RandomUidEnabled);
    }

    [Fact]
    public void ChangeFileSettings_table_19()
    {
        var v = An12196.ChangeFileSettings;
        var card = Card(v);
        Assert.Equal(v.Response, S(card.Process(X(v.Command))));
        Assert.Equal(S(An12196.Table19Settings.ToChangeData()), S(card.SettingsOf(2).ToChangeData()));
    }

    [Fact]
    public void ChangeKey_tables_26_and_27()
    {
        var card = Card(An12196.ChangeKey2);
        Assert.Equal(An12196.ChangeKey2.Response, S(card.Process(X(An12196.ChangeKey2.Command))));
        Assert.True(card.HasKey(2, X(An12196.Table26NewKey)));
        Assert.Equal(1, card.KeyVersion(2));

        Assert.Equal(An12196.ChangeKey0.Response, S(card.Process(X(An12196.ChangeKey0.Command))));
        Assert.True(card.HasKey(0, X(An12196.Table27NewKey)));
        Assert.Equal(1, card.KeyVersion(0));
    }

    [Fact]
    public void A_tampered_command_mac_gets_911E_and_ends_the_session()
    {
        var v = An12196.ChangeKey2;
        var card = Card(v);
        var tampered = X(v.Command);
        tampered[^2] ^= 1;
        Assert.Equal("911E", S(card.Process(tampered)));
        Assert.True(card.HasKey(2, Zero16));
        // The session is gone: the genuine command is refused now.
        Assert.Equal("919D", S(card.Process(X(v.Command))));
    }

    [Fact]
    public void GetVersion_table_13()
    {
        var card = new VirtualNtag424(X("04968CAA5C5E80"));
        Assert.Equal("0404083000110591AF", S(card.Process(X("9060000000"))));
        Assert.Equal("0404020101110591AF", S(card.Process(X("90AF000000"))));
        Assert.Equal("04968CAA5C5E80CD65935D4021189100", S(card.Process(X("90AF000000"))));
    }

    private static VirtualNtag424 Card(An12196.SecuredVector v)
    {
        var card = new VirtualNtag424(X("04958CAA5C5E80"));
        card.ForceSession(v.Channel());
        return card;
    }
}
