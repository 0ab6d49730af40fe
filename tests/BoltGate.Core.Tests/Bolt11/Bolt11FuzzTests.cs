using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using FsCheck;
using FsCheck.Xunit;

namespace BoltGate.Core.Tests.Bolt11;

/// <summary>
/// Hostile input never throws: random strings and mutated valid invoices always come back as a
/// <see cref="Bolt11DecodeResult"/>, and a mutation is never mistaken for the original signer's invoice.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public class Bolt11FuzzTests
{
    private static readonly string[] Seeds = Bolt11Vectors.Accepted.Select(v => v.GetProperty("invoice").GetString()!).ToArray();

    private static readonly string[] SeedPayees = Bolt11Vectors.Accepted.Select(v => v.GetProperty("expected").GetProperty("payee_node_key").GetString()!).ToArray();

    [Property(MaxTest = 3000)]
    public bool Random_strings_are_an_error_value(string? input) =>
        Bolt11Decoder.Decode(input) is Bolt11DecodeResult.Error;

    [Property(MaxTest = 3000)]
    public bool Random_strings_with_an_invoice_prefix_are_an_error_value(NonNegativeInt prefixIndex, string? tail)
    {
        string[] prefixes = ["lnbc", "lnbc1", "lntb2500u1", "lnbcrt1", "LNBC1", "lightning:lnbc1", "lntbs10p1"];
        return Bolt11Decoder.Decode(prefixes[prefixIndex.Get % prefixes.Length] + tail) is Bolt11DecodeResult.Error;
    }

    [Property(MaxTest = 3000)]
    public bool Flipping_one_character_of_a_valid_invoice_is_an_error(NonNegativeInt seed, NonNegativeInt position, char replacement)
    {
        var invoice = Seeds[seed.Get % Seeds.Length];
        var at = position.Get % invoice.Length;
        if (invoice[at] == replacement)
            return true;
        var mutated = invoice[..at] + replacement + invoice[(at + 1)..];
        return Bolt11Decoder.Decode(mutated) is Bolt11DecodeResult.Error;
    }

    [Property(MaxTest = 2000)]
    public bool Truncating_a_valid_invoice_is_an_error(NonNegativeInt seed, NonNegativeInt cut)
    {
        var invoice = Seeds[seed.Get % Seeds.Length];
        return Bolt11Decoder.Decode(invoice[..(cut.Get % invoice.Length)]) is Bolt11DecodeResult.Error;
    }

    [Property(MaxTest = 2000)]
    public bool Inserting_into_a_valid_invoice_is_an_error(NonNegativeInt seed, NonNegativeInt position, NonEmptyString inserted)
    {
        var invoice = Seeds[seed.Get % Seeds.Length];
        var at = position.Get % (invoice.Length + 1);
        return Bolt11Decoder.Decode(invoice[..at] + inserted.Get + invoice[at..]) is Bolt11DecodeResult.Error;
    }

    /// <summary>
    /// Mutations with a recomputed checksum get past bech32 and exercise the field parser and the
    /// signature check. Such an invoice may still decode (recovery then yields some other key),
    /// but never as one signed by the original payee.
    /// </summary>
    [Fact]
    public void Rechecksummed_mutations_never_throw_and_never_keep_the_signer()
    {
        var random = new Random(11);
        var codes = new HashSet<Bolt11ErrorCode>();
        for (var i = 0; i < 6000; i++)
        {
            var s = random.Next(Seeds.Length);
            Assert.Equal(Bech32Error.None, Bech32.Decode(Seeds[s].ToLowerInvariant(), 8192, out var hrp, out var data));
            var groups = data.ToList();
            switch (random.Next(6))
            {
                case 0: groups[random.Next(groups.Count)] = (byte)random.Next(32); break;
                case 1: groups.RemoveAt(random.Next(groups.Count)); break;
                case 2: groups.Insert(random.Next(groups.Count + 1), (byte)random.Next(32)); break;
                case 3:
                    var from = random.Next(groups.Count);
                    groups.RemoveRange(from, 1 + random.Next(Math.Min(20, groups.Count - from)));
                    break;
                case 4:
                    var at = 7 + random.Next(Math.Max(1, groups.Count - 111));
                    groups.InsertRange(Math.Min(at, groups.Count), Enumerable.Range(0, random.Next(1, 60)).Select(_ => (byte)random.Next(32)));
                    break;
                default: hrp = MutateHrp(random, hrp); break;
            }
            var text = Bech32.Encode(hrp, groups.ToArray());
            var result = Bolt11Decoder.Decode(text);
            if (text == Seeds[s].ToLowerInvariant())
                continue;
            if (result is Bolt11DecodeResult.Ok ok)
                Assert.NotEqual(SeedPayees[s], ok.Invoice.PayeeHex);
            else if (result is Bolt11DecodeResult.Error error)
                codes.Add(error.Code);
        }
        // The mutations reach past bech32 into the hrp, field, signature and semantic checks.
        Assert.Superset(new HashSet<Bolt11ErrorCode>
        {
            Bolt11ErrorCode.UnknownNetwork, Bolt11ErrorCode.BadAmount, Bolt11ErrorCode.TruncatedField,
            Bolt11ErrorCode.BadFieldLength, Bolt11ErrorCode.MissingPaymentHash, Bolt11ErrorCode.InvalidRecoveryId,
        }, codes);
    }

    [Fact]
    public void Rechecksummed_mutations_of_an_n_field_invoice_never_pass_as_the_signer()
    {
        // With an n field the signature must verify against it, so no mutation is accepted as the
        // signer's invoice, except of the recovery id (the last 8 bits), which a reader with n does not
        // use. (Changing the n field's type turns it into an unknown field; recovery then yields another key.)
        var seed = Bolt11Vectors.ByName("derived_n_field_low_s").GetProperty("invoice").GetString()!;
        Assert.Equal(Bech32Error.None, Bech32.Decode(seed, 8192, out var hrp, out var data));
        var original = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(seed));
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var groups = (byte[])data.Clone();
            var at = random.Next(groups.Length);
            var value = (byte)random.Next(32);
            if (groups[at] == value)
                continue;
            groups[at] = value;
            var result = Bolt11Decoder.Decode(Bech32.Encode(hrp, groups));
            if (result is Bolt11DecodeResult.Ok { Invoice.PayeeFromNField: false } other)
            {
                Assert.NotEqual(original.PayeeHex, other.Invoice.PayeeHex);
            }
            else if (result is Bolt11DecodeResult.Ok ok)
            {
                Assert.True(at >= groups.Length - 2, $"mutated group {at} of {groups.Length} was accepted");
                Assert.Equal(original.PaymentHash, ok.Invoice.PaymentHash);
                Assert.Equal(original.PayeeHex, ok.Invoice.PayeeHex);
                Assert.Equal(original.Signature, ok.Invoice.Signature);
            }
        }
    }

    private static string MutateHrp(Random random, string hrp)
    {
        string[] hrps = ["lnbc", "lntb", "lntbs", "lnbcrt", "lnbc0", "lnbc01m", "lnbc1x", "lnbc99999999999999999999999999p", "lnbc10p", "lnbc11p",
            "lnbcm", "lnbc2500", "lnxx", "ln", "bc", "lnbc9223372036854775807m", "lnbc" + new string('9', 40)];
        return random.Next(3) == 0 ? hrp + (char)random.Next(33, 127) : hrps[random.Next(hrps.Length)];
    }
}
