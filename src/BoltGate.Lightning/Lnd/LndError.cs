using System.Text.Json;

namespace BoltGate.Lightning.Lnd;

/// <summary>
/// An error from lnd's REST proxy. Two shapes reach us: the stream error chunk
/// <c>{"error":{"code":N,"message":"…","details":[]}}</c> and the bare <c>google.rpc.Status</c>
/// <c>{"code":N,"message":"…","details":[]}</c>; anything else (a proxy's HTML, plain "Not Found")
/// is kept as text with no gRPC code.
/// </summary>
public sealed record LndError(int? GrpcCode, string Message)
{
    public static LndError Parse(string body)
    {
        var text = body.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object)
                    root = inner;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
                    return new LndError(code, message.GetString() ?? "");
                }
            }
            catch (JsonException)
            {
                // fall through: keep the text
            }
        }
        return new LndError(null, text.Length > 300 ? text[..300] : text);
    }

    public override string ToString() => GrpcCode is { } c ? $"{Message} (gRPC code {c})" : Message;
}
