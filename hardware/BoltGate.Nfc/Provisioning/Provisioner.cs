using BoltGate.Core.Crypto;
using BoltGate.Nfc.Ndef;
using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Pcsc;
using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Provisioning;

/// <summary>
/// Burns, wipes, verifies and inspects one card on the reader. Safety rules: a card is touched only
/// after its K0 is proven by authentication; every change is journalled first; K1..K4 change before
/// K0; the result is verified by authenticating with every new key and reading a fresh tap. A card
/// pulled away mid-way is finished (or rolled back with wipe) by running the command again: the
/// journal says which key sets the card may hold and each key's current value is found by
/// authentication, ordered by its key version so wrong guesses are rare.
/// </summary>
public sealed class Provisioner(Ntag424Card card, CardJournal journal, TimeProvider time, Action<string>? progress = null)
{
    public const string Burn = "burn";
    public const string Wipe = "wipe";

    private readonly List<string> _steps = [];

    // ---------------- info ----------------

    public async Task<CardInfo> InspectAsync(KeySet? keys, CancellationToken ct)
    {
        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        var version = await card.GetVersionAsync(ct).ConfigureAwait(false);
        var versions = await KeyVersionsAsync(ct).ConfigureAwait(false);
        var settings = await card.GetFileSettingsAsync(Ntag424Card.NdefFileNo, ct).ConfigureAwait(false);
        var file = await card.ReadNdefFileAsync(ct).ConfigureAwait(false);
        var url = NdefUriFile.TryReadUri(file, out var u) ? u : null;
        string kind;
        if (versions.All(v => v == 0) && settings.Sdm is null)
            kind = url is null ? "blank" : "blank keys, NDEF present";
        else if (settings.Sdm is { MetaReadKey: 1, FileReadKey: 2 } && url is not null)
            kind = keys is not null && TapCheck.Check(url, keys[1], keys[2]).Verified ? "boltcard (ours: the tap verifies with these keys)"
                : keys is not null ? "boltcard (other issuer: the tap does not verify with these keys)" : "boltcard";
        else
            kind = "other (not a Boltcard layout)";
        return new CardInfo(version.UidHidden ? null : Hex.Lower(version.Uid), version.UidHidden, Hex.Upper(version.Hardware),
            Hex.Upper(version.Software), version.ProductionYear, version.ProductionWeek, versions, settings, url, kind);
    }

    // ---------------- burn ----------------

