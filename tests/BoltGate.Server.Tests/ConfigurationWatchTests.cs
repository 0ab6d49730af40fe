using BoltGate.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Server.Tests;

/// <summary>The data directory sits under the content root by default: no file watcher may wake on its writes.</summary>
[Trait("Category", "Contract")]
public sealed class ConfigurationWatchTests
{
    [Fact]
    public async Task File_configuration_is_read_once_and_never_watched()
    {
        await using var host = await GatewayHost.StartAsync(StorageProvider.Sqlite);
        var root = Assert.IsAssignableFrom<IConfigurationRoot>(host.Services.GetRequiredService<IConfiguration>());

        var files = root.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files); // appsettings.json and appsettings.{Environment}.json, present or not
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path + " reloads on change"));
    }
}
