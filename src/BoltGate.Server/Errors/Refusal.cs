namespace BoltGate.Server.Errors;

/// <summary>A refusal as a value: which error, and optionally a more precise reason than the catalog's.</summary>
public sealed record Refusal(GatewayError Error, string? Detail = null)
{
    public static implicit operator Refusal(GatewayError error) => new(error);
}
