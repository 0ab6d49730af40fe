using System.Reflection;
using BoltGate.Server.Cards;
using BoltGate.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace BoltGate.Server.Admin;

/// <summary>
/// The one place where a card operation's <see cref="CardError"/> becomes an HTTP answer of the admin API:
/// its status, its stable code, as problem details (<see cref="AdminProblem"/>). As a typed result it tells the endpoint's
/// metadata (and so the OpenAPI document) which statuses and body an admin route can answer with.
/// </summary>
public sealed class AdminFailure : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<AdminProblem>, IEndpointMetadataProvider
{
    private static readonly int[] Statuses =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
        StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable,
    ];

    private AdminFailure(int statusCode, string code, string message)
    {
        StatusCode = statusCode;
        Value = AdminProblem.Of(statusCode, code, message);
    }

    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public AdminProblem Value { get; }

    object? IValueHttpResult.Value => Value;

    public static AdminFailure From(CardError error) => error.Kind switch
    {
        CardErrorKind.Invalid => new(StatusCodes.Status400BadRequest, "BAD_REQUEST", error.Message),
        CardErrorKind.CardNotFound => new(StatusCodes.Status404NotFound, "CARD_NOT_FOUND", error.Message),
        CardErrorKind.KeysUnknown => new(StatusCodes.Status404NotFound, "CARD_KEYS_UNKNOWN", error.Message),
        CardErrorKind.WithdrawalNotFound => new(StatusCodes.Status404NotFound, "WITHDRAWAL_NOT_FOUND", error.Message),
        CardErrorKind.CardExists => new(StatusCodes.Status409Conflict, "CARD_EXISTS", error.Message),
        CardErrorKind.InsufficientBalance => new(StatusCodes.Status409Conflict, "INSUFFICIENT_BALANCE", error.Message),
        CardErrorKind.PublicUrlRequired => new(StatusCodes.Status409Conflict, "PUBLIC_URL_REQUIRED", error.Message),
        CardErrorKind.WithdrawalNotCancelable => new(StatusCodes.Status409Conflict, "WITHDRAWAL_NOT_CANCELABLE", error.Message),
        CardErrorKind.IdempotencyKeyReused => new(StatusCodes.Status422UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED", error.Message),
        CardErrorKind.ApiKeyNotFound => new(StatusCodes.Status404NotFound, "API_KEY_NOT_FOUND", error.Message),
        CardErrorKind.NotFound => new(StatusCodes.Status404NotFound, "NOT_FOUND", error.Message),
        CardErrorKind.NodeUnavailable => new(StatusCodes.Status503ServiceUnavailable, "NODE_UNAVAILABLE", error.Message),
        CardErrorKind.BalanceTooHigh => new(StatusCodes.Status409Conflict, "BALANCE_TOO_HIGH", error.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, null),
    };

    /// <summary>A request without the body the route needs (a shape problem, before any card is looked at).</summary>
    public static AdminFailure BadRequest(string message) => From(CardError.Invalid(message));

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Json(Value, contentType: AdminProblem.ContentType, statusCode: StatusCode).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in Statuses)
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(AdminProblem), [AdminProblem.ContentType]));
    }
}

/// <summary>Card results to typed HTTP answers: the value on success, <see cref="AdminFailure"/> otherwise.</summary>
public static class AdminAnswers
{
    public static Results<Ok<TBody>, AdminFailure> Ok<T, TBody>(this CardResult<T> result, Func<T, TBody> body) =>
        result.Error is { } error ? AdminFailure.From(error) : TypedResults.Ok(body(result.Value!));

    public static Results<Created<TBody>, AdminFailure> Created<T, TBody>(this CardResult<T> result, Func<T, TBody> body) =>
        result.Error is { } error ? AdminFailure.From(error) : TypedResults.Created((string?)null, body(result.Value!));
}
