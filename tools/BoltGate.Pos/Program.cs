namespace BoltGate.Pos;

/// <summary><c>boltgate-pos</c>: parses the command line, runs one sale, prints it (text or <c>--json</c>), exits with its code.</summary>
internal static class PosProgram
{
    public static async Task<int> Main(string[] args)
    {
        PosArguments options;
        try
        {
            options = PosArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("boltgate-pos: " + e.Message);
            Console.Error.WriteLine("Run boltgate-pos --help for the options.");
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(PosArguments.Usage);
            return 0;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var result = await PosCommand.RunAsync(options, TimeProvider.System, cancel.Token).ConfigureAwait(false);
        if (result is null)
            return 2;
        Console.WriteLine(options.Json ? result.ToJson() : result.ToText());
        return result.ExitCode;
    }
}
