using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BoltGate.Testing;

/// <summary>
/// The built BoltGate.Server.dll run as the README runs it (<c>dotnet BoltGate.Server.dll</c>) in a
/// temporary working directory, with no BOLTGATE__/ASPNETCORE_ environment, on a free loopback port.
/// Shared by every test project that needs the real gateway (the server's own tests, the NFC tool's
/// end-to-end test); it only locates the built dll, so a project using it must make sure the server
/// is built first (a ProjectReference with ReferenceOutputAssembly=false does that).
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private TempDir? _ownWorkingDirectory;

    private ServerProcess(Process process, string url, string workingDirectory)
    {
        _process = process;
        Url = url;
        WorkingDirectory = workingDirectory;
    }

    public string Url { get; }

    public string WorkingDirectory { get; }

    /// <summary>A secret the zero-configuration start wrote under <c>data/</c> (admin.key, issuer.key, data.key), trimmed.</summary>
    public string ReadDataFile(string fileName) => File.ReadAllText(Path.Combine(WorkingDirectory, "data", fileName)).Trim();

    /// <summary>The admin key the zero-configuration start generated.</summary>
    public string AdminKey => ReadDataFile("admin.key");

    /// <summary>A client for the admin API (<c>/api/v1</c>) with this server's generated admin key.</summary>
    public BoltGate.Client.BoltGateClient AdminClient() => AdminClient(AdminKey);

    /// <summary>A client for the admin API with the given key (one set by <c>--Admin:ApiKey</c>).</summary>
    public BoltGate.Client.BoltGateClient AdminClient(string apiKey) => new(new Uri(Url), apiKey);

    /// <summary>A raw HttpClient with the admin key, for routes the typed client does not cover (the dev routes) and wire checks.</summary>
    public HttpClient RawAdminClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's process id (its RSS is in /proc/&lt;id&gt;/status).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Stops the server at once (SIGKILL) and keeps its working directory, so a test can read what it left.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public int ExitCode => _process.ExitCode;

    public static string ServerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(SharedFiles.RepoRoot, "src", "BoltGate.Server", "bin", configuration, "net10.0", "BoltGate.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/BoltGate.Server first.", dll);
        }
    }

    public static ServerProcess Start(string workingDirectory, params string[] extraArgs)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServerDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        foreach (var arg in extraArgs)
            info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("BOLTGATE__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        }
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, url, workingDirectory);
        process.OutputDataReceived += (_, e) => { lock (server._stdout) server._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._stderr) server._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server in a working directory of its own (deleted on dispose) and waits until it is healthy.</summary>
    public static async Task<ServerProcess> StartHealthyAsync(params string[] extraArgs)
    {
        var directory = new TempDir("boltgate-server-");
        var server = Start(directory.Path, extraArgs);
        server._ownWorkingDirectory = directory;
        try
        {
            await server.WaitHealthyAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Polls /healthz until it answers "ok" (fails the test after 60 s or if the process dies).</summary>
    public async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}.\n{Stdout}\n{Stderr}");
            try
            {
                var response = await http.GetAsync(Url + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "ok")
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server did not become healthy.\n{Stdout}\n{Stderr}");
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _ownWorkingDirectory?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
