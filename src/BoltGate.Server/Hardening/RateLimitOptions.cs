namespace BoltGate.Server.Hardening;

/// <summary>
/// <c>RateLimits:*</c> (docs/configuration.md): how many requests, and how many failures, one client
/// address or one card may have per window. The defaults are far above what a shop's POS devices send
/// and far below what guessing needs; tests lower them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off turns every limit here off (never on a gateway that faces the internet).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The window every count below is per.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Taps (<c>GET /ln</c>) and callbacks (<c>GET /ln/callback</c>) per address, failed or not.</summary>
    public int LnurlRequestsPerAddress { get; set; } = 6_000;

    /// <summary>Taps that do not verify (unknown card, bad signature, replay, malformed) per address.</summary>
    public int FailedTapsPerAddress { get; set; } = 120;

    /// <summary>Taps that do not verify per card (bad signature on a known UID, replays); then its taps wait.</summary>
    public int FailedTapsPerCard { get; set; } = 20;

    /// <summary>Callbacks that are refused before a payment starts (unknown k1, bad invoice, ...) per address.</summary>
    public int FailedCallbacksPerAddress { get; set; } = 240;

    /// <summary>Wrong PINs per address (the card also locks after <c>Limits:MaxPinTries</c> in a row).</summary>
    public int PinFailuresPerAddress { get; set; } = 10;

    /// <summary>Wrong PINs per card within the window, whatever the address.</summary>
    public int PinFailuresPerCard { get; set; } = 5;

    /// <summary>Unknown API keys per address on the admin API.</summary>
    public int AuthFailuresPerAddress { get; set; } = 30;
}
