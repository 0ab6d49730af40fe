using System.Security.Cryptography;
using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Transport;
using BoltGate.Nfc.Virtual;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Nfc.Tests.Provisioning;

/// <summary>A virtual card, a journal directory and fresh keys: one programming bench per test.</summary>
internal sealed class Bench : IDisposable
{
    private readonly TempDir _dir = new();

    public Bench(string uidHex = "04a39493cc8680")
    {
        Card = new VirtualNtag424(Convert.FromHexString(uidHex));
        Journal = new CardJournal(_dir.Path, Time);
        Keys = new KeySet(Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(16)).ToList());
    }

    public VirtualNtag424 Card { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public CardJournal Journal { get; }

    public KeySet Keys { get; }

    public string LnurlwBase { get; set; } = "lnurlw://pay.example.com/ln";

    /// <summary>The key version the key source names (BoltGate's <c>keyVersion</c>); null like the app's JSON.</summary>
    public byte? IssuerKeyVersion { get; set; }

    public int KeySourceCalls { get; private set; }

    public Provisioner Provisioner(ICardTransport? transport = null) =>
        new(new Ntag424Card(transport ?? new VirtualCardTransport(Card)), Journal, Time);

    public Task<KeyLookup> Source(string uid, CancellationToken ct)
    {
        _ = ct;
        KeySourceCalls++;
        return Task.FromResult(KeyLookup.Found(new ProgrammingKeys(Keys, LnurlwBase, false, "test", IssuerKeyVersion)));
    }

    public Task<ProvisionOutcome> BurnAsync(ICardTransport? transport = null, BurnOptions? options = null) =>
        Provisioner(transport).BurnAsync(Source, options ?? new BurnOptions(), CancellationToken.None);

    public Task<ProvisionOutcome> WipeAsync(KeySet keys, ICardTransport? transport = null) =>
        Provisioner(transport).WipeAsync(keys, dryRun: false, CancellationToken.None);

    public bool CardHolds(KeySet keys, byte version) =>
        Enumerable.Range(0, 5).All(n => Card.HasKey(n, keys[n]) && Card.KeyVersion(n) == version);

    public bool JournalIsEmpty => !Directory.EnumerateFiles(Journal.Directory, "*.json").Any();

    /// <summary>A phone tapping the card: new field, read the NDEF, check p/c with K1/K2.</summary>
    public async Task<TapReport> TapAsync()
    {
        Card.Reset();
        return await Provisioner().ReadTapAsync(Keys.Key(1), Keys.Key(2), CancellationToken.None);
    }

    public void Dispose() => _dir.Dispose();
}
