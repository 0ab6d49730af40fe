using System.Buffers.Binary;
using BoltGate.Core.Bitcoin;
using NBitcoin.Secp256k1;

namespace BoltGate.Core.Bolt11;

/// <summary>
/// Writes and signs BOLT 11 invoices (lower case; RFC 6979 deterministic, low-S signatures).
/// Used by the simulated node and by tests. A malformed request is a programming error and throws
/// <see cref="ArgumentException"/>; the message never contains the key.
/// </summary>
public static class Bolt11Encoder
{
    /// <summary>Longest <c>d</c> or <c>m</c> payload: 1023 five-bit groups hold 639 whole bytes.</summary>
    public const int MaxFieldBytes = 639;

    private const long MaxTimestamp = (1L << 35) - 1;

    public static string Encode(Bolt11InvoiceRequest request, ReadOnlySpan<byte> nodePrivateKey32)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var key = CreateKey(nodePrivateKey32);

        if ((request.Description is null) == (request.DescriptionHash is null))
            throw new ArgumentException("Give exactly one of Description and DescriptionHash.", nameof(request));
        if (request.Amount is { } amount && !amount.IsPositive)
            throw new ArgumentException("The amount must be positive (or null for any amount).", nameof(request));
        var unix = request.Timestamp.ToUnixTimeSeconds();
        if (unix is < 0 or > MaxTimestamp || request.Timestamp.ToUnixTimeMilliseconds() % 1000 != 0)
            throw new ArgumentException("The timestamp must be whole seconds between 1970 and 2^35 s.", nameof(request));
        if (request.MinFinalCltvExpiry < 0)
            throw new ArgumentException("MinFinalCltvExpiry must not be negative.", nameof(request));

        var hrp = "ln" + Bolt11Network.Prefix(request.Network)
            + (request.Amount is { } a ? Bolt11Amount.Format(a) : string.Empty);

