using BoltGate.ParserFuzz;
using SharpFuzz;

// Usage:
//   BoltGate.ParserFuzz <target>                  under afl-fuzz (persistent mode), or once on stdin without it
//   BoltGate.ParserFuzz <target> --out-of-process the same, each input in a child process (survives stack overflow)
//   BoltGate.ParserFuzz <target> <file>...        replay files (triage): prints each outcome, exit 1 on a finding
//   BoltGate.ParserFuzz --list                    the targets
if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    foreach (var t in FuzzTargets.All)
        Console.WriteLine($"{t.Name,-20} {t.Covers}");
    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"Unknown target '{args[0]}'; --list shows them.");
    return 2;
}

var files = args.Skip(1).Where(a => a != "--out-of-process").ToList();
if (files.Count > 0)
{
    var findings = 0;
    foreach (var file in files)
    {
        try
        {
            target.Check(File.ReadAllBytes(file));
            Console.WriteLine($"ok      {file}");
        }
        catch (Exception ex)
        {
            findings++;
            Console.WriteLine($"FINDING {file}: {ex.GetType().Name}: {ex.Message}");
            Console.WriteLine(ex.StackTrace);
        }
    }
    return findings == 0 ? 0 : 1;
}

void Once(Stream stream)
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Check(buffer.ToArray());
}

if (args.Contains("--out-of-process"))
    Fuzzer.OutOfProcess.Run(Once);
else
    Fuzzer.Run(Once);
return 0;
