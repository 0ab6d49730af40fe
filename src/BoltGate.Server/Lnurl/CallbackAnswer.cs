using BoltGate.Server.Errors;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// What <c>/ln/callback</c> answers: a refusal (LNURL ERROR), or OK — with a reason when the payment is
/// still pending (<c>{"status":"OK","reason":"pending: ..."}</c>, as BTCPay answers).
/// </summary>
public sealed record CallbackAnswer(Refusal? Refusal, string? OkReason)
{
    public static CallbackAnswer Ok { get; } = new(null, null);

    public static CallbackAnswer Pending(string reason) => new(null, reason);

    public static implicit operator CallbackAnswer(Refusal refusal) => new(refusal, null);

    public static implicit operator CallbackAnswer(GatewayError error) => new(new Refusal(error), null);
}
