using BoltGate.Payments;
using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Admin;

/// <summary>
/// Admin routes of the payment engine (Bearer key as on every admin route):
/// <list type="bullet">
/// <item><c>PUT /api/v1/cards/{id}/payment-policy</c> <c>{"policy":"FastFail"|"GradedRetry"}</c>: the strategy for
/// the card's future withdrawals (GradedRetry for operator payouts).</item>
/// <item><c>POST /api/v1/withdrawals/{id}/cancel</c> <c>{"reason"?}</c>: refunds a withdrawal that is waiting
/// (Reserved, e.g. between GradedRetry attempts); 409 for one the node may be paying or that is final.</item>
/// </list>
/// </summary>
public static class PaymentAdminEndpoints
{
    public static IEndpointRouteBuilder MapPaymentAdmin(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<AdminAuthFilter>();

        api.MapPut("/cards/{id}/payment-policy", async (string id, PaymentPolicyRequest? body, BoltGateStore store, CancellationToken ct) =>
        {
            if (body?.Policy is null || !Enum.TryParse<PaymentPolicy>(body.Policy, ignoreCase: true, out var policy) || !Enum.IsDefined(policy))
                return Error(400, "BAD_REQUEST", "policy must be \"FastFail\" or \"GradedRetry\".");
            return await store.SetCardPaymentPolicyAsync(id, policy, ct)
                ? Results.Json(new PaymentPolicyResponse(id, policy.ToString()))
                : Error(404, "CARD_NOT_FOUND", "No card with this id.");
        });

        api.MapPost("/withdrawals/{id}/cancel", async (string id, CancelRequest? body, PaymentEngine engine, CancellationToken ct) =>
            await engine.CancelAsync(id, "canceled by the operator" + (string.IsNullOrWhiteSpace(body?.Reason) ? "" : ": " + body.Reason), ct) switch
            {
                TransitionResult.Applied applied => Results.Json(WithdrawalResponse.From(applied.Withdrawal)),
                TransitionResult.WrongState wrong => Error(409, "WITHDRAWAL_NOT_CANCELABLE",
                    $"The withdrawal is {wrong.Current}; only a waiting (Reserved) withdrawal can be canceled, never one the node may be paying."),
                _ => Error(404, "WITHDRAWAL_NOT_FOUND", "No withdrawal with this id."),
            });
        return app;
    }

    private static IResult Error(int status, string code, string message) => Results.Json(new AdminError(code, message), statusCode: status);
}

public sealed record PaymentPolicyRequest(string? Policy);

public sealed record PaymentPolicyResponse(string CardId, string Policy);

public sealed record CancelRequest(string? Reason);
