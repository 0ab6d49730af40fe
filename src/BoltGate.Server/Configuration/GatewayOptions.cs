namespace BoltGate.Server.Configuration;

/// <summary>
/// The gateway's configuration (appsettings.json, environment <c>BOLTGATE__...</c>, command line).
/// Names are DESIGN.md's ("Configuration"): <c>DataDir</c>, <c>Storage:*</c>, <c>Lightning:*</c>,
/// <c>Issuer:*</c>, <c>Admin:*</c>; <c>Gateway:*</c>, <c>Limits:*</c> and <c>Payments:*</c> are ours.
/// Every default gives the embedded setup: SQLite and the simulated node under <c>./data</c>.
/// </summary>
public sealed class GatewayOptions
{
    public string DataDir { get; set; } = "./data";

    public StorageSection Storage { get; set; } = new();

    public LightningSection Lightning { get; set; } = new();

    public IssuerSection Issuer { get; set; } = new();

    public AdminSection Admin { get; set; } = new();

    public GatewaySection Gateway { get; set; } = new();

    public LimitsSection Limits { get; set; } = new();

    public PaymentsSection Payments { get; set; } = new();

    public LnurlSection Lnurl { get; set; } = new();

    public sealed class StorageSection
    {
        /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
        public string Provider { get; set; } = "sqlite";

        /// <summary>Default for SQLite: <c>Data Source={DataDir}/boltgate.db</c>. Required for PostgreSQL.</summary>
        public string? ConnectionString { get; set; }

        /// <summary>PostgreSQL: group-commit transactions side by side; size it by the database server (SQLite has one writer).</summary>
        public int WriterConnections { get; set; } = 8;
    }

    public sealed class LightningSection
    {
        /// <summary>BTCPay-style: <c>type=simulated</c> (default), <c>type=lnd-rest;...</c>, <c>type=clightning;...</c>.</summary>
        public string ConnectionString { get; set; } = "type=simulated";
    }

    public sealed class IssuerSection
    {
        /// <summary>32 hex characters; generated into <c>{DataDir}/issuer.key</c> when absent.</summary>
        public string? Key { get; set; }
    }

    public sealed class AdminSection
    {
        /// <summary>Bearer key of the admin API; generated into <c>{DataDir}/admin.key</c> when absent.</summary>
        public string? ApiKey { get; set; }
    }

    public sealed class GatewaySection
    {
        /// <summary>Base URL for the callback and lnurlw links (e.g. <c>https://pay.example.com</c>); default: the request's.</summary>
        public string? PublicUrl { get; set; }

        public string DefaultDescription { get; set; } = "BoltGate card payment";

        /// <summary>
        /// Lets a card be programmed (programming links) with a card URL that is not https — taken from the
        /// request's host (<c>lnurlw://127.0.0.1:5000/ln</c>) or an http PublicUrl — which no phone can
        /// reach. For local tests only; without it programming needs <c>PublicUrl</c> to be https.
        /// </summary>
        public bool AllowInsecurePublicUrl { get; set; }

        /// <summary>How long the k1 of an offer can be used by a callback.</summary>
        public TimeSpan K1Ttl { get; set; } = TimeSpan.FromMinutes(2);
    }

    public sealed class LimitsSection
    {
        /// <summary>Per-tap limit given to new cards that do not name one (null: none).</summary>
        public long? DefaultPerTapLimitSat { get; set; }

        /// <summary>Daily limit given to new cards that do not name one (null: none).</summary>
        public long? DefaultDailyLimitSat { get; set; }

        public long MinWithdrawableSat { get; set; } = 1;

        /// <summary>Wrong PINs in a row that lock a card.</summary>
        public int MaxPinTries { get; set; } = 3;
    }

    public sealed class PaymentsSection
    {
        /// <summary>Fee reserve = FeeLimitBaseSat + amount × FeeLimitPpm / 1e6; the node may spend no more.</summary>
        public long FeeLimitPpm { get; set; } = 5_000;

        public long FeeLimitBaseSat { get; set; } = 10;

        public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromSeconds(30);

        public TimeSpan MaximumDeadline { get; set; } = TimeSpan.FromSeconds(60);

        public TimeSpan MinimumWindow { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// How long the callback waits for the payment's outcome before answering OK with a "pending" reason
        /// (the payment goes on). Null (default): 20 s, under the common 30 s POS/HTTP timeouts.
        /// </summary>
        public TimeSpan? CallbackWait { get; set; }

        /// <summary>Who pays a successful payment's routing fee: <c>card</c> (default) or <c>operator</c>.</summary>
        public string FeePaidBy { get; set; } = "card";

        /// <summary>
        /// This instance's name on the withdrawals it drives (leases). Must differ between instances sharing
        /// one database; a restarted instance with the same name takes its rows back at once. Default: the
        /// machine name and the full DataDir path.
        /// </summary>
        public string? InstanceId { get; set; }

        /// <summary>How often the reconciler looks for withdrawals no one drives (after a crash, retries due).</summary>
        public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>How long an instance's claim on a withdrawal lasts unrenewed; a survivor takes a dead instance's rows after it.</summary>
        public TimeSpan LeaseFor { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How often a live instance renews the leases of the withdrawals it drives (at most half of LeaseFor).</summary>
        public TimeSpan LeaseRenewEvery { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>First and longest wait between look-ups of a payment whose outcome is unknown (doubling in between).</summary>
        public TimeSpan TrackFirstPoll { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan TrackMaxPoll { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>A never-sent withdrawal younger than this is left to the callback that reserved it, not the reconciler.</summary>
        public TimeSpan FreshFor { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>GradedRetry (operator payouts): fast retries, then slow ones, refund after MaxAttempts.</summary>
        public RetrySection Retry { get; set; } = new();
    }

    public sealed class RetrySection
    {
        public TimeSpan FastInterval { get; set; } = TimeSpan.FromMinutes(2);

        public int FastAttempts { get; set; } = 3;

        public TimeSpan SlowInterval { get; set; } = TimeSpan.FromMinutes(10);

        public int MaxAttempts { get; set; } = 10;
    }

    public sealed class LnurlSection
    {
        public const string Ok = "ok";
        public const string Http4xx = "http4xx";

        /// <summary>
        /// The HTTP status of an LNURL ERROR answer: <c>ok</c> (default) answers 200 with the ERROR body, which
        /// LUD-03 wallet libraries read and show (<c>reason</c>); <c>http4xx</c> answers the catalog's 4xx/5xx
        /// (docs/api.md), for POS integrations that branch on the status. The body is the same either way.
        /// </summary>
        public string ErrorStatus { get; set; } = Ok;

        /// <summary>
        /// LUD-14: put a <c>balanceCheck</c> link into each tap's answer, so the holder's wallet can show what
        /// the card can pay later without a tap. Off by default: whoever sees one tap (every POS) could then
        /// follow the balance until the card is programmed again (docs/api.md, "For card holders").
        /// </summary>
        public bool BalanceCheck { get; set; }

        public bool UsesHttp4xx => string.Equals(ErrorStatus, Http4xx, StringComparison.OrdinalIgnoreCase);
    }
}
