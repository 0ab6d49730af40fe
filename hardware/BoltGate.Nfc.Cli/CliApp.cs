using System.CommandLine;
using BoltGate.Core.Crypto;
using BoltGate.Nfc.Gateway;
using BoltGate.Nfc.Ndef;
using BoltGate.Nfc.Pcsc;
using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Transport;
using Spectre.Console;

namespace BoltGate.Nfc.Cli;

/// <summary>
/// <c>boltgate-nfc</c>: readers, info, burn, wipe, verify, batch. Exit codes: 0 done, 1 refused or
/// failed, 2 usage or setup problem, 3 card pulled away (run again to finish).
/// </summary>
public static class CliApp
{
    private static readonly Option<string?> ReaderOption = new("--reader") { Description = "Use the reader whose name contains this text (default: the first with a card).", Recursive = true };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print results as JSON.", Recursive = true };
    private static readonly Option<string?> JournalOption = new("--journal") { Description = "Journal directory (default: $BOLTGATE_NFC_JOURNAL or the user's local data folder).", Recursive = true };
    private static readonly Option<int> WaitOption = new("--wait") { Description = "Seconds to wait for a card.", DefaultValueFactory = _ => 30, Recursive = true };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Show what would be done; write nothing." };
    private static readonly Option<string?> KeysOption = new("--keys") { Description = "Keys JSON in the Bolt Card Programmer format (lnurlw_base, k0..k4)." };
    private static readonly Option<string?> ProgramUrlOption = new("--program-url") { Description = "Programming URL (or boltcard://program?url=...) that answers POST {\"UID\"} with the keys." };
    private static readonly Option<string?> GatewayOption = new("--gateway") { Description = "BoltGate base URL: create the card with POST /api/v1/cards." };
    private static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = "Admin API key for --gateway (or BOLTGATE_API_KEY)." };
    private static readonly Option<string?> NameOption = new("--name") { Description = "Card name for --gateway." };
    private static readonly Option<bool> RandomUidOption = new("--random-uid") { Description = "Enable Random ID (private UID). IRREVERSIBLE." };
    private static readonly Option<string?> WipeJsonOption = new("--wipe-json") { Description = "Wipe JSON (action wipe, k0..k4)." };
    private static readonly Option<string?> ResetUrlOption = new("--reset-url") { Description = "Reset URL (or boltcard://reset?url=...) that answers POST {\"LNURLW\"} with the keys." };
    private static readonly Option<bool> CheckGatewayOption = new("--check-gateway") { Description = "Also GET the tap URL and expect a withdrawRequest." };
    private static readonly Option<bool> HttpOption = new("--http") { Description = "Use http:// instead of https:// for the tap URL (local gateways)." };
    private static readonly Option<int> CountOption = new("--count") { Description = "batch: stop after this many cards (0 = until Ctrl+C)." };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct, HttpClient? http = null)
    {
        var root = Build(output, error, http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct).ConfigureAwait(false);
    }

    private static RootCommand Build(TextWriter output, TextWriter error, HttpClient httpClient)
    {
        var gateway = new GatewayClient(httpClient);
        var root = new RootCommand("boltgate-nfc: burn, wipe and verify Boltcards (NTAG 424 DNA) with a PC/SC reader.");
        root.Add(ReaderOption);
        root.Add(JsonOption);
        root.Add(JournalOption);
        root.Add(WaitOption);

        var readers = new Command("readers", "List PC/SC readers and whether a card is on them.");
        readers.SetAction((p, ct) => Run(p, output, error, ct, (r, _) =>
        {
            using var context = PcscContext.Establish();
            var status = context.GetStatus();
            if (r.Json)
            {
                r.Object(status.Select(s => new { reader = s.Reader, cardPresent = s.CardPresent, atr = Hex.Upper(s.Atr) }));
            }
            else if (status.Count == 0)
            {
                r.Console.MarkupLine("[yellow]No readers.[/] Plug one in; on Linux check that pcscd runs and no kernel NFC driver holds the reader (see hardware/README.md).");
            }
            else
            {
                var table = new Table().AddColumns("Reader", "Card", "ATR");
                foreach (var s in status)
                    table.AddRow(Markup.Escape(s.Reader), s.CardPresent ? "[green]yes[/]" : "no", Hex.Upper(s.Atr));
                r.Console.Write(table);
            }
            return Task.FromResult(0);
        }));

        var info = new Command("info", "Show a card: UID, versions, key versions, NDEF settings and content; blank, ours or another issuer's.");
        info.Add(KeysOption);
        info.Add(WipeJsonOption);
        info.SetAction((p, ct) => WithCard(p, output, error, ct, async (r, card, journal, _) =>
        {
            var keys = OptionalKeys(p);
            var i = await new Provisioner(card, journal, TimeProvider.System).InspectAsync(keys, ct).ConfigureAwait(false);
            if (r.Json)
            {
                r.Object(new
                {
                    uid = i.Uid,
                    uidHidden = i.UidHidden,
                    hardware = i.HardwareVersion,
                    software = i.SoftwareVersion,
                    productionYear = i.ProductionYear,
                    productionWeek = i.ProductionWeek,
                    keyVersions = i.KeyVersions,
                    ndef = new { access = i.NdefSettings.Access.ToString(), sdm = i.NdefSettings.Sdm is not null, url = i.NdefUrl },
                    kind = i.Kind,
                });
            }
            else
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("UID", i.Uid ?? "(hidden: Random ID)");
                grid.AddRow("Kind", Markup.Escape(i.Kind));
                grid.AddRow("Hardware / software", $"{i.HardwareVersion} / {i.SoftwareVersion}");
                grid.AddRow("Produced", $"{i.ProductionYear} week {i.ProductionWeek}");
                grid.AddRow("Key versions K0..K4", string.Join(" ", i.KeyVersions));
                grid.AddRow("NDEF access", i.NdefSettings.Access.ToString());
                grid.AddRow("SUN", i.NdefSettings.Sdm is { } s ? $"on (meta-read K{s.MetaReadKey}, file-read K{s.FileReadKey}, p at {s.PiccDataOffset}, c at {s.MacOffset})" : "off");
                grid.AddRow("NDEF URL", Markup.Escape(i.NdefUrl ?? "(none)"));
                r.Console.Write(grid);
            }
            return 0;
        }));

        var burn = new Command("burn", "Program a blank card (or finish an interrupted burn) with keys from a file, a programming URL or the gateway.");
        foreach (var o in new Option[] { KeysOption, ProgramUrlOption, GatewayOption, ApiKeyOption, NameOption, RandomUidOption, DryRunOption })
            burn.Add(o);
        burn.SetAction((p, ct) => WithCard(p, output, error, ct, async (r, card, journal, _) =>
        {
            var source = KeySourceFactory.Create(p.GetValue(KeysOption), p.GetValue(ProgramUrlOption), p.GetValue(GatewayOption),
                p.GetValue(ApiKeyOption), p.GetValue(NameOption), gateway);
            var options = new BurnOptions(p.GetValue(DryRunOption), p.GetValue(RandomUidOption));
            var outcome = await new Provisioner(card, journal, TimeProvider.System, r.Progress).BurnAsync(source, options, ct).ConfigureAwait(false);
            return r.Outcome("burn", outcome);
        }));

        var wipe = new Command("wipe", "Reset a card to factory keys and an empty NDEF (or finish an interrupted burn/wipe).");
        foreach (var o in new Option[] { WipeJsonOption, KeysOption, ResetUrlOption, DryRunOption })
            wipe.Add(o);
        wipe.SetAction((p, ct) => WithCard(p, output, error, ct, async (r, card, journal, _) =>
        {
            KeySet keys;
            if (p.GetValue(ResetUrlOption) is { } resetUrl)
            {
                var url = NdefUriFile.TryReadUri(await card.ReadNdefFileAsync(ct).ConfigureAwait(false), out var u) ? u
                    : throw new CliException("The card holds no lnurlw URL to send to the reset URL.");
                var (k, problem) = await gateway.ResetAsync(KeySourceFactory.ParseUrl(resetUrl, "--reset-url"), url, ct).ConfigureAwait(false);
                keys = k ?? throw new CliException("Reset URL: " + problem);
            }
            else
            {
                keys = OptionalKeys(p) ?? throw new CliException("Give the card's keys: --wipe-json FILE, --keys FILE or --reset-url URL.");
            }
            var outcome = await new Provisioner(card, journal, TimeProvider.System, r.Progress).WipeAsync(keys, p.GetValue(DryRunOption), ct).ConfigureAwait(false);
            return r.Outcome("wipe", outcome);
        }));

        var verify = new Command("verify", "Read the card's NDEF like a phone, check the tap with K1/K2 and optionally against the gateway.");
        foreach (var o in new Option[] { KeysOption, WipeJsonOption, CheckGatewayOption, HttpOption })
            verify.Add(o);
        verify.SetAction((p, ct) => WithCard(p, output, error, ct, async (r, card, journal, _) =>
        {
            var keys = OptionalKeys(p) ?? throw new CliException("verify needs the card's keys: --keys FILE or --wipe-json FILE.");
            var tap = await new Provisioner(card, journal, TimeProvider.System).ReadTapAsync(keys.Key(1), keys.Key(2), ct).ConfigureAwait(false);
            WithdrawCheck? remote = null;
            if (tap.Verified && p.GetValue(CheckGatewayOption))
                remote = await gateway.CheckTapAsync(tap.Url, p.GetValue(HttpOption), ct).ConfigureAwait(false);
            var ok = tap.Verified && (remote is null || remote.IsWithdrawRequest);
            if (r.Json)
            {
                r.Object(new
                {
                    command = "verify",
                    status = ok ? "verified" : "failed",
                    uid = tap.Uid,
                    counter = tap.Counter,
                    url = tap.Url,
                    problem = tap.Problem,
                    gateway = remote is null ? null : new { withdrawRequest = remote.IsWithdrawRequest, maxWithdrawableMsat = remote.MaxWithdrawableMsat, problem = remote.Problem },
                });
            }
            else
            {
                r.Console.MarkupLine(tap.Verified
                    ? $"[green]Tap verified[/]: UID {tap.Uid}, counter {tap.Counter}"
                    : $"[red]Tap not verified[/]: {Markup.Escape(tap.Problem ?? "")}");
                r.Console.MarkupLine($"URL {Markup.Escape(tap.Url)}");
                if (remote is not null)
                {
                    r.Console.MarkupLine(remote.IsWithdrawRequest
                        ? $"[green]Gateway answered a withdrawRequest[/] (max {remote.MaxWithdrawableMsat} msat)"
                        : $"[red]Gateway check failed[/]: {Markup.Escape(remote.Problem ?? "")}");
                }
            }
            return ok ? 0 : 1;
        }));

        var batch = new Command("batch", "Burn card after card: wait for each, burn, verify, log; cards already burned (journal) are skipped, unfinished ones resumed.");
        foreach (var o in new Option[] { KeysOption, ProgramUrlOption, GatewayOption, ApiKeyOption, NameOption, RandomUidOption, CountOption })
            batch.Add(o);
        batch.SetAction((p, ct) => Run(p, output, error, ct, async (r, journal) =>
        {
            var source = KeySourceFactory.Create(p.GetValue(KeysOption), p.GetValue(ProgramUrlOption), p.GetValue(GatewayOption),
                p.GetValue(ApiKeyOption), p.GetValue(NameOption), gateway);
            var count = p.GetValue(CountOption);
            using var connector = new CardConnector(p.GetValue(ReaderOption), TimeSpan.FromDays(1));
            var burned = 0;
            var skipped = 0;
            var failures = 0;
            // Cards burned before (completed.log) or earlier in this run: shown as skipped, not as failures.
            var done = new HashSet<string>(journal.Completed(Provisioner.Burn), StringComparer.OrdinalIgnoreCase);
            while (count == 0 || burned + skipped + failures < count)
            {
                r.Prompt("Put the next card on the reader…");
                var (card, reader) = await connector.ConnectAsync(ct).ConfigureAwait(false);
                var outcome = await new Provisioner(card, journal, TimeProvider.System, r.Progress)
                    .BurnAsync(source, new BurnOptions(RandomUid: p.GetValue(RandomUidOption)), ct).ConfigureAwait(false);
                if (outcome.Status == ProvisionStatus.Refused && outcome.Uid is { } uid && done.Contains(uid))
                {
                    r.Outcome("burn", outcome with { Message = "already burned in this batch: " + outcome.Message }, status: "skipped");
                    skipped++;
                }
                else
                {
                    r.Outcome("burn", outcome);
                    if (outcome.Status == ProvisionStatus.Done)
                    {
                        burned++;
                        done.Add(outcome.Uid!);
                    }
                    else
                    {
                        failures++;
                    }
                }
                connector.Release();
                r.Prompt("Take the card away.");
                await connector.Context.WaitForRemovalAsync(reader, ct).ConfigureAwait(false);
            }
            if (r.Json)
                r.Object(new { command = "batch", burned, skipped, notBurned = failures });
            else
                r.Console.MarkupLine($"Batch: [green]{burned} burned[/], {skipped} already burned (skipped), {failures} not burned.");
            return failures == 0 ? 0 : 1;
        }));

        root.Add(readers);
        root.Add(info);
        root.Add(burn);
        root.Add(wipe);
        root.Add(verify);
        root.Add(batch);
        root.Add(DevCommands.Tap(output, error, httpClient));
        root.Add(DevCommands.Invoice(output, error));
        return root;
    }

    private static KeySet? OptionalKeys(ParseResult p)
    {
        if (p.GetValue(WipeJsonOption) is { } wipeFile)
        {
            return ProgrammerJson.TryParseWipe(File.ReadAllText(wipeFile), out var keys, out _, out var error)
                ? keys : throw new CliException($"{wipeFile}: {error}");
        }
        if (p.GetValue(KeysOption) is { } keysFile)
        {
            return ProgrammerJson.TryParseKeys(File.ReadAllText(keysFile), out var keys, out var error)
                ? keys.Keys : throw new CliException($"{keysFile}: {error}");
        }
        return null;
    }

    private static Task<int> WithCard(ParseResult p, TextWriter output, TextWriter error, CancellationToken ct,
        Func<Reporter, BoltGate.Nfc.Ntag424.Ntag424Card, CardJournal, string, Task<int>> action) =>
        Run(p, output, error, ct, async (r, journal) =>
        {
            using var connector = new CardConnector(p.GetValue(ReaderOption), TimeSpan.FromSeconds(p.GetValue(WaitOption)));
            var (card, reader) = await connector.ConnectAsync(ct).ConfigureAwait(false);
            r.Progress($"card on {reader}");
            return await action(r, card, journal, reader).ConfigureAwait(false);
        });

    private static Task<int> Run(ParseResult p, TextWriter output, TextWriter error, CancellationToken ct, Func<Reporter, Task<int>> action) =>
        Run(p, output, error, ct, (r, _) => action(r));

    private static async Task<int> Run(ParseResult p, TextWriter output, TextWriter error, CancellationToken ct, Func<Reporter, CardJournal, Task<int>> action)
    {
        _ = ct;
        var reporter = new Reporter(output, p.GetValue(JsonOption));
        try
        {
            var journal = new CardJournal(p.GetValue(JournalOption) ?? CardJournal.DefaultDirectory, TimeProvider.System);
            return await action(reporter, journal).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync("boltgate-nfc: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (PcscException e)
        {
            await error.WriteLineAsync("boltgate-nfc: PC/SC: " + e.Message + (e.Code == 0x8010001D ? " — start pcscd (Linux) or the Smart Card service (Windows)." : "")).ConfigureAwait(false);
            return 2;
        }
        catch (CardTransportException e)
        {
            await error.WriteLineAsync("boltgate-nfc: the card left the reader: " + e.Message).ConfigureAwait(false);
            return 3;
        }
        catch (BoltGate.Nfc.Ntag424.Ntag424Exception e)
        {
            await error.WriteLineAsync("boltgate-nfc: the card refused: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync("boltgate-nfc: " + e.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
