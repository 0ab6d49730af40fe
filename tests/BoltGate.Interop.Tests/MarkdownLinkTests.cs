using System.Text.RegularExpressions;

namespace BoltGate.Interop.Tests;

/// <summary>
/// Every relative link in every Markdown file of the repository points at a file or folder that exists
/// (anchors are not checked; http(s) and mailto links are left alone: CI has no internet).
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed partial class MarkdownLinkTests
{
    private static readonly string[] Skipped = ["node_modules", "bin", "obj", ".git", "TestResults", "BenchmarkDotNet.Artifacts", "artifacts"];

    public static IEnumerable<string> MarkdownFiles() =>
        Directory.EnumerateFiles(SharedFiles.RepoRoot, "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(SharedFiles.RepoRoot, f).Split(Path.DirectorySeparatorChar).Any(Skipped.Contains))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void Every_relative_link_in_the_docs_resolves()
    {
        var files = MarkdownFiles().ToList();
        Assert.Contains(files, f => f.EndsWith("README.md", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("docs", "api.md"), StringComparison.Ordinal));
        var broken = new List<string>();
        foreach (var file in files)
        {
            foreach (var target in Links(File.ReadAllText(file)))
            {
                var path = Uri.UnescapeDataString(target.Split('#')[0]);
                if (path.Length == 0)
                    continue;
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    broken.Add($"{Path.GetRelativePath(SharedFiles.RepoRoot, file)}: ({target})");
            }
        }
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_link_reader_finds_relative_links_and_leaves_urls_alone()
    {
        var links = Links("See [api](docs/api.md#errors), [site](https://x.example), ![img](a.png), [mail](mailto:a@b), `[x](in-code.md)`, [top](#top).").ToList();
        Assert.Equal(["docs/api.md#errors", "a.png", "#top"], links);
    }

    /// <summary>Link targets outside code spans and fenced blocks, without scheme-qualified URLs.</summary>
    public static IEnumerable<string> Links(string markdown)
    {
        var text = InlineCode().Replace(Fence().Replace(markdown, ""), "");
        foreach (Match m in Link().Matches(text))
        {
            var target = m.Groups[1].Value.Trim();
            if (Scheme().IsMatch(target))
                continue;
            yield return target;
        }
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();
}
