using Microsoft.AspNetCore.WebUtilities;

namespace BoltGate.Server.Errors;

/// <summary>
/// The admin API's error body: RFC 9457 problem details (<c>application/problem+json</c>) with the stable
/// <c>code</c> a program acts on, and <c>message</c> (the same words as <c>detail</c>) for clients of the
/// earlier <c>{"code","message"}</c> shape.
/// </summary>
public sealed record AdminProblem(string Type, string Title, int Status, string Detail, string Code, string Message)
{
    public const string ContentType = "application/problem+json";

    public static AdminProblem Of(int status, string code, string message) =>
        new("about:blank", ReasonPhrases.GetReasonPhrase(status), status, message, code, message);

    /// <summary>The problem as an HTTP answer.</summary>
    public static IResult Result(int status, string code, string message) =>
        TypedResults.Json(Of(status, code, message), contentType: ContentType, statusCode: status);
}

/// <summary>Declares, for the OpenAPI document, the problem answers of a route that does not return <c>AdminFailure</c>.</summary>
public static class AdminProblemMetadata
{
    public static TBuilder ProducesAdminProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            builder.WithMetadata(new Microsoft.AspNetCore.Http.ProducesResponseTypeMetadata(status, typeof(AdminProblem),
                [AdminProblem.ContentType]));
        }
        return builder;
    }
}
