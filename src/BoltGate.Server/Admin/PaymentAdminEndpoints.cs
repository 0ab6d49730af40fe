using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoltGate.Server.Admin;

/// <summary>
/// Admin routes of the payment engine:
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
        var api = app.MapGroup("/api/v1");

        api.MapPut("/cards/{id}/payment-policy", async Task<Results<Ok<PaymentPolicyResponse>, AdminFailure>> (string id,
            PaymentPolicyRequest? body, CardService cards, CancellationToken ct) =>
            (await cards.SetPaymentPolicyAsync(id, body?.Policy, ct)).Ok(policy => new PaymentPolicyResponse(id, policy.ToString())))
            .RequireAuthorization(Scopes.CardsWrite);

        api.MapPost("/withdrawals/{id}/cancel", async Task<Results<Ok<WithdrawalResponse>, AdminFailure>> (string id, CancelRequest? body,
            CardService cards, CancellationToken ct) =>
            (await cards.CancelWithdrawalAsync(id, body?.Reason, ct)).Ok(WithdrawalResponse.From))
            .RequireAuthorization(Scopes.FundsWrite);
        return app;
    }
}

public sealed record PaymentPolicyRequest(string? Policy);

public sealed record PaymentPolicyResponse(string CardId, string Policy);

public sealed record CancelRequest(string? Reason);