        var data = new List<byte>(512);
        AppendNumber(data, unix, Bolt11Tag.TimestampGroups);
        AppendBytesField(data, Bolt11Tag.PaymentHash, request.PaymentHash.Span);
        AppendBytesField(data, Bolt11Tag.PaymentSecret, request.PaymentSecret.Span);
        if (request.Description is { } description)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(description);
            if (bytes.Length > MaxFieldBytes)
                throw new ArgumentException($"The description is {bytes.Length} UTF-8 bytes; at most {MaxFieldBytes} fit (use DescriptionHash).", nameof(request));
            AppendBytesField(data, Bolt11Tag.Description, bytes);
        }
        else
        {
            AppendBytesField(data, Bolt11Tag.DescriptionHash, request.DescriptionHash!.Value.Span);
        }
        if (request.Expiry is { } expiry)
        {
            if (expiry < TimeSpan.Zero || expiry.Ticks % TimeSpan.TicksPerSecond != 0)
                throw new ArgumentException("The expiry must be whole, non-negative seconds.", nameof(request));
            AppendUnsignedField(data, Bolt11Tag.Expiry, (long)expiry.TotalSeconds);
        }
        AppendUnsignedField(data, Bolt11Tag.MinFinalCltvExpiry, request.MinFinalCltvExpiry);
        if (request.IncludePayeeKey)
            AppendBytesField(data, Bolt11Tag.PayeeKey, key.CreatePubKey().ToBytes(compressed: true));

        var features = request.FeatureBits
            ?? (request.Metadata is null ? Bolt11Features.Default : [.. Bolt11Features.Default, Bolt11Features.PaymentMetadata + 1]);
        if (features.Any(b => b is < 0 or >= 5 * 1023))
            throw new ArgumentException("A feature bit is out of range.", nameof(request));
        if (features.Count > 0)
            AppendField(data, Bolt11Tag.Features, Bolt11Features.GroupsFromBits(features.Distinct().ToList()));

        foreach (var hint in request.RouteHints ?? [])
            AppendBytesField(data, Bolt11Tag.RouteHint, EncodeRouteHint(hint));
        if (request.Metadata is { } metadata)
        {
            if (metadata.Length > MaxFieldBytes)
                throw new ArgumentException($"Metadata is {metadata.Length} bytes; at most {MaxFieldBytes} fit.", nameof(request));
            AppendBytesField(data, Bolt11Tag.Metadata, metadata);
        }

        return Sign(hrp, data.ToArray(), key);
    }

    /// <summary>The 33-byte compressed public key (node id) of a 32-byte secp256k1 private key.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey32)
    {
        using var key = CreateKey(privateKey32);
        return key.CreatePubKey().ToBytes(compressed: true);
    }

    /// <summary>Signs hrp + 5-bit data (timestamp and tagged fields) and returns the bech32 invoice.</summary>
    internal static string Sign(string hrp, ReadOnlySpan<byte> data, ReadOnlySpan<byte> privateKey32)
    {
        using var key = CreateKey(privateKey32);
        return Sign(hrp, data, key);
    }

    private static string Sign(string hrp, ReadOnlySpan<byte> data, ECPrivKey key)
    {
        var hash = Bolt11Decoder.SigningHash(hrp, data);
        if (!key.TrySignRecoverable(hash, out var signature) || signature is null)
            throw new InvalidOperationException("secp256k1 signing failed.");
        Span<byte> sig = stackalloc byte[65];
        signature.WriteToSpanCompact(sig[..64], out var recoveryId);
        sig[64] = (byte)recoveryId;

        var sigGroups = Bech32.ConvertBits(sig, 8, 5, pad: true)!;
        var all = new byte[data.Length + sigGroups.Length];
        data.CopyTo(all);
        sigGroups.CopyTo(all, data.Length);
        return Bech32.Encode(hrp, all);
    }

    private static ECPrivKey CreateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != 32 || !Context.Instance.TryCreateECPrivKey(privateKey32, out var key))
            throw new ArgumentException("Not a valid 32-byte secp256k1 private key.", nameof(privateKey32));
        return key;
    }

    private static byte[] EncodeRouteHint(RouteHint hint)
    {
        if (hint.Hops.Count == 0)
            throw new ArgumentException("A route hint needs at least one hop.", nameof(hint));
        var bytes = new byte[hint.Hops.Count * RouteHintHop.EncodedLength];
        for (var i = 0; i < hint.Hops.Count; i++)
        {
            var hop = hint.Hops[i];
            if (hop.PubKey.Length != 33)
                throw new ArgumentException("A route hint node id must be 33 bytes.", nameof(hint));
            var span = bytes.AsSpan(i * RouteHintHop.EncodedLength, RouteHintHop.EncodedLength);
            hop.PubKey.CopyTo(span);
            BinaryPrimitives.WriteUInt64BigEndian(span[33..], hop.ShortChannelId);
            BinaryPrimitives.WriteUInt32BigEndian(span[41..], hop.FeeBaseMsat);
            BinaryPrimitives.WriteUInt32BigEndian(span[45..], hop.FeeProportionalMillionths);
            BinaryPrimitives.WriteUInt16BigEndian(span[49..], hop.CltvExpiryDelta);
        }
        return bytes;
    }

    private static void AppendNumber(List<byte> data, long value, int groups)
    {
        for (var i = groups - 1; i >= 0; i--)
            data.Add((byte)((value >> (5 * i)) & 31));
    }

    /// <summary>Minimal big-endian groups: no leading zero group, so 0 is a field of length 0 (BOLT 11's reader rule).</summary>
    private static void AppendUnsignedField(List<byte> data, int type, long value)
    {
        var groups = 0;
        while (groups < 13 && value >> (5 * groups) != 0)
            groups++;
        var field = new List<byte>(groups);
        AppendNumber(field, value, groups);
        AppendField(data, type, field);
    }

    private static void AppendBytesField(List<byte> data, int type, ReadOnlySpan<byte> bytes) =>
        AppendField(data, type, Bech32.ConvertBits(bytes, 8, 5, pad: true)!);

    private static void AppendField(List<byte> data, int type, IReadOnlyCollection<byte> groups)
    {
        if (groups.Count > 1023)
            throw new ArgumentException($"Field '{Bolt11Tag.Letter(type)}' is too long for a 10-bit data_length.");
        data.Add((byte)type);
        data.Add((byte)(groups.Count >> 5));
        data.Add((byte)(groups.Count & 31));
        data.AddRange(groups);
    }
}
