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

    /// <summary>The card the refused request was about, when it is known (a replay, a bad signature on a known UID): rate limits count per card.</summary>
    public string? CardId { get; init; }

    /// <summary>For <see cref="GatewayError.RateLimited"/>: when to try again (the answer's <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static implicit operator Refusal(GatewayError error) => new(error);
}
