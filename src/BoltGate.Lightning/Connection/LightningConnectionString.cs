using System.Diagnostics.CodeAnalysis;
using BoltGate.Core.Bitcoin;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Lightning;

/// <summary>
/// A parsed Lightning connection string in BTCPay Server's format (<c>key=value</c> pairs separated
/// by <c>;</c>, keys case-insensitive, each at most once) plus our own <c>type=simulated</c>.
/// Parsing is strict: an unknown key, a missing or malformed value, or plain http without
/// <c>allowinsecure=true</c> is an error that names the key at fault and never echoes a secret.
/// </summary>
public abstract record LightningConnectionString
{
    private LightningConnectionString()
    {
    }

    /// <summary><c>type=lnd-rest</c> (or <c>lnd-grpc</c>, served over REST as BTCPay does).</summary>
    public sealed record LndRest(
        Uri Server,
        MacaroonSource? Macaroon,
        byte[]? CertThumbprint,
        string? CertFilePath,
        bool AllowInsecure) : LightningConnectionString
    {
        public override string ToString() =>
            $"type=lnd-rest;server={Server}" + (Macaroon is null ? "" : ";macaroon=(set)")
            + (CertThumbprint is null ? "" : ";certthumbprint=(set)") + (CertFilePath is null ? "" : ";certfilepath=" + CertFilePath)
            + (AllowInsecure ? ";allowinsecure=true" : "");
    }

    /// <summary><c>type=clightning</c>: a unix socket path, or a TCP host and port.</summary>
    public sealed record CoreLightning(string? SocketPath, string? TcpHost, int TcpPort) : LightningConnectionString
    {
        public override string ToString() =>
            SocketPath is not null ? $"type=clightning;server=unix://{SocketPath}" : $"type=clightning;server=tcp://{TcpHost}:{TcpPort}";
    }

    /// <summary><c>type=simulated</c>: the in-process node.</summary>
    /// <param name="HoldFor">How long the <c>hold-settle</c> / <c>hold-cancel</c> payees hold an HTLC (<c>holdfor</c>); null: the default.</param>
    public sealed record Simulated(BitcoinNetwork Network, UnknownPayeePolicy UnknownPayees, TimeSpan Delay, TimeSpan? HoldFor = null) : LightningConnectionString
    {
        public override string ToString() =>
            $"type=simulated;network={Network.ToString().ToLowerInvariant()};unknownpayees={UnknownPayees.ToString().ToLowerInvariant()};delay={(long)Delay.TotalMilliseconds}ms"
            + (HoldFor is { } h ? $";holdfor={(long)h.TotalMilliseconds}ms" : "");
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out LightningConnectionString? result, out string error) =>
        ConnectionStringParser.TryParse(text, out result, out error);

    public static LightningConnectionString Parse(string text) =>
        TryParse(text, out var result, out var error) ? result : throw new FormatException(error);
}

/// <summary>Where the LND macaroon comes from. <see cref="ToString"/> never shows the bytes.</summary>
public sealed class MacaroonSource
{
    private readonly byte[]? _bytes;

    private MacaroonSource(byte[]? bytes, string? filePath)
    {
        _bytes = bytes;
        FilePath = filePath;
    }

    public string? FilePath { get; }

    public static MacaroonSource FromBytes(byte[] bytes) => new((byte[])bytes.Clone(), null);

    public static MacaroonSource FromFile(string path) => new(null, path);

    /// <summary>The macaroon as the hex lnd wants in the <c>Grpc-Metadata-macaroon</c> header.</summary>
    public string ReadHex()
    {
        var bytes = _bytes ?? File.ReadAllBytes(FilePath!);
        return Convert.ToHexStringLower(bytes);
    }

    public override string ToString() => FilePath is null ? "macaroon (inline)" : "macaroon file " + FilePath;
}
