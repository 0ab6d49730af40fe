using System.Globalization;
using System.Net;
using System.Text.Json;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Lightning;

namespace BoltGate.Pos;

/// <summary>
/// One sale as a Boltcard terminal runs it (LUD-03): GET the tap URL, read the withdrawRequest, get an
/// invoice from the merchant's node for the amount, GET <c>callback?k1=&amp;pr=</c>, and report the
/// gateway's answer with the time each step took. Every answer is a <see cref="PosResult"/>; only a
/// cancelled <paramref name="ct"/> throws.
/// </summary>
public sealed class PosTerminal(HttpClient http, TimeProvider time)
{
    public async Task<PosResult> SellAsync(Uri tapUrl, IInvoiceSource invoices, Msat? amount, string? description, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tapUrl);
        ArgumentNullException.ThrowIfNull(invoices);
        var start = time.GetTimestamp();
        long tapMs = 0, invoiceMs = 0, callbackMs = 0;
        PosResult Result(PosOutcome outcome, string stage, string? code, string? reason, Msat? amt = null, string? hash = null, string? invoice = null) =>
            new(outcome, stage, code, reason, amt?.WholeSat, hash, invoice, new PosTimings(tapMs, invoiceMs, callbackMs, Ms(start)));

        // 1. The tap: the card's URL, fetched as a wallet does.
        var step = time.GetTimestamp();
        var tap = await GetLnurlAsync(tapUrl, ct).ConfigureAwait(false);
        tapMs = Ms(step);
        if (tap.Failure is { } tapFailure)
            return Result(tapFailure.Outcome, PosStage.Tap, tapFailure.Code, tapFailure.Reason);
        var offer = tap.Body;
        if (Text(offer, "tag") != "withdrawRequest" || Text(offer, "callback") is not { } callbackText || Text(offer, "k1") is not { } k1
            || Number(offer, "maxWithdrawable") is not { } max || !Uri.TryCreate(callbackText, UriKind.Absolute, out var callback))
            return Result(PosOutcome.Error, PosStage.Offer, "NOT_A_WITHDRAW_REQUEST", "The tap did not answer a LUD-03 withdrawRequest with callback, k1 and maxWithdrawable.");
        var min = Number(offer, "minWithdrawable") ?? 1;
        if (amount is { } wanted && (wanted.Value > max || wanted.Value < min))
            return Result(PosOutcome.Refused, PosStage.Offer, "AMOUNT_OUT_OF_RANGE",
                $"The card offers {min / 1000}..{max / 1000} sat; {wanted.WholeSat} sat asked.", wanted);
        if (invoices.NeedsAmount && amount is null)
            amount = new Msat(max - max % 1000);

        // 2. The merchant's invoice.
        step = time.GetTimestamp();
        string bolt11;
        try
        {
            bolt11 = await invoices.CreateAsync(amount, description ?? Text(offer, "defaultDescription") ?? "BoltGate POS", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LightningNodeException or HttpRequestException or IOException or ArgumentException or InvalidOperationException)
        {
            invoiceMs = Ms(step);
            return Result(PosOutcome.Error, PosStage.Invoice, "NODE_ERROR", "The merchant's node did not make an invoice: " + e.Message, amount);
        }
        invoiceMs = Ms(step);
        string? hash = null;
        if (Bolt11Decoder.Decode(bolt11) is Bolt11DecodeResult.Ok { Invoice: var decoded })
        {
            hash = decoded.PaymentHash.ToString();
            amount = decoded.Amount ?? amount;
        }

        // 3. The callback: the gateway pays the invoice from the card.
        step = time.GetTimestamp();
        var separator = string.IsNullOrEmpty(callback.Query) ? "?" : "&";
        var callbackUrl = new Uri(callback + separator + "k1=" + Uri.EscapeDataString(k1) + "&pr=" + Uri.EscapeDataString(bolt11));
        var answer = await GetLnurlAsync(callbackUrl, ct).ConfigureAwait(false);
        callbackMs = Ms(step);
        if (answer.Failure is { } failure)
            return Result(failure.Outcome, PosStage.Callback, failure.Code, failure.Reason, amount, hash, bolt11);
        if (Text(answer.Body, "status") is not { } status || !status.Equals("OK", StringComparison.OrdinalIgnoreCase))
            return Result(PosOutcome.Error, PosStage.Callback, "BAD_ANSWER", "The callback answered neither OK nor ERROR.", amount, hash, bolt11);
        var reason = Text(answer.Body, "reason");
        return reason is not null && reason.StartsWith("pending", StringComparison.OrdinalIgnoreCase)
            ? Result(PosOutcome.Pending, PosStage.Callback, "PENDING", reason, amount, hash, bolt11)
            : Result(PosOutcome.Paid, PosStage.Callback, null, reason, amount, hash, bolt11);
    }

    private long Ms(long since) => (long)time.GetElapsedTime(since).TotalMilliseconds;

    private sealed record Failure(PosOutcome Outcome, string Code, string Reason);

    private sealed record LnurlAnswer(JsonElement Body, Failure? Failure);

    /// <summary>GETs an LNURL endpoint: an ERROR body (any HTTP status) is a refusal with its code; anything unparsable is an error.</summary>
    private async Task<LnurlAnswer> GetLnurlAsync(Uri url, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new LnurlAnswer(default, new Failure(PosOutcome.Error, "UNREACHABLE", $"{url.GetLeftPart(UriPartial.Authority)} did not answer: {e.Message}"));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new LnurlAnswer(default, new Failure(PosOutcome.Error, "TIMEOUT", $"{url.GetLeftPart(UriPartial.Authority)} did not answer in time."));
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            JsonElement body;
            try
            {
                using var doc = JsonDocument.Parse(text);
                body = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return new LnurlAnswer(default, new Failure(PosOutcome.Error, "BAD_ANSWER",
                    $"HTTP {(int)response.StatusCode} with a body that is not JSON."));
            }
            if (body.ValueKind != JsonValueKind.Object)
                return new LnurlAnswer(default, new Failure(PosOutcome.Error, "BAD_ANSWER", $"HTTP {(int)response.StatusCode} with a JSON {body.ValueKind}."));
            if (Text(body, "status") is { } s && s.Equals("ERROR", StringComparison.OrdinalIgnoreCase))
                return new LnurlAnswer(body, new Failure(PosOutcome.Refused, Text(body, "code") ?? "ERROR", Text(body, "reason") ?? ""));
            if (response.StatusCode != HttpStatusCode.OK)
                return new LnurlAnswer(body, new Failure(PosOutcome.Error, "HTTP_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                    "The gateway answered without an LNURL status."));
            return new LnurlAnswer(body, null);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
