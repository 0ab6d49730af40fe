using System.Text.Json;
using Microsoft.Playwright;

namespace BoltGate.Console.Tests;

/// <summary>A browser context and its page, with the checks every page gets: axe-core (no serious or critical violation), no CSP violation, a screenshot.</summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly List<string> _cspViolations = [];

    public ConsoleBrowser(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (_cspViolations)
                    _cspViolations.Add(message.Text);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public async Task SignInAsync(string name, string password)
    {
        await Page.GotoAsync("/console/login");
        await Page.GetByLabel("User name").FillAsync(name);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }

    /// <summary>axe-core on the page as it stands; fails on serious/critical violations and on any CSP report; saves a screenshot.</summary>
    public async Task AuditAsync(string name)
    {
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var violations = await Page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)");
        await ScreenshotAsync(name);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"axe-core on {name} ({Page.Url}):\n{string.Join("\n", found)}");
        lock (_cspViolations)
            Assert.True(_cspViolations.Count == 0, $"CSP violations on {name}:\n{string.Join("\n", _cspViolations)}");
    }

    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(ConsoleFixture.ArtifactDir, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("BOLTGATE_SCREENSHOTS_TO_DOCS") == "1")
        {
            var docs = Path.Combine(SharedFiles.RepoRoot, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
