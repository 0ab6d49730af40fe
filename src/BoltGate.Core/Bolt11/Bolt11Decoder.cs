using System.Text.Unicode;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Secp256k1;
using NBitcoin.Secp256k1;

namespace BoltGate.Core.Bolt11;

/// <summary>
/// Decodes and verifies BOLT 11 invoices as a strict reader: the current spec's reader rules
/// (fixed-length p/h/s/n fields of the wrong length fail, low-S with <c>n</c>, non-minimal c/x/9 fail),
/// plus rejection of duplicate <c>p</c> fields, since a gateway that books by payment hash must not
/// guess which one is meant. Never throws: every input yields a <see cref="Bolt11DecodeResult"/>.
/// </summary>
public static class Bolt11Decoder
{
    /// <summary>Longest accepted input (characters, after a <c>lightning:</c> prefix). Not a spec limit: a DoS bound.</summary>
    public const int MaxLength = 8192;

    private const string UriPrefix = "lightning:";

    // Largest unix time DateTimeOffset can hold (9999-12-31T23:59:59Z).
    private const long MaxUnixSeconds = 253_402_300_799;

    // secp256k1 group order / 2: an s above this is "high".
    private static readonly byte[] HalfOrder = Convert.FromHexString("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0");

    public static Bolt11DecodeResult Decode(string? invoice)
    {
        if (string.IsNullOrEmpty(invoice))
            return Fail(Bolt11ErrorCode.Empty, "No invoice given.");
        var text = invoice.StartsWith(UriPrefix, StringComparison.OrdinalIgnoreCase) ? invoice[UriPrefix.Length..] : invoice;
        if (text.Length == 0)
            return Fail(Bolt11ErrorCode.Empty, "No invoice after the lightning: prefix.");

        var bech = Bech32.Decode(text, MaxLength, out var hrp, out var data);
        if (bech != Bech32Error.None)
            return Bech32Failure(bech);

        // Human-readable part: "ln" + currency prefix + optional amount.
        if (!hrp.StartsWith("ln", StringComparison.Ordinal))
            return Fail(Bolt11ErrorCode.BadHrp, $"Human-readable part '{Clip(hrp)}' does not start with 'ln'.");
        var afterLn = hrp.AsSpan(2);
        var currencyLength = 0;
        while (currencyLength < afterLn.Length && char.IsAsciiLetter(afterLn[currencyLength]))
            currencyLength++;
        if (!Bolt11Network.TryParse(afterLn[..currencyLength], out var network))
            return Fail(Bolt11ErrorCode.UnknownNetwork, $"Unknown currency prefix '{Clip(afterLn[..currencyLength].ToString())}'.");
        var amountError = Bolt11Amount.TryParse(afterLn[currencyLength..], out var amount);
        if (amountError is { } amountCode)
        {
            return Fail(amountCode, amountCode == Bolt11ErrorCode.SubMillisatoshi
                ? "Amount with the 'p' multiplier must end in 0 (sub-millisatoshi precision)."
                : $"Invalid amount '{Clip(afterLn[currencyLength..].ToString())}'.");
        }

        if (data.Length < Bolt11Tag.TimestampGroups + Bolt11Tag.SignatureGroups)
            return Fail(Bolt11ErrorCode.TooShort, $"Data part has {data.Length} groups; a timestamp and a signature need {Bolt11Tag.TimestampGroups + Bolt11Tag.SignatureGroups}.");

        long timestamp = 0;
        for (var i = 0; i < Bolt11Tag.TimestampGroups; i++)
            timestamp = (timestamp << 5) | data[i];

        var fields = new Fields();
        var sigStart = data.Length - Bolt11Tag.SignatureGroups;
        var fieldError = ReadFields(data.AsSpan(Bolt11Tag.TimestampGroups, sigStart - Bolt11Tag.TimestampGroups), network, timestamp, fields);
        if (fieldError is not null)
            return fieldError;

        // Signature: r (32) || s (32) || recovery id (1), 520 bits exactly.
        var sigBytes = Bech32.FiveToBytesTruncating(data.AsSpan(sigStart));
        var recoveryId = sigBytes[64];
        var compact = sigBytes.AsSpan(0, 64);
        if (recoveryId > 3)
            return Fail(Bolt11ErrorCode.InvalidRecoveryId, $"Recovery id {recoveryId} is not in 0..3.");
        if (IsZero(compact[..32]) || IsZero(compact[32..])
            || !SecpECDSASignature.TryCreateFromCompact(compact, out var ecdsa))
            return Fail(Bolt11ErrorCode.InvalidSignature, "Signature r or s is zero or not below the curve order.");

        var signingHash = SigningHash(hrp, data.AsSpan(0, sigStart));
        byte[] payee;
        if (fields.PayeeKey is { } nKey)
        {
            // A valid n field: verify against it, and the current spec requires low-S then.
            if (compact[32..].SequenceCompareTo(HalfOrder) > 0)
                return Fail(Bolt11ErrorCode.HighS, "Signature is not low-S, which is required when the invoice has an n field.");
            if (!nKey.SigVerify(ecdsa, signingHash))
                return Fail(Bolt11ErrorCode.PayeeMismatch, "Signature does not verify against the payee key in the n field.");
            payee = fields.PayeeKeyBytes!;
        }
        else
        {
            payee = new byte[33];
            if (!PublicKeyRecovery.Default.TryRecover(compact, recoveryId, signingHash, payee))
                return Fail(Bolt11ErrorCode.SignatureNotRecoverable, "No public key can be recovered from the signature.");
        }

        var semanticError = CheckSemantics(fields);
        if (semanticError is not null)
            return semanticError;

        var featureError = CheckFeatures(fields.FeatureBits);
        if (featureError is not null)
            return featureError;

        return new Bolt11DecodeResult.Ok(new Bolt11Invoice
        {
            Raw = text,
            HumanReadablePart = hrp,
            Network = network,
            Amount = amount,
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(timestamp),
            Expiry = TimeSpan.FromSeconds(fields.ExpirySeconds ?? Bolt11Invoice.DefaultExpirySeconds),
            HasExplicitExpiry = fields.ExpirySeconds is not null,
            PaymentHash = fields.PaymentHash!.Value,
            PaymentSecret = fields.PaymentSecret,
            Description = fields.Description,
            DescriptionHash = fields.DescriptionHash,
            PayeePubKey = payee,
            PayeeFromNField = fields.PayeeKey is not null,
            MinFinalCltvExpiry = fields.MinFinalCltvExpiry ?? Bolt11Invoice.DefaultMinFinalCltvExpiry,
            RouteHints = fields.RouteHints,
            Fallbacks = fields.Fallbacks,
            Features = fields.FeatureBits is { } bits ? (ReadOnlyMemory<byte>?)Bolt11Features.BytesFromBits(bits) : null,
            FeatureBits = (IReadOnlyList<int>?)fields.FeatureBits ?? [],
            Metadata = fields.Metadata,
            SigningHash = Bytes32.FromSpan(signingHash),
            Signature = compact.ToArray(),
            RecoveryId = recoveryId,
        });
    }

