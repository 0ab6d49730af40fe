using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BoltGate.Core.Money;

namespace BoltGate.Core.Lnurl;

/// <summary>
/// Source-generated System.Text.Json metadata for the LUD-03 shapes. Property names are LUD-03's
/// exactly (camelCase); nulls are left out; <see cref="Msat"/> is a JSON integer of millisatoshi.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(MsatJsonConverter)])]
[JsonSerializable(typeof(WithdrawRequest))]
[JsonSerializable(typeof(LnurlStatus))]
public sealed partial class LnurlJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The same metadata, written for people: reasons keep their apostrophes, quotes, accents and
    /// ellipses as they are (<c>card's</c>, not <c>card\u0027s</c>), because wallets and curl users show
    /// <c>reason</c> verbatim. Only what JSON itself requires is escaped. Use it for every answer sent over HTTP.
    /// </summary>
    public static LnurlJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new MsatJsonConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>Writes and reads <see cref="Msat"/> as an integer number of millisatoshi.</summary>
public sealed class MsatJsonConverter : JsonConverter<Msat>
{
    public override Msat Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
            throw new JsonException("Expected an integer number of millisatoshi.");
        return new Msat(value);
    }

    public override void Write(Utf8JsonWriter writer, Msat value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.Value);
}
