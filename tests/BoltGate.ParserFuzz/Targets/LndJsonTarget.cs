using System.Text.Json;
using BoltGate.Lightning.Lnd;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// lnd's REST answers. <see cref="LndError.Parse"/> keeps anything that is not lnd's error JSON as
/// text (never throws); a stream line and a payment throw <see cref="JsonException"/> or
/// <see cref="FormatException"/>, which the client catches; the classifiers map every payment and
/// error to a value.
/// </summary>
internal static class LndJsonTarget
{
    public static FuzzTarget Target { get; } = new("lnd-json",
        "LndError.Parse, LndRestClient.ParseStreamLine, LndPayment.Parse, LndOutcomeClassifier", Check);

    private static void Check(byte[] input)
    {
        var text = FuzzTarget.Text(input);

        var error = LndError.Parse(text);
        Require(error.Message is not null, "an lnd error has a message");
        _ = LndOutcomeClassifier.ClassifySendError(200, error);
        _ = LndOutcomeClassifier.ClassifySendError(409, error);
        _ = LndOutcomeClassifier.ClassifyTrackError(404, error);
        _ = error.ToString();

        try
        {
            var (payment, lineError) = LndRestClient.ParseStreamLine(text);
            Require(payment is not null ^ lineError is not null, "a stream line is a payment or an error");
            if (payment is not null)
                Classify(payment);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // documented: LndRestClient catches both
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            Classify(LndPayment.Parse(doc.RootElement));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // documented
        }
    }

    private static void Classify(LndPayment payment)
    {
        var state = LndOutcomeClassifier.Classify(payment);
        if (state is LndPaymentState.Pending pending)
            _ = LndOutcomeClassifier.PendingReason(pending);
        _ = LndOutcomeClassifier.ToLookup(payment);
        _ = LndOutcomeClassifier.KindOf(payment.FailureReason);
    }
}
