using BoltGate.Core.Lnurl;
using BoltGate.Server.Errors;
using BoltGate.Server.Hardening;
using BoltGate.Server.Metrics;
using Microsoft.Extensions.Primitives;

namespace BoltGate.Server.Lnurl;

/// <summary>The two LUD-03 routes a POS talks to. Every refusal is the ERROR form (HTTP 200 unless Lnurl:ErrorStatus=http4xx).</summary>
public static class LnurlEndpoints
{
    public static IEndpointRouteBuilder MapLnurl(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ln", async (HttpContext http, OfferService offers, PublicUrls urls, GatewayMetrics metrics, FailureLimiter failures) =>
        {
            var address = FailureLimiter.Address(http);
            if (failures.Blocked(LimitedFailure.TapByAddress, address) is { } wait)
                return RefuseTap(metrics, new Refusal(GatewayError.RateLimited, "Too many failed taps from this address; try again shortly.") { RetryAfter = wait });
            var q = http.Request.Query;
            Refusal? refusal;
            WithdrawRequest? offer = null;
            if (!Single(q, "p", out var p) || !Single(q, "c", out var c))
                refusal = new Refusal(GatewayError.BadRequest, "Give p and c exactly once each.");
            else
                (offer, refusal) = await offers.OfferAsync(p, c, urls.Base(http.Request), http.RequestAborted);
            if (offer is null)
            {
                CountFailedTap(failures, address, refusal!);
                return RefuseTap(metrics, refusal!);
            }
            metrics.Tap("offer");
            return Results.Json(offer, LnurlJsonContext.Readable.WithdrawRequest);
        });

        app.MapGet("/ln/callback", async (HttpContext http, CallbackService callbacks, GatewayMetrics metrics, CallbackLimits limits,
            TimeProvider time) =>
        {
            var q = http.Request.Query;
            var address = FailureLimiter.Address(http);
            if (!Single(q, "k1", out var k1) || !Single(q, "pr", out var pr) || !Optional(q, "pin", out var pin))
            {
                limits.Failed(address, null, new Refusal(GatewayError.BadRequest), pinGiven: false);
                return Refuse(metrics, new Refusal(GatewayError.BadRequest, "Give k1 and pr exactly once (and pin at most once)."));
            }
            var (blocked, cardId) = await limits.CheckAsync(address, k1!, pin is not null, http.RequestAborted);
            if (blocked is not null)
                return Refuse(metrics, blocked);
            var started = time.GetTimestamp();
            var answer = await callbacks.HandleAsync(k1, pr, pin, http.RequestAborted);
            metrics.CallbackAnswered(time.GetElapsedTime(started), answer.Refusal is null);
            if (answer.Refusal is { } refusal)
            {
                limits.Failed(address, cardId, refusal, pin is not null);
                return Refuse(metrics, refusal);
            }
            return Results.Json(LnurlStatus.Ok() with { Reason = answer.OkReason }, LnurlJsonContext.Readable.LnurlStatus);
        });
        BalanceCheck.MapBalanceCheck(app);
        return app;
    }

    public static IResult Refuse(GatewayMetrics metrics, Refusal refusal)
    {
        metrics.Rejected(refusal.Code);
        return ErrorCatalog.ToResult(refusal);
    }

    private static IResult RefuseTap(GatewayMetrics metrics, Refusal refusal)
    {
        metrics.Tap(refusal.Code);
        return Refuse(metrics, refusal);
    }

    /// <summary>Taps that prove nothing count against the address, and against the card when the tap named one.</summary>
    private static void CountFailedTap(FailureLimiter failures, string address, Refusal refusal)
    {
        if (refusal.Error is not (GatewayError.BadRequest or GatewayError.CardNotFound or GatewayError.TapInvalid or GatewayError.Replay))
            return;
        failures.Failed(LimitedFailure.TapByAddress, address);
        if (refusal.CardId is { } card)
            failures.Failed(LimitedFailure.TapByCard, card);
    }

    private static bool Single(IQueryCollection q, string name, out string? value)
    {
        var values = q.TryGetValue(name, out var v) ? v : StringValues.Empty;
        value = values.Count == 1 ? values[0] : null;
        return values.Count == 1 && !string.IsNullOrEmpty(value);
    }

    private static bool Optional(IQueryCollection q, string name, out string? value)
    {
        var values = q.TryGetValue(name, out var v) ? v : StringValues.Empty;
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }
}
