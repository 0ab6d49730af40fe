namespace BoltGate.Server.Web;

/// <summary>
/// <c>BoltGate.Server users add --name NAME --role admin|operator|viewer</c>: adds a console account
/// with the password read from standard input (one line), against the configured database, and exits.
/// The remaining arguments (<c>--Storage:Provider=...</c>) configure the gateway as for a normal start.
/// </summary>
public sealed record UsersCommand(string Name, string Role)
{
    public const string Usage = "usage: BoltGate.Server users add --name NAME --role admin|operator|viewer  (password on stdin)";

    /// <summary>Null when the arguments are no users command; <paramref name="rest"/> is what the host gets.</summary>
    public static UsersCommand? TryParse(string[] args, out string[] rest, out string? problem)
    {
        rest = args;
        problem = null;
        if (args.Length == 0 || args[0] != "users")
            return null;
        if (args.Length < 2 || args[1] != "add")
        {
            problem = Usage;
            return null;
        }
        string? name = null, role = null;
        var others = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--name" && i + 1 < args.Length)
                name = args[++i];
            else if (args[i] == "--role" && i + 1 < args.Length)
                role = args[++i];
            else
                others.Add(args[i]);
        }
        rest = [.. others];
        if (name is null || !ConsoleRoles.IsKnown(role))
        {
            problem = Usage;
            return null;
        }
        return new UsersCommand(name, role!);
    }

    public async Task<int> RunAsync(IServiceProvider services, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var password = (await stdin.ReadLineAsync().ConfigureAwait(false))?.TrimEnd('\r');
        var problem = await services.GetRequiredService<ConsoleUsers>().CreateAsync(Name, password, Role, CancellationToken.None)
            .ConfigureAwait(false);
        if (problem is not null)
        {
            await stderr.WriteLineAsync(problem).ConfigureAwait(false);
            return 1;
        }
        await stdout.WriteLineAsync($"User {Name.Trim()} added as {Role}; sign in at /console.").ConfigureAwait(false);
        return 0;
    }
}