    public async Task<ProvisionOutcome> BurnAsync(Func<string, CancellationToken, Task<KeyLookup>> keySource, BurnOptions options, CancellationToken ct)
    {
        string? uid = null;
        try
        {
            await card.SelectApplicationAsync(ct).ConfigureAwait(false);
            var version = await card.GetVersionAsync(ct).ConfigureAwait(false);
            var versions = await KeyVersionsAsync(ct).ConfigureAwait(false);
            uid = version.UidHidden ? null : Hex.Lower(version.Uid);
            var pending = uid is null ? await FindHiddenUidEntryAsync(ct).ConfigureAwait(false) : journal.Find(uid);
            if (pending is not null)
            {
                uid = pending.Uid;
                if (pending.Operation == Burn)
                {
                    Say($"Unfinished burn found in the journal for {uid}: resuming it.");
                    return options.DryRun
                        ? Outcome(ProvisionStatus.DryRun, uid, "Would resume the unfinished burn recorded in the journal.")
                        : await ApplyAsync(pending, fresh: false, ct).ConfigureAwait(false) with { Resumed = true };
                }
                return Outcome(ProvisionStatus.Refused, uid,
                    "This card has an unfinished wipe in the journal. Run `wipe` again to finish it, then burn.");
            }

            if (versions.Any(v => v != 0))
                return Outcome(ProvisionStatus.Refused, uid,
                    $"The card is not blank (key versions {string.Join(",", versions)}). Wipe it first with its wipe JSON or the gateway.");
            var auth = await card.AuthenticateEv2FirstAsync(0, KeySet.Factory.Key(0), ct).ConfigureAwait(false);
            if (!auth.Succeeded)
                return Outcome(ProvisionStatus.Refused, uid, $"Cannot prove K0: the factory key was refused ({auth}). Not touching this card.");
            Step("K0 proven (factory key)");
            if (uid is null)
                uid = Hex.Lower(await card.GetCardUidAsync(ct).ConfigureAwait(false));

            var lookup = await keySource(uid, ct).ConfigureAwait(false);
            if (lookup.Keys is not { } keys)
                return Outcome(ProvisionStatus.Refused, uid, "No keys for this card: " + lookup.Error);
            var template = LnurlwTemplate.FromBase(keys.LnurlwBase);
            var keyVersion = keys.KeyVersion ?? options.KeyVersion;
            if (keys.UidPrivacy && !options.RandomUid)
                Say("The issuer asks for a private UID (uid_privacy=Y); pass --random-uid to enable it. It is irreversible.");
            if (options.DryRun)
            {
                return Outcome(ProvisionStatus.DryRun, uid,
                    $"Would write {template.Url} (p at {template.PiccDataOffset}, c at {template.MacOffset}), enable SUN with K1/K2, "
                    + $"change K1..K4 then K0 to version {keyVersion}{(options.RandomUid ? ", and enable Random ID" : "")}.");
            }
            var entry = new JournalEntry
            {
                Uid = uid,
                Operation = Burn,
                From = [[.. KeySet.Factory.ToHex()]],
                Target = [.. keys.Keys.ToHex()],
                TargetVersion = keyVersion,
                LnurlwBase = keys.LnurlwBase,
                RandomUid = options.RandomUid,
                StartedAt = time.GetUtcNow(),
            };
            journal.Save(entry);
            return await ApplyAsync(entry, fresh: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CardTransportException or PcscException)
        {
            return Outcome(ProvisionStatus.Interrupted, uid, $"The card left the reader ({e.Message}). Put it back and run burn again to finish.");
        }
        catch (Ntag424Exception e)
        {
            return Outcome(ProvisionStatus.Failed, uid, $"The card refused a step: {e.Message}. Run burn again to retry from the journal.");
        }
    }

    // ---------------- wipe ----------------

    public async Task<ProvisionOutcome> WipeAsync(KeySet currentKeys, bool dryRun, CancellationToken ct)
    {
        string? uid = null;
        try
        {
            await card.SelectApplicationAsync(ct).ConfigureAwait(false);
            var version = await card.GetVersionAsync(ct).ConfigureAwait(false);
            uid = version.UidHidden ? null : Hex.Lower(version.Uid);
            var pending = uid is null ? await FindHiddenUidEntryAsync(ct).ConfigureAwait(false) : journal.Find(uid);
            List<List<string>> from;
            if (pending is not null)
            {
                uid = pending.Uid;
                Say($"Unfinished {pending.Operation} found in the journal for {uid}: wiping from where it stopped.");
                from = [.. pending.From, pending.Target, [.. currentKeys.ToHex()]];
            }
            else
            {
                // Check the tap with the given K1/K2 before spending an authentication on K0 (failed
                // attempts count towards the card's lock-out).
                var file = await card.ReadNdefFileAsync(ct).ConfigureAwait(false);
                if (NdefUriFile.TryReadUri(file, out var url) && TapCheck.TryQuery(url, out _, out _))
                {
                    var tap = TapCheck.Check(url, currentKeys[1], currentKeys[2]);
                    if (!tap.Verified)
                        return Outcome(ProvisionStatus.Refused, uid, $"The card's tap does not verify with these K1/K2 ({tap.Problem}): wrong wipe keys for this card.");
                    Step($"tap verified with the wipe keys (counter {tap.Counter})");
                }
                from = [[.. currentKeys.ToHex()]];
            }
            if (dryRun)
                return Outcome(ProvisionStatus.DryRun, uid, "Would erase the NDEF file, turn SUN off and change K1..K4 then K0 to 00…00 (version 0).");
            var entry = new JournalEntry
            {
                Uid = uid ?? "00000000000000",
                Operation = Wipe,
                From = from,
                Target = [.. KeySet.Factory.ToHex()],
                TargetVersion = 0,
                StartedAt = time.GetUtcNow(),
            };
            if (uid is null)
            {
                // Random-ID card without a journal entry: learn the real UID with the given K0 first.
                var auth = await card.AuthenticateEv2FirstAsync(0, currentKeys.Key(0), ct).ConfigureAwait(false);
                if (!auth.Succeeded)
                    return Outcome(ProvisionStatus.Refused, null, $"Cannot prove K0 with the wipe keys ({auth}). Not touching this card.");
                uid = Hex.Lower(await card.GetCardUidAsync(ct).ConfigureAwait(false));
                entry = entry with { Uid = uid };
            }
            journal.Save(entry);
            return await ApplyAsync(entry, fresh: pending is null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CardTransportException or PcscException)
        {
            return Outcome(ProvisionStatus.Interrupted, uid, $"The card left the reader ({e.Message}). Put it back and run wipe again to finish.");
        }
        catch (Ntag424Exception e)
        {
            return Outcome(ProvisionStatus.Failed, uid, $"The card refused a step: {e.Message}. Run wipe again to retry from the journal.");
        }
    }

    // ---------------- verify ----------------

    /// <summary>Reads the NDEF as a phone does (one tap) and checks it with K1/K2.</summary>
    public async Task<TapReport> ReadTapAsync(ReadOnlyMemory<byte> k1, ReadOnlyMemory<byte> k2, CancellationToken ct)
    {
        var file = await card.ReadNdefFileAsync(ct).ConfigureAwait(false);
        if (!NdefUriFile.TryReadUri(file, out var url))
            return new TapReport("", false, null, 0, "the card holds no URI record");
        return TapCheck.Check(url, k1.Span, k2.Span);
    }

    // ---------------- the transition ----------------

    private async Task<ProvisionOutcome> ApplyAsync(JournalEntry entry, bool fresh, CancellationToken ct)
    {
        var target = entry.TargetKeys;
        var from = entry.FromKeys;
        var isBurn = entry.Operation == Burn;

        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        var versions = await KeyVersionsAsync(ct).ConfigureAwait(false);

        var current = new byte[5][];
        for (var n = 0; n < 5; n++)
        {
            var found = await ProbeAsync((byte)n, target, from, entry.TargetVersion, versions[n], ct).ConfigureAwait(false);
            if (found is null)
            {
                if (n == 0 && fresh)
                    journal.Complete(entry, "refused-k0-unproven");
                return Outcome(ProvisionStatus.Refused, entry.Uid,
                    $"None of the journalled keys opens key {n}: cannot prove it. Not touching this card further.");
            }
            current[n] = found;
        }
        Step("current keys identified");

        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        var auth = await card.AuthenticateEv2FirstAsync(0, current[0], ct).ConfigureAwait(false);
        if (!auth.Succeeded)
            return Outcome(ProvisionStatus.Failed, entry.Uid, $"K0 authentication failed after probing ({auth}).");

        byte[] content;
        FileSettings settings;
        if (isBurn)
        {
            var template = LnurlwTemplate.FromBase(entry.LnurlwBase!);
            content = new byte[NdefUriFile.FileSize];
            template.NdefFile.CopyTo(content, 0);
            settings = FileSettings.BoltcardNdef(template.PiccDataOffset, template.MacOffset);
        }
        else
        {
            content = new byte[NdefUriFile.FileSize];
            settings = FileSettings.FactoryNdef;
        }
        // Written in 128-byte frames: each is tearing-protected on the chip.
        for (var offset = 0; offset < content.Length; offset += 128)
            await card.WriteDataAsync(Ntag424Card.NdefFileNo, offset, content.AsMemory(offset, 128), CommMode.Plain, ct).ConfigureAwait(false);
        entry = journal.Step(entry, "ndef written");
        Step(isBurn ? "NDEF written" : "NDEF erased");
        await card.ChangeFileSettingsAsync(Ntag424Card.NdefFileNo, settings, ct).ConfigureAwait(false);
        entry = journal.Step(entry, "file settings changed");
        Step(isBurn ? "SUN enabled (K1 meta-read, K2 file-read)" : "SUN disabled, factory file settings");

        if (entry.RandomUid)
        {
            entry = journal.Step(entry, "random uid enabling");
            await card.EnableRandomUidAsync(ct).ConfigureAwait(false);
            entry = journal.Step(entry, "random uid enabled");
            Step("Random ID enabled (irreversible)");
        }

        for (var n = 1; n <= 4; n++)
        {
            if (target[n].SequenceEqual(current[n]))
                continue;
            entry = journal.Step(entry, $"k{n} changing");
            await card.ChangeKeyAsync((byte)n, target.Key(n), entry.TargetVersion, current[n], ct).ConfigureAwait(false);
            entry = journal.Step(entry, $"k{n} changed");
            Step($"K{n} changed");
        }
        if (!target[0].SequenceEqual(current[0]))
        {
            entry = journal.Step(entry, "k0 changing");
            await card.ChangeKeyAsync(0, target.Key(0), entry.TargetVersion, current[0], ct).ConfigureAwait(false);
            entry = journal.Step(entry, "k0 changed");
            Step("K0 changed");
        }

        var problem = await VerifyKeysAsync(target, entry.TargetVersion, ct).ConfigureAwait(false);
        TapReport? tap = null;
        if (problem is null)
        {
            var file = await card.ReadNdefFileAsync(ct).ConfigureAwait(false);
            if (isBurn)
            {
                tap = NdefUriFile.TryReadUri(file, out var url) ? TapCheck.Check(url, target[1], target[2]) : null;
                if (tap is null)
                    problem = "the NDEF file holds no URI after writing";
                else if (!tap.Verified)
                    problem = "the first tap does not verify: " + tap.Problem;
                else if (!string.Equals(tap.Uid, entry.Uid, StringComparison.OrdinalIgnoreCase))
                    problem = "the tap carries another UID";
                else if (!url!.StartsWith(LnurlwTemplate.FromBase(entry.LnurlwBase!).Url[..^(LnurlwTemplate.PiccDataHexLength + LnurlwTemplate.MacHexLength + 3)], StringComparison.Ordinal))
                    problem = "the tap URL does not start with the card's lnurlw base";
            }
            else if (file.Length != 2 || file[0] != 0 || file[1] != 0)
            {
                problem = "the NDEF file is not empty after the wipe";
            }
        }
        if (problem is not null)
        {
            journal.Step(entry, "verification failed: " + problem);
            return Outcome(ProvisionStatus.Failed, entry.Uid, "Verification after writing failed: " + problem) with { Tap = tap };
        }
        Step(isBurn ? $"verified: all five keys authenticate, tap OK (counter {tap!.Counter})" : "verified: factory keys authenticate, NDEF empty");
        journal.Complete(entry, "ok");
        return Outcome(ProvisionStatus.Done, entry.Uid, isBurn ? "Card burned and verified." : "Card wiped and verified.") with { Tap = tap };
    }

    /// <summary>Finds key <paramref name="keyNo"/>'s current value among the target and the journalled sets, by authenticating.</summary>
    private async Task<byte[]?> ProbeAsync(byte keyNo, KeySet target, IReadOnlyList<KeySet> from, byte targetVersion, byte cardVersion, CancellationToken ct)
    {
        var candidates = new List<byte[]>();
        void Add(byte[] k)
        {
            if (!candidates.Any(c => c.SequenceEqual(k)))
                candidates.Add(k);
        }
        var targetFirst = cardVersion == targetVersion;
        if (targetFirst)
            Add(target.Key(keyNo));
        foreach (var set in from)
            Add(set.Key(keyNo));
        Add(target.Key(keyNo));
        foreach (var candidate in candidates)
        {
            var result = await card.AuthenticateEv2FirstAsync(keyNo, candidate, ct).ConfigureAwait(false);
            if (result.Succeeded)
                return candidate;
            if (result.StatusWord != StatusWords.AuthenticationError)
                throw new Ntag424Exception($"Authenticate key {keyNo}", result.StatusWord);
        }
        return null;
    }

    private async Task<string?> VerifyKeysAsync(KeySet target, byte version, CancellationToken ct)
    {
        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        for (byte n = 0; n < 5; n++)
        {
            var auth = await card.AuthenticateEv2FirstAsync(n, target.Key(n), ct).ConfigureAwait(false);
            if (!auth.Succeeded)
                return $"key {n} does not authenticate with its new value ({auth})";
            var v = await card.GetKeyVersionAsync(n, ct).ConfigureAwait(false);
            if (v != version)
                return $"key {n} has version {v}, expected {version}";
        }
        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        return null;
    }

    private async Task<byte[]> KeyVersionsAsync(CancellationToken ct)
    {
        var versions = new byte[5];
        for (byte n = 0; n < 5; n++)
            versions[n] = await card.GetKeyVersionAsync(n, ct).ConfigureAwait(false);
        return versions;
    }

    /// <summary>A Random-ID card hides its UID until authenticated: try the K0s of unfinished journal entries.</summary>
    private async Task<JournalEntry?> FindHiddenUidEntryAsync(CancellationToken ct)
    {
        foreach (var entry in journal.Pending())
        {
            foreach (var k0 in entry.FromKeys.Select(k => k.Key(0)).Append(entry.TargetKeys.Key(0)))
            {
                await card.SelectApplicationAsync(ct).ConfigureAwait(false);
                if (!(await card.AuthenticateEv2FirstAsync(0, k0, ct).ConfigureAwait(false)).Succeeded)
                    continue;
                var uid = Hex.Lower(await card.GetCardUidAsync(ct).ConfigureAwait(false));
                if (string.Equals(uid, entry.Uid, StringComparison.OrdinalIgnoreCase))
                    return entry;
            }
        }
        await card.SelectApplicationAsync(ct).ConfigureAwait(false);
        return null;
    }

    private void Step(string step)
    {
        _steps.Add(step);
        progress?.Invoke(step);
    }

    private void Say(string message) => progress?.Invoke(message);

    private ProvisionOutcome Outcome(ProvisionStatus status, string? uid, string message) => new(status, uid, message, _steps.ToList());
}
