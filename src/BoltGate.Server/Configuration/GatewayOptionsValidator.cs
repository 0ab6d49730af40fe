using BoltGate.Core.Crypto;
using BoltGate.Core.Payments;
using BoltGate.Lightning;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Configuration;

/// <summary>Checks the configuration at start and names each bad key in words an operator can act on.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DataDir))
            errors.Add("DataDir must name a folder (default ./data).");
        if (!Providers.TryParse(o.Storage.Provider, out var provider))
            errors.Add($"Storage:Provider must be 'sqlite' or 'postgres', not '{o.Storage.Provider}'.");
        else if (provider == Storage.StorageProvider.Postgres && string.IsNullOrWhiteSpace(o.Storage.ConnectionString))
            errors.Add("Storage:ConnectionString is required when Storage:Provider is 'postgres' (e.g. Host=...;Database=...;Username=...;Password=...).");
        if (o.Storage.WriterConnections is < 1 or > 64)
            errors.Add($"Storage:WriterConnections must be 1 to 64, not {o.Storage.WriterConnections}.");
        if (!LightningConnectionString.TryParse(o.Lightning.ConnectionString, out _, out var lnError))
            errors.Add($"Lightning:ConnectionString is not valid: {lnError}");
        if (o.Issuer.Key is { Length: > 0 } key && Hex.TryDecode(key, 16) is null)
            errors.Add("Issuer:Key must be exactly 32 hex characters (16 bytes).");
        if (o.Admin.ApiKey is { } apiKey && apiKey.Length is > 0 and < 16)
            errors.Add("Admin:ApiKey must be at least 16 characters.");
        if (!string.IsNullOrEmpty(o.Gateway.PublicUrl)
            && (!Uri.TryCreate(o.Gateway.PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            errors.Add("Gateway:PublicUrl must be an absolute http(s) URL such as https://pay.example.com.");
        if (o.Lnurl.ErrorStatus is not { } errorStatus
            || !(errorStatus.Equals(GatewayOptions.LnurlSection.Ok, StringComparison.OrdinalIgnoreCase) || o.Lnurl.UsesHttp4xx))
            errors.Add($"Lnurl:ErrorStatus must be 'ok' (refusals answered 200 with the ERROR body) or 'http4xx', not '{o.Lnurl.ErrorStatus}'.");
        if (o.Gateway.K1Ttl < TimeSpan.FromSeconds(5) || o.Gateway.K1Ttl > TimeSpan.FromHours(1))
            errors.Add("Gateway:K1Ttl must be between 00:00:05 and 01:00:00.");
        if (o.Limits.DefaultPerTapLimitSat is < 0 || o.Limits.DefaultDailyLimitSat is < 0)
            errors.Add("Limits:DefaultPerTapLimitSat and Limits:DefaultDailyLimitSat cannot be negative.");
        if (o.Limits.MinWithdrawableSat < 1)
            errors.Add("Limits:MinWithdrawableSat must be at least 1.");
        if (o.Limits.MaxPinTries is < 1 or > 10)
            errors.Add("Limits:MaxPinTries must be between 1 and 10.");
        if (o.Payments.FeeLimitPpm is < 0 or > 1_000_000)
            errors.Add("Payments:FeeLimitPpm must be between 0 and 1000000.");
        if (o.Payments.FeeLimitBaseSat < 0)
            errors.Add("Payments:FeeLimitBaseSat cannot be negative.");
        if (Deadlines(o).Validate() is { } deadlineError)
            errors.Add("Payments: " + deadlineError.Replace("Maximum", "MaximumDeadline", StringComparison.Ordinal));
        if (o.Payments.CallbackWait is { } wait && wait <= TimeSpan.Zero)
            errors.Add("Payments:CallbackWait must be positive.");
        if (!PaymentEngineSetup.TryParseFeePayer(o.Payments.FeePaidBy, out _))
            errors.Add("Payments:FeePaidBy must be 'card' or 'operator'.");
        else if (Deadlines(o).Validate() is null && PaymentEngineSetup.Options(o).Validate() is { } engineError)
            errors.Add("Payments: " + engineError);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static DeadlinePolicy Deadlines(GatewayOptions o) => new()
    {
        SafetyMargin = o.Payments.SafetyMargin,
        Maximum = o.Payments.MaximumDeadline,
        MinimumWindow = o.Payments.MinimumWindow,
    };
}
