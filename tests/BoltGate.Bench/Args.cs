using System.Globalization;

namespace BoltGate.Bench;

/// <summary>"--name value" pairs; a missing required one stops the run with its name.</summary>
internal sealed class Args(string[] args)
{
    public string Get(string name, string? fallback = null)
    {
        var i = Array.IndexOf(args, "--" + name);
        if (i >= 0 && i + 1 < args.Length)
            return args[i + 1];
        return fallback ?? throw new ArgumentException($"--{name} is required.");
    }

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
