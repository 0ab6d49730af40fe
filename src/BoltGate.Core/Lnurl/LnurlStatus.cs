using System.Text.Json.Serialization;

namespace BoltGate.Core.Lnurl;

/// <summary>
/// LUD-03's <c>{"status":"OK"}</c> / <c>{"status":"ERROR","reason":"..."}</c>, plus BoltGate's optional
/// machine-readable <c>code</c> that a POS can act on. Serialize with <see cref="LnurlJsonContext"/>.
/// </summary>
public sealed record LnurlStatus
{
    public const string OkValue = "OK";
    public const string ErrorValue = "ERROR";

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonIgnore]
    public bool IsOk => Status == OkValue;

    public static LnurlStatus Ok() => new() { Status = OkValue };

    public static LnurlStatus Error(string reason, string? code = null) => new() { Status = ErrorValue, Reason = reason, Code = code };
}
