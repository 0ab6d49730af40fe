using BoltGate.Lightning;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Testing;

/// <summary>
/// The gateway in process (its real pipeline, storage and engine) with the given settings over the
/// given node (or, without one, the node its connection string names), and optionally a test clock. The one <see cref="WebApplicationFactory{TEntryPoint}"/>
/// of the tests: <see cref="GatewayHost"/> builds on it, the load runner uses it as it is.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ILightningNode? _node;
    private readonly TimeProvider? _time;

    public GatewayFactory(IReadOnlyDictionary<string, string?> settings, ILightningNode? node, TimeProvider? time = null)
    {
        _settings = settings;
        _node = node;
        _time = time;
    }

    /// <summary>
    /// For a program that is not a test project (the load runner): there the factory finds no content
    /// root for the gateway, and the gateway needs no content files, so its own output folder serves.
    /// </summary>
    public static void UseOutputFolderAsContentRoot() =>
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BOLTGATE_SERVER", AppContext.BaseDirectory);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (_time is not null)
                services.AddSingleton(_time);
            if (_node is not null)
                services.AddSingleton(_node);
        });
    }
}
