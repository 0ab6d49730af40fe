using System.Text.Json;
using BoltGate.Nfc.Provisioning;
using Spectre.Console;

namespace BoltGate.Nfc.Cli;

/// <summary>Human output through Spectre.Console, or one JSON object per result with --json. Keys are never printed.</summary>
internal sealed class Reporter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly TextWriter _out;

    public Reporter(TextWriter output, bool json)
    {
        _out = output;
        Json = json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
    }

    public bool Json { get; }

    public IAnsiConsole Console { get; }

    /// <summary>Progress lines go to the console in human mode only.</summary>
    public void Progress(string line)
    {
        if (!Json)
            Console.MarkupLine($"[grey]·[/] {Markup.Escape(line)}");
    }

    public void Prompt(string line)
    {
        if (!Json)
            Console.MarkupLine($"[yellow]{Markup.Escape(line)}[/]");
    }

    public void Object(object value)
    {
        _out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        _out.Flush();
    }

    /// <param name="status">Overrides the printed status (batch: "skipped" for a card it burned before).</param>
    public int Outcome(string command, ProvisionOutcome outcome, string? status = null)
    {
        if (Json)
        {
            Object(new
            {
                command,
                status = status ?? outcome.Status.ToString().ToLowerInvariant(),
                uid = outcome.Uid,
                message = outcome.Message,
                resumed = outcome.Resumed,
                steps = outcome.Steps,
                tap = outcome.Tap is { } t ? new { url = t.Url, verified = t.Verified, counter = t.Counter } : null,
            });
        }
        else
        {
            var color = status is not null ? "grey" : outcome.Status switch
            {
                ProvisionStatus.Done => "green",
                ProvisionStatus.DryRun => "blue",
                ProvisionStatus.Interrupted => "yellow",
                _ => "red",
            };
            Console.MarkupLine($"[{color}]{Markup.Escape(status ?? outcome.Status.ToString())}[/] {Markup.Escape(outcome.Uid ?? "")}: {Markup.Escape(outcome.Message)}");
        }
        return ExitCode(outcome.Status);
    }

    public static int ExitCode(ProvisionStatus status) => status switch
    {
        ProvisionStatus.Done or ProvisionStatus.DryRun => 0,
        ProvisionStatus.Interrupted => 3,
        _ => 1,
    };
}
