using System.Globalization;

namespace BoltGate.Pos;

/// <summary>The command line of <c>boltgate-pos</c>, parsed strictly: an unknown option or a missing value is a usage error.</summary>
public sealed record PosArguments
{
    public string? Url { get; init; }
    public Uri? Gateway { get; init; }
    public string? Uid { get; init; }
    public string? K1 { get; init; }
    public string? K2 { get; init; }
    public uint? Counter { get; init; }
    public bool Reader { get; init; }
    public string? ReaderName { get; init; }
    public bool PlainHttp { get; init; }
    public string? Node { get; init; }
    public string? Payee { get; init; }
    public string? Invoice { get; init; }
    public long? AmountSat { get; init; }
    public string? Description { get; init; }
    public TimeSpan Expiry { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public bool Json { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        boltgate-pos — a reference Boltcard terminal (LNURL-withdraw, LUD-03)

        The tap (one of):
          --url <link>                 what the card shows: lnurlw://…, LNURL1… or https://…/ln?p=&c=
          --gateway <url> --uid <hex> --k1 <hex> --k2 <hex> --counter <n>
                                       a virtual card: builds p and c with the card's keys (BoltGate.Core SunGenerator)
          --reader [--reader-name <s>] a real card on a PC/SC reader (reads its NDEF as a phone does)
          --http                       fetch lnurlw:// over plain http (regtest demos on localhost only)
        The invoice (one of):
          --node <connection string>   the merchant's node: type=lnd-rest;server=…;macaroonfilepath=…;certthumbprint=…,
                                       type=clightning;server=unix://…, or type=simulated with --payee <name>
          --invoice <bolt11>           an invoice made elsewhere (e.g. a hold invoice)
          --amount-sat <n>             what to charge (default: the most the card offers)
          --description <text>  --expiry <seconds, default 600>
        Output:
          --json                       one JSON object (outcome, stage, code, reason, amountSat, paymentHash, timings)
          --timeout <seconds>          HTTP timeout per request (default 60)

        Exit code: 0 paid, 1 refused (LNURL ERROR, the card was not charged), 3 pending, 4 error, 2 usage.
        """;

    public static PosArguments Parse(IReadOnlyList<string> args)
    {
        var a = new PosArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                    throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }
            a = name switch
            {
                "--url" => a with { Url = Value() },
                "--gateway" => a with { Gateway = AbsoluteUri(name, Value()) },
                "--uid" => a with { Uid = Value() },
                "--k1" => a with { K1 = Value() },
                "--k2" => a with { K2 = Value() },
                "--counter" => a with
                {
                    Counter = uint.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is > 0 and <= 0xFFFFFF
                    ? c : throw new ArgumentException("--counter must be 1 to 16777215.")
                },
                "--reader" => a with { Reader = true },
                "--reader-name" => a with { Reader = true, ReaderName = Value() },
                "--http" => a with { PlainHttp = true },
                "--node" => a with { Node = Value() },
                "--payee" => a with { Payee = Value() },
                "--invoice" => a with { Invoice = Value() },
                "--amount-sat" => a with
                {
                    AmountSat = long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
                    ? s : throw new ArgumentException("--amount-sat must be a whole number of sat above zero.")
                },
                "--description" => a with { Description = Value() },
                "--expiry" => a with { Expiry = TimeSpan.FromSeconds(Seconds(name, Value())) },
                "--timeout" => a with { Timeout = TimeSpan.FromSeconds(Seconds(name, Value())) },
                "--json" => a with { Json = true },
                "-h" or "--help" => a with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        if (a.Help)
            return a;
        var taps = (a.Url is null ? 0 : 1) + (a.Reader ? 1 : 0) + (a.Uid is null && a.K1 is null && a.K2 is null && a.Counter is null && a.Gateway is null ? 0 : 1);
        if (taps != 1)
            throw new ArgumentException("Give exactly one tap: --url, a virtual card (--gateway --uid --k1 --k2 --counter), or --reader.");
        if (a.Url is null && !a.Reader && (a.Gateway is null || a.Uid is null || a.K1 is null || a.K2 is null || a.Counter is null))
            throw new ArgumentException("A virtual card needs --gateway, --uid, --k1, --k2 and --counter.");
        if ((a.Node is null) == (a.Invoice is null))
            throw new ArgumentException("Give exactly one of --node and --invoice.");
        if (a.Invoice is not null && (a.AmountSat is not null || a.Payee is not null))
            throw new ArgumentException("--invoice carries its own amount and payee: drop --amount-sat / --payee.");
        return a;
    }

    private static Uri AbsoluteUri(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u : throw new ArgumentException($"{name} must be an absolute http(s) URL.");

    private static int Seconds(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 86_400
            ? s : throw new ArgumentException($"{name} must be a number of seconds (1 to 86400).");
}
