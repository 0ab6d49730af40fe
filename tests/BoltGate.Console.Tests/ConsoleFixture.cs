using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BoltGate.Console.Tests;

/// <summary>
/// One real gateway process (simulated node, SQLite) and one headless Debian Chromium for the browser
/// tests. The first administrator is made through the set-up page (with the admin key), the others with
/// the <c>users add</c> command, as an operator would. Nothing here skips: a missing chromium, zbarimg
/// or axe-core fails the tests with the script that installs it.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string AdminName = "ada";
    public const string AdminPassword = "correct horse battery";
    public const string ViewerName = "vera";
    public const string ViewerPassword = "viewer password 1";
    public const string OperatorName = "olga";
    public const string OperatorPassword = "operator password 1";

    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string AxeSource { get; private set; } = "";

    public static string Chromium => Environment.GetEnvironmentVariable("BOLTGATE_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";

    /// <summary>Where screenshots go: TestResults/screenshots beside the test assembly, and docs/screenshots when BOLTGATE_SCREENSHOTS_TO_DOCS=1.</summary>
    public static string ArtifactDir { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: run `source scripts/deps/browser.sh` (scripts/test.sh does).");
        var axe = Path.Combine(SharedFiles.RepoRoot, "tests", "console", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
            throw new InvalidOperationException($"{axe} is missing: run `source scripts/deps/browser.sh` (npm ci in tests/console).");
        AxeSource = await File.ReadAllTextAsync(axe);
        Directory.CreateDirectory(ArtifactDir);

        // Webhooks:AllowPrivateAddresses: the webhook test's receiver listens on 127.0.0.1.
        Server = await ServerProcess.StartHealthyAsync("--Gateway:AllowInsecurePublicUrl=true", "--Console:SignInsPerMinute=100",
            "--Webhooks:AllowPrivateAddresses=true");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
        await SetUpFirstAdministratorAsync();
        await AddUserAsync(ViewerName, "viewer", ViewerPassword);
        await AddUserAsync(OperatorName, "operator", OperatorPassword);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        Server?.Dispose();
    }

    /// <summary>A fresh browser context (own cookies), with axe-core injected into every document and CSP reports collected.</summary>
    public async Task<ConsoleBrowser> NewBrowserAsync(string? timezone = "America/New_York")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.Url,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            TimezoneId = timezone,
            Locale = "en-US",
        });
        // Init scripts run through the DevTools protocol, so the pages' CSP (no inline script) does not block axe.
        await context.AddInitScriptAsync(AxeSource);
        return new ConsoleBrowser(context, await context.NewPageAsync());
    }

    public async Task<ConsoleBrowser> SignedInAsync(string name, string password)
    {
        var browser = await NewBrowserAsync();
        await browser.SignInAsync(name, password);
        return browser;
    }

    /// <summary>`dotnet BoltGate.Server.dll users add --name N --role R` with the password on stdin, in the server's directory.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> RunUsersAddAsync(string name, string role, string password)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Server.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ServerProcess.ServerDll, "users", "add", "--name", name, "--role", role })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private async Task AddUserAsync(string name, string role, string password)
    {
        var (exit, stdout, stderr) = await RunUsersAddAsync(name, role, password);
        if (exit != 0)
            throw new InvalidOperationException($"users add {name} exited {exit}: {stdout} {stderr}");
    }

    private async Task SetUpFirstAdministratorAsync()
    {
        await using var b = await NewBrowserAsync();
        await b.Page.GotoAsync("/console");
        await Assertions.Expect(b.Page.GetByText("No operator account exists yet")).ToBeVisibleAsync();
        await b.Page.GetByRole(AriaRole.Link, new() { Name = "Create the first one with the admin key" }).ClickAsync();
        await b.Page.GetByLabel("Admin API key").FillAsync("not-the-admin-key-at-all");
        await b.Page.GetByLabel("User name").FillAsync(AdminName);
        await b.Page.GetByLabel("Password").FillAsync(AdminPassword);
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not this gateway's admin key");
        await b.AuditAsync("setup");
        await b.Page.GetByLabel("Admin API key").FillAsync(Server.AdminKey);
        await b.Page.GetByLabel("User name").FillAsync(AdminName);
        await b.Page.GetByLabel("Password").FillAsync(AdminPassword);
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Administrator created");
        await b.AuditAsync("login");
    }

    // ---- the simulated node, driven through the gateway's own routes -----------------------------------------

    /// <summary>The next tap's URL of a card (dev route, admin key).</summary>
    public async Task<string> NextTapUrlAsync(string cardId)
    {
        using var http = Server.RawAdminClient();
        var response = await http.PostAsync($"/api/v1/dev/cards/{cardId}/tap", null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("url").GetString()!;
    }

    /// <summary>Pays <paramref name="bolt11"/> with a tap of the card, as a POS does: GET the tap URL, then the callback.</summary>
    public async Task<JsonElement> PayWithTapAsync(string cardId, string bolt11)
    {
        using var http = new HttpClient();
        var offer = await http.GetFromJsonAsync<JsonElement>(await NextTapUrlAsync(cardId));
        Assert.True(offer.TryGetProperty("k1", out var k1), offer.ToString());
        var callback = offer.GetProperty("callback").GetString()!;
        return await http.GetFromJsonAsync<JsonElement>(
            $"{callback}?k1={k1.GetString()}&pr={Uri.EscapeDataString(bolt11)}");
    }

    /// <summary>An invoice from a throwaway payee the simulated node pays (dev route).</summary>
    public async Task<string> DevInvoiceAsync(long amountSat)
    {
        using var http = Server.RawAdminClient();
        var response = await http.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bolt11").GetString()!;
    }

    public async Task<long> BalanceMsatAsync(string cardId)
    {
        using var http = Server.RawAdminClient();
        return (await http.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{cardId}")).GetProperty("balanceMsat").GetInt64();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
