using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace BoltGate.Demo.Tests;

/// <summary>
/// docker/Dockerfile without Docker: its shape (pinned bases, non-root, /data volume, HEALTHCHECK on
/// /healthz), then its build stage run for real — the same COPY set into an empty directory (so a
/// project the image forgets to copy fails here) and the same <c>dotnet publish</c> commands — and the
/// published gateway started as the image starts it, answering the health check.
/// </summary>
[Collection(DemoCollection.Name)]
[Trait(Category.Name, Category.Process)]
public sealed partial class DockerfileTests
{
    private static readonly string DockerfilePath = Path.Combine(SharedFiles.RepoRoot, "docker", "Dockerfile");

    [Fact]
    public void The_image_is_pinned_non_root_keeps_data_in_a_volume_and_checks_its_health()
    {
        var text = File.ReadAllText(DockerfilePath);
        var args = ArgLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var froms = FromLine().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(froms, f => f.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal));
        Assert.Contains(froms, f => f.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal));
        foreach (var from in froms.Where(f => f.Contains(':', StringComparison.Ordinal)))
        {
            var tag = from[(from.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var version = tag.StartsWith("${", StringComparison.Ordinal) ? args[tag[2..^1]] : tag;
            Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        }
        var runtime = text[text.IndexOf("AS boltgate", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^USER app$", runtime);
        Assert.Contains("VOLUME [\"/data\"]", runtime, StringComparison.Ordinal);
        Assert.Contains("BOLTGATE__DataDir=/data", runtime, StringComparison.Ordinal);
        Assert.Matches(@"HEALTHCHECK[^\n]*\\\n\s*CMD \[""curl"", ""-fsS"", ""-o"", ""/dev/null"", ""http://127.0.0.1:5000/healthz""\]", runtime);
    }

    [Fact]
    public async Task The_publish_step_runs_outside_docker_and_the_published_gateway_is_healthy()
    {
        var dotnet = Tool.Require("dotnet", "run the Dockerfile's publish step");
        var text = File.ReadAllText(DockerfilePath);
        var build = text[text.IndexOf("AS build", StringComparison.Ordinal)..text.IndexOf("FROM curlimages", StringComparison.Ordinal)];
        Assert.Contains("WORKDIR /src", build, StringComparison.Ordinal);
        var context = Directory.CreateTempSubdirectory("boltgate-docker-context-").FullName;
        try
        {
            // The COPY lines, as Docker would run them from the repository root (honouring .dockerignore's bin/obj).
            var copies = CopyLine().Matches(build).Select(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.NotEmpty(copies);
            foreach (var parts in copies)
            {
                var destination = Path.Combine(context, parts[^1].TrimStart('.', '/'));
                foreach (var source in parts[..^1])
                    Copy(Path.Combine(SharedFiles.RepoRoot, source.TrimEnd('/')), source.EndsWith('/') ? destination : Path.Combine(destination, source));
            }

            var publishes = PublishLine().Matches(build).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(2, publishes.Count);
            var output = Path.Combine(context, "out");
            foreach (var line in publishes)
            {
                var args = line.Replace("/out/", output + "/", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var run = await Tool.RunAsync(dotnet, args, TimeSpan.FromMinutes(8), context,
                    new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
                Assert.True(run.ExitCode == 0, $"dotnet {line}\n{run.Output}");
            }
            var serverDll = Path.Combine(output, "server", "BoltGate.Server.dll");
            Assert.True(File.Exists(serverDll), "the publish step made no BoltGate.Server.dll");
            Assert.True(File.Exists(Path.Combine(output, "pos", "boltgate-pos.dll")), "the publish step made no boltgate-pos.dll");

            // Start it as the image's ENTRYPOINT does, with the image's environment, and ask /healthz like its HEALTHCHECK.
            var port = FreePort();
            var data = Directory.CreateDirectory(Path.Combine(context, "data")).FullName;
            using var stop = new CancellationTokenSource();
            var gateway = Tool.RunAsync(dotnet, [serverDll], TimeSpan.FromMinutes(2), context, new Dictionary<string, string>
            {
                ["BOLTGATE__DataDir"] = data,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            }, stop.Token);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var healthy = false;
            for (var i = 0; i < 150 && !healthy && !gateway.IsCompleted; i++)
            {
                try
                {
                    healthy = await http.GetStringAsync($"http://127.0.0.1:{port}/healthz") == "ok";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(200);
                }
            }
            await stop.CancelAsync();
            var result = await gateway;
            Assert.True(healthy, $"the published gateway never answered /healthz ok\n{result.Output}");
            Assert.True(File.Exists(Path.Combine(data, "admin.key")), "the published gateway wrote no admin.key under its DataDir");
        }
        finally
        {
            try
            {
                Directory.Delete(context, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Copy(string source, string destination)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination, overwrite: true);
            return;
        }
        Assert.True(Directory.Exists(source), $"COPY source {source} does not exist");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                continue;
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^ARG (\w+)=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"^FROM (\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"^RUN dotnet (publish .+)$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}
