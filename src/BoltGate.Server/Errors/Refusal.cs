using BoltGate.Core.Payments;

namespace BoltGate.Server.Errors;

/// <summary>
/// A refusal as a value: which error, optionally a more precise reason than the catalog's, and for a
/// definitive payment failure the failure kind, whose stable code (NO_ROUTE, ...) the POS then sees.
/// </summary>
public sealed record Refusal(GatewayError Error, string? Detail = null, FailureKind? Failure = null)
{
    /// <summary>The machine-readable code the client sees.</summary>
    public string Code => Failure?.Code() ?? ErrorCatalog.Describe(Error).Code;

    public static implicit operator Refusal(GatewayError error) => new(error);
}
