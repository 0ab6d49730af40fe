using BoltGate.ParserFuzz;

namespace BoltGate.Lightning.Tests;

/// <summary>
/// Replays every file of tests/BoltGate.ParserFuzz/corpus (the seeds from the shared vectors and
/// recorded node answers, plus every input AFL found a crash with, kept as finding-*) through every
/// fuzz target's rule, uninstrumented and without AFL: the findings stay fixed in CI in seconds.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class ParserCorpusReplayTests
{
    private static readonly string CorpusDir = Path.Combine(SharedFiles.RepoRoot, "tests", "BoltGate.ParserFuzz", "corpus");

    [Fact]
    public void Every_target_has_a_seeded_corpus_and_every_corpus_a_target()
    {
        var folders = Directory.GetDirectories(CorpusDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
        foreach (var target in FuzzTargets.All)
            Assert.True(Directory.GetFiles(Path.Combine(CorpusDir, target.Name)).Length >= 5, $"corpus/{target.Name} holds fewer than 5 seeds");
    }

    [Fact]
    public void Every_corpus_file_passes_every_targets_rule()
    {
        var files = Directory.GetFiles(CorpusDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 100, $"only {files.Count} corpus files under {CorpusDir}");
        var findings = new List<string>();
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            foreach (var target in FuzzTargets.All)
            {
                try
                {
                    target.Check(input);
                }
                catch (Exception ex)
                {
                    findings.Add($"{target.Name} <- {Path.GetRelativePath(CorpusDir, file)}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }
}
