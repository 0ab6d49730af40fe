using System.Text.Json;
using BoltGate.Core.Lnurl;

namespace BoltGate.Core.Tests.Lnurl;

/// <summary>Every entry of lnurl.json: LUD-01 bech32 both ways, invalid ones by reason, LUD-17 mapping, containers.</summary>
[Trait(Category.Name, Category.Unit)]
public class LnurlVectorTests
{
    private static readonly Lazy<JsonElement> Root = new(() => JsonDocument.Parse(SharedFiles.ReadVector("lnurl.json")).RootElement);

    private static JsonElement Section(string name) => Root.Value.GetProperty(name);

    private static JsonElement Named(string section, string name) =>
        Section(section).EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    public static TheoryData<string> ValidNames() => Names("valid");

    public static TheoryData<string> InvalidNames() => Names("invalid");

    public static TheoryData<int> Lud17Indexes() => Indexes("lud17_scheme_mapping");

    public static TheoryData<int> ContainerIndexes() => Indexes("containers");

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_lnurl_decodes_to_its_url_and_encodes_back(string name)
    {
        var vector = Named("valid", name);
        var e = vector.GetProperty("expected");
        var url = e.GetProperty("url").GetString()!;

        var ok = Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(vector.GetProperty("lnurl").GetString()));
        Assert.Equal(url, ok.Url);
        Assert.Equal(e.GetProperty("url_utf8_hex").GetString(), Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(ok.Url)));

        var lower = LnurlCodec.Encode(url);
        Assert.Equal(e.GetProperty("encode_lowercase").GetString(), lower);
        Assert.Equal(e.GetProperty("lnurl_length_chars").GetInt32(), lower.Length);
        Assert.Equal(e.GetProperty("encode_uppercase_for_qr").GetString(), LnurlCodec.EncodeUpper(url));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_lnurl_is_rejected_for_its_reason(string name)
    {
        var vector = Named("invalid", name);
        var expected = vector.GetProperty("reason_code").GetString() switch
        {
            "mixed_case" => LnurlErrorCode.MixedCase,
            "bad_checksum" => LnurlErrorCode.BadChecksum,
            "wrong_hrp" => LnurlErrorCode.WrongHrp,
            "invalid_padding" => LnurlErrorCode.InvalidPadding,
            "insecure_scheme" => LnurlErrorCode.InsecureScheme,
            var other => throw new InvalidOperationException("No mapping for reason_code " + other),
        };
        var error = Assert.IsType<LnurlDecodeResult.Error>(LnurlCodec.Decode(vector.GetProperty("lnurl").GetString()));
        Assert.Equal(expected, error.Code);
        // The general link parser gives the same answer, or does not see an LNURL at all (wrong hrp).
        var text = vector.GetProperty("lnurl").GetString()!;
        var viaLink = Assert.IsType<LnurlDecodeResult.Error>(LnurlLink.Parse(text)).Code;
        Assert.Equal(text.StartsWith("lnurl1", StringComparison.OrdinalIgnoreCase) ? expected : LnurlErrorCode.NotAnLnurl, viaLink);
    }

    [Theory]
    [MemberData(nameof(Lud17Indexes))]
    public void Lud17_link_maps_to_its_fetch_url_and_back(int index)
    {
        var vector = Section("lud17_scheme_mapping")[index];
        var input = vector.GetProperty("input").GetString()!;
        var fetchUrl = vector.GetProperty("fetch_url").GetString()!;
        var subprotocol = vector.GetProperty("subprotocol").GetString();

        var ok = Assert.IsType<LnurlDecodeResult.Ok>(Lud17.ToFetchUrl(input));
        Assert.Equal(fetchUrl, ok.Url);
        Assert.Equal(subprotocol, ok.Subprotocol!.Value.Tag());
        Assert.Equal(ok, LnurlLink.Parse(input));
        Assert.Equal(input, Lud17.FromFetchUrl(fetchUrl, ok.Subprotocol.Value));
    }

    [Theory]
    [MemberData(nameof(ContainerIndexes))]
    public void Container_yields_the_embedded_lnurl_and_its_url(int index)
    {
        var vector = Section("containers")[index];
        var input = vector.GetProperty("input").GetString();
        Assert.Equal(vector.GetProperty("extracted_lnurl").GetString(), LnurlLink.Extract(input));
        var ok = Assert.IsType<LnurlDecodeResult.Ok>(LnurlLink.Parse(input));
        Assert.Equal(vector.GetProperty("url").GetString(), ok.Url);
    }

    [Fact]
    public void Vector_file_has_every_section()
    {
        Assert.Equal(4, Section("valid").GetArrayLength());
        Assert.Equal(7, Section("invalid").GetArrayLength());
        Assert.Equal(6, Section("lud17_scheme_mapping").GetArrayLength());
        Assert.Equal(2, Section("containers").GetArrayLength());
    }

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var v in Section(section).EnumerateArray())
            data.Add(v.GetProperty("name").GetString()!);
        return data;
    }

    private static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Section(section).GetArrayLength(); i++)
            data.Add(i);
        return data;
    }
}
