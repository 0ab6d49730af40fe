using BoltGate.Server.Admin;
using BoltGate.Server.Auth;
using BoltGate.Server.Lnurl;
using BoltGate.Storage.Topups;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoltGate.Server.Topups;

public sealed record CreateTopupRequest(long? AmountSat);

/// <summary>A top-up as the API shows it: the invoice to pay (BOLT11 and a QR code of <c>lightning:BOLT11</c>) and where it stands.</summary>
public sealed record TopupResponse(
    string Id,
    string CardId,
    long AmountSat,
    string State,
    string Bolt11,
    string PaymentHash,
    string? QrSvg,
    long? ReceivedMsat,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt)
{
    public static TopupResponse From(Topup t, bool withQr = false) => new(t.Id, t.CardId, t.Amount.Value / 1000, t.State.ToString(), t.Bolt11,
        t.PaymentHashHex, withQr ? ScanForms.Svg("lightning:" + t.Bolt11.ToUpperInvariant()) : null, t.Received?.Value, t.CreatedAt, t.ExpiresAt,
        t.PaidAt);
}

public static class TopupEndpoints
{
    public static IServiceCollection AddTopups(this IServiceCollection services)
    {
        services.AddOptions<TopupOptions>().BindConfiguration("Topups")
            .Validate(o => o.InvoiceExpiry > TimeSpan.Zero && o.MaxAmountSat > 0, "Topups:InvoiceExpiry and MaxAmountSat must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TopupWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TopupWatcher>());
        services.AddSingleton<TopupService>();
        return services;
    }

    public static IEndpointRouteBuilder MapTopups(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/cards/{id}/topups", async Task<Results<Created<TopupResponse>, AdminFailure>> (string id, CreateTopupRequest? body,
            TopupService topups, CancellationToken ct) =>
            (await topups.CreateAsync(id, body?.AmountSat, ct)).Created(t => TopupResponse.From(t, withQr: true)))
            .RequireAuthorization(Scopes.FundsWrite);

        api.MapGet("/cards/{id}/topups", async Task<Results<Ok<IEnumerable<TopupResponse>>, AdminFailure>> (string id, TopupService topups,
            CancellationToken ct) =>
            (await topups.ListAsync(id, ct)).Ok(list => list.Select(t => TopupResponse.From(t))))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/topups/{id}", async Task<Results<Ok<TopupResponse>, AdminFailure>> (string id, TopupService topups, CancellationToken ct) =>
            (await topups.GetAsync(id, ct)).Ok(t => TopupResponse.From(t, withQr: true)))
            .RequireAuthorization(Scopes.CardsRead);
        return app;
    }
}
