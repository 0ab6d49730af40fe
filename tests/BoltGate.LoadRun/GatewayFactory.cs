using BoltGate.Lightning;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.LoadRun;

/// <summary>The gateway in process (its real pipeline, storage and engine) over the given node.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly ILightningNode node;

    public GatewayFactory(IReadOnlyDictionary<string, string?> settings, ILightningNode node)
    {
        this.settings = settings;
        this.node = node;
        // Outside a test project there is no MvcTestingAppManifest.json; the gateway needs no content files.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOLTGATE_SERVER", AppContext.BaseDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton(node));
    }
}