    private sealed class Fields
    {
        public readonly int[] Counts = new int[32];
        public Bytes32? PaymentHash;
        public Bytes32? PaymentSecret;
        public string? Description;
        public Bytes32? DescriptionHash;
        public ECPubKey? PayeeKey;
        public byte[]? PayeeKeyBytes;
        public long? ExpirySeconds;
        public int? MinFinalCltvExpiry;
        public List<int>? FeatureBits;
        public byte[]? Metadata;
        public readonly List<RouteHint> RouteHints = [];
        public readonly List<Fallback> Fallbacks = [];
    }

    private static Bolt11DecodeResult.Error? ReadFields(ReadOnlySpan<byte> data, BitcoinNetwork network, long timestamp, Fields f)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < 3)
                return Fail(Bolt11ErrorCode.TruncatedField, "Tagged field header runs into the signature.");
            var type = data[pos];
            var length = (data[pos + 1] << 5) | data[pos + 2];
            pos += 3;
            if (length > data.Length - pos)
                return Fail(Bolt11ErrorCode.TruncatedField, $"Field '{Bolt11Tag.Letter(type)}' of length {length} runs into the signature.");
            var field = data.Slice(pos, length);
            pos += length;

            var error = ReadField(type, field, network, timestamp, f);
            if (error is not null)
                return error;
        }
        return null;
    }

    private static Bolt11DecodeResult.Error? ReadField(int type, ReadOnlySpan<byte> field, BitcoinNetwork network, long timestamp, Fields f)
    {
        switch (type)
        {
            case Bolt11Tag.PaymentHash:
            case Bolt11Tag.PaymentSecret:
            case Bolt11Tag.DescriptionHash:
            {
                if (field.Length != Bolt11Tag.HashGroups)
                    return WrongLength(type, field.Length, Bolt11Tag.HashGroups);
                f.Counts[type]++;
                var value = Bytes32.FromSpan(Bech32.FiveToBytesTruncating(field));
                if (type == Bolt11Tag.PaymentHash)
                    f.PaymentHash ??= value;
                else if (type == Bolt11Tag.PaymentSecret)
                    f.PaymentSecret ??= value;
                else
                    f.DescriptionHash ??= value;
                return null;
            }
            case Bolt11Tag.PayeeKey:
            {
                if (field.Length != Bolt11Tag.PubKeyGroups)
                    return WrongLength(type, field.Length, Bolt11Tag.PubKeyGroups);
                if (f.PayeeKey is not null)
                    return Fail(Bolt11ErrorCode.DuplicatePayeeKey, "More than one n field: the key to verify against is ambiguous.");
                var bytes = Bech32.FiveToBytesTruncating(field);
                if (!ECPubKey.TryCreate(bytes, Context.Instance, out var compressed, out var key) || !compressed)
                    return Fail(Bolt11ErrorCode.BadPayeeKey, "The n field is not a valid compressed secp256k1 public key.");
                f.PayeeKey = key;
                f.PayeeKeyBytes = bytes;
                return null;
            }
            case Bolt11Tag.Description:
            {
                f.Counts[type]++;
                var bytes = Bech32.FiveToBytesTruncating(field);
                if (!Utf8.IsValid(bytes))
                    return Fail(Bolt11ErrorCode.BadDescription, "The d field is not valid UTF-8.");
                f.Description ??= System.Text.Encoding.UTF8.GetString(bytes);
                return null;
            }
            case Bolt11Tag.Expiry:
            {
                f.Counts[type]++;
                var error = ReadUnsigned(type, field, out var seconds);
                if (error is not null)
                    return error;
                if (seconds > MaxUnixSeconds - timestamp)
                    return Fail(Bolt11ErrorCode.FieldOutOfRange, $"Expiry of {seconds} s lies beyond the year 9999.");
                f.ExpirySeconds ??= seconds;
                return null;
            }
            case Bolt11Tag.MinFinalCltvExpiry:
            {
                f.Counts[type]++;
                var error = ReadUnsigned(type, field, out var blocks);
                if (error is not null)
                    return error;
                if (blocks > int.MaxValue)
                    return Fail(Bolt11ErrorCode.FieldOutOfRange, $"min_final_cltv_expiry {blocks} is out of range.");
                f.MinFinalCltvExpiry ??= (int)blocks;
                return null;
            }
            case Bolt11Tag.Features:
            {
                f.Counts[type]++;
                if (field.Length > 0 && field[0] == 0)
                    return Fail(Bolt11ErrorCode.NonMinimalField, "The 9 field starts with a zero group (non-minimal length).");
                f.FeatureBits ??= Bolt11Features.BitsFromGroups(field);
                return null;
            }
            case Bolt11Tag.Metadata:
                f.Counts[type]++;
                f.Metadata ??= Bech32.FiveToBytesTruncating(field);
                return null;
            case Bolt11Tag.Fallback:
                return ReadFallback(field, network, f);
            case Bolt11Tag.RouteHint:
                return ReadRouteHint(field, f);
            default:
                return null; // unknown field: MUST skip
        }
    }

    private static Bolt11DecodeResult.Error? ReadUnsigned(int type, ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length == 0)
            return null; // the minimal encoding of 0: no groups at all
        if (field[0] == 0)
            return Fail(Bolt11ErrorCode.NonMinimalField, $"The {Bolt11Tag.Letter(type)} field starts with a zero group (non-minimal length).");
        if (field.Length > 12)
            return Fail(Bolt11ErrorCode.FieldOutOfRange, $"The {Bolt11Tag.Letter(type)} field has {field.Length} groups; at most 12 (60 bits) are accepted.");
        foreach (var g in field)
            value = (value << 5) | g;
        return null;
    }

    private static Bolt11DecodeResult.Error? ReadFallback(ReadOnlySpan<byte> field, BitcoinNetwork network, Fields f)
    {
        if (field.Length == 0)
            return Fail(Bolt11ErrorCode.BadFallback, "The f field is empty.");
        int version = field[0];
        if (version > 18)
            return null; // unknown version: MUST skip
        var program = Bech32.FiveToBytesTruncating(field[1..]);
        var valid = version switch
        {
            17 or 18 => program.Length == 20,
            0 => program.Length is 20 or 32,
            _ => program.Length is >= 2 and <= 40,
        };
        if (!valid)
            return Fail(Bolt11ErrorCode.BadFallback, $"Fallback version {version} with a {program.Length}-byte program is not a valid address.");
        var kind = version switch { 17 => FallbackKind.P2pkh, 18 => FallbackKind.P2sh, _ => FallbackKind.Witness };
        f.Fallbacks.Add(new Fallback(version, program, kind, FallbackAddress.Render(network, version, program)));
        return null;
    }

    private static Bolt11DecodeResult.Error? ReadRouteHint(ReadOnlySpan<byte> field, Fields f)
    {
        var bytes = Bech32.FiveToBytesTruncating(field);
        if (bytes.Length == 0 || bytes.Length % RouteHintHop.EncodedLength != 0)
            return Fail(Bolt11ErrorCode.BadRouteHint, $"The r field holds {bytes.Length} bytes, not a whole number of {RouteHintHop.EncodedLength}-byte hops.");
        var hops = new List<RouteHintHop>(bytes.Length / RouteHintHop.EncodedLength);
        for (var off = 0; off < bytes.Length; off += RouteHintHop.EncodedLength)
        {
            var hop = bytes.AsSpan(off, RouteHintHop.EncodedLength);
            if (hop[0] is not (0x02 or 0x03))
                return Fail(Bolt11ErrorCode.BadRouteHint, "A route hint node id is not a compressed public key.");
            hops.Add(new RouteHintHop(
                hop[..33].ToArray(),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hop[33..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop[41..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop[45..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(hop[49..])));
        }
        f.RouteHints.Add(new RouteHint(hops));
        return null;
    }

    private static Bolt11DecodeResult.Error? CheckSemantics(Fields f)
    {
        if (f.Counts[Bolt11Tag.PaymentHash] == 0)
            return Fail(Bolt11ErrorCode.MissingPaymentHash, "No p (payment hash) field.");
        if (f.Counts[Bolt11Tag.PaymentHash] > 1)
            return Fail(Bolt11ErrorCode.DuplicatePaymentHash, "More than one p field: which payment hash is meant is ambiguous.");
        foreach (var tag in (ReadOnlySpan<int>)[Bolt11Tag.PaymentSecret, Bolt11Tag.Description, Bolt11Tag.DescriptionHash,
                     Bolt11Tag.Expiry, Bolt11Tag.MinFinalCltvExpiry, Bolt11Tag.Features, Bolt11Tag.Metadata])
        {
            if (f.Counts[tag] > 1)
                return Fail(Bolt11ErrorCode.DuplicateField, $"More than one {Bolt11Tag.Letter(tag)} field.");
        }
        if (f.PaymentSecret is null)
            return Fail(Bolt11ErrorCode.MissingPaymentSecret, "No s (payment secret) field.");
        if (f.Description is not null && f.DescriptionHash is not null)
            return Fail(Bolt11ErrorCode.BothDescriptionAndHash, "Both a d and an h field: exactly one is allowed.");
        if (f.Description is null && f.DescriptionHash is null)
            return Fail(Bolt11ErrorCode.MissingDescription, "Neither a d nor an h field.");
        return null;
    }

    private static Bolt11DecodeResult.Error? CheckFeatures(List<int>? bits)
    {
        if (bits is null)
            return null;
        var unknownEven = bits.Where(b => b % 2 == 0 && !Bolt11Features.IsKnown(b)).ToList();
        if (unknownEven.Count > 0)
            return Fail(Bolt11ErrorCode.UnknownRequiredFeature, $"Unknown required feature bit(s) {string.Join(", ", unknownEven)}.");
        foreach (var (feature, dependsOn) in Bolt11Features.Dependencies)
        {
            if (Bolt11Features.HasEither(bits, feature) && !Bolt11Features.HasEither(bits, dependsOn))
                return Fail(Bolt11ErrorCode.MissingFeatureDependency, $"Feature bit {feature}/{feature + 1} needs {dependsOn}/{dependsOn + 1}.");
        }
        return null;
    }

    /// <summary>SHA-256 of the lower-case hrp bytes and the 5-bit data (no signature) packed to zero-padded bytes.</summary>
    internal static byte[] SigningHash(string hrp, ReadOnlySpan<byte> dataWithoutSignature)
    {
        var packed = Bech32.ConvertBits(dataWithoutSignature, 5, 8, pad: true)!;
        var preimage = new byte[hrp.Length + packed.Length];
        for (var i = 0; i < hrp.Length; i++)
            preimage[i] = (byte)hrp[i]; // bech32 hrp characters are ASCII 33..126
        packed.CopyTo(preimage, hrp.Length);
        return System.Security.Cryptography.SHA256.HashData(preimage);
    }

    private static Bolt11DecodeResult.Error Bech32Failure(Bech32Error error) => error switch
    {
        Bech32Error.Empty => Fail(Bolt11ErrorCode.Empty, "No invoice given."),
        Bech32Error.TooLong => Fail(Bolt11ErrorCode.TooLong, $"Invoice is longer than {MaxLength} characters."),
        Bech32Error.InvalidCharacter => Fail(Bolt11ErrorCode.InvalidCharacter, "Invoice contains a character outside bech32."),
        Bech32Error.MixedCase => Fail(Bolt11ErrorCode.MixedCase, "Invoice mixes upper and lower case."),
        Bech32Error.NoSeparator => Fail(Bolt11ErrorCode.NoSeparator, "Invoice has no '1' separator."),
        Bech32Error.BadChecksum => Fail(Bolt11ErrorCode.BadChecksum, "Bech32 checksum is invalid."),
        Bech32Error.Bech32mChecksum => Fail(Bolt11ErrorCode.BadChecksum, "Checksum is bech32m; BOLT 11 requires bech32."),
        _ => Fail(Bolt11ErrorCode.BadBech32, $"Malformed bech32 ({error})."),
    };

    private static Bolt11DecodeResult.Error WrongLength(int type, int actual, int expected) =>
        Fail(Bolt11ErrorCode.BadFieldLength, $"The {Bolt11Tag.Letter(type)} field has data_length {actual}; it must be {expected}.");

    private static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    private static string Clip(string s) => s.Length <= 24 ? s : s[..24] + "...";

    private static Bolt11DecodeResult.Error Fail(Bolt11ErrorCode code, string message) => new(code, message);
}
