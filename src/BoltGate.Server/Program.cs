using BoltGate.Server.Admin;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Configuration;
using BoltGate.Server.Dev;
using BoltGate.Server.Hardening;
using BoltGate.Server.Hosting;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Metrics;
using BoltGate.Server.Programming;
using BoltGate.Server.Secrets;
using BoltGate.Server.Topups;
using BoltGate.Server.Web;
using BoltGate.Server.Webhooks;
using BoltGate.Storage;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

// BoltGate: with no configuration it serves http://127.0.0.1:5000 with SQLite and the simulated node
// under ./data. Configuration: appsettings.json, BOLTGATE__Section__Key environment variables, --Key=value.
var usersCommand = UsersCommand.TryParse(args, out args, out var usageProblem);
if (usageProblem is not null)
{
    Console.Error.WriteLine(usageProblem);
    return 2;
}
// Configuration is read once at start: the default DataDir (./data, where SQLite writes its WAL) sits under
// the content root, and reloading file sources would wake a file watcher on every database write.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
// Lowest-precedence defaults. ASP.NET's request log lines carry whole URLs — tap p/c and one-time
// card-programming codes — so they stay off unless an operator turns them on.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
});
builder.Configuration.AddEnvironmentVariables("BOLTGATE__");
builder.Configuration.AddCommandLine(args);
if (BackupCommand.Is(args))
    return BackupCommand.Run(builder.Configuration, args, Console.Out, Console.Error);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5000");
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = HardeningSetup.MaxBodyBytes; // routes that need more say so (IRequestSizeLimitMetadata)
});
builder.Services.AddGateway(builder.Configuration);
builder.Services.AddCards().AddProgramming().AddGatewayAuth().AddGatewayOpenApi();
builder.Services.AddConsole(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration).AddTopups();
builder.Services.AddHardening(builder.Configuration);

var app = builder.Build();
try
{
    // Validate the configuration, create or read the secrets and migrate the database before serving.
    app.Services.GetRequiredService<GatewaySecrets>();
    app.Services.GetRequiredService<BoltGateStore>();
    app.Services.GetRequiredService<PaymentMetricsExport>();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("BoltGate cannot start; fix the configuration:");
    foreach (var failure in e.Failures)
        Console.Error.WriteLine("  - " + failure);
    return 2;
}

if (usersCommand is not null)
    return await usersCommand.RunAsync(app.Services, Console.In, Console.Out, Console.Error);

app.UseGatewayErrors();
app.UseRouting();
app.UseHardeningHeaders();
app.UseConsoleHeaders();
// Who calls and whether they may, before any request body is read (routes name their scope).
app.UseAuthentication();
app.UseAuthorization();
app.UseHardeningBodies();
app.MapLnurl();
app.MapAdmin();
app.MapOperator();
app.MapPaymentAdmin();
app.MapProgrammingAdmin();
app.MapProgramming();
app.MapDev();
app.MapGatewayOpenApi();
app.MapConsole();
app.MapWebhooks();
app.MapTopups();
app.MapHealth();
app.MapGatewayMetrics();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var options = app.Services.GetRequiredService<GatewayOptions>();
    if (string.IsNullOrWhiteSpace(options.Gateway.PublicUrl))
        StartupLog.NoPublicUrl(app.Logger);
    var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5000";
    var keyHint = string.IsNullOrEmpty(options.Admin.ApiKey)
        ? $"$(cat {Path.Combine(Path.GetFullPath(options.DataDir), SecretFiles.AdminKeyFile)})"
        : "$BOLTGATE_ADMIN_KEY";
    StartupLog.Ready(app.Logger, url, options.Storage.Provider, options.Lightning.ConnectionString.Split(';')[0],
        $"curl -s -X POST {url}/api/v1/cards -H \"Authorization: Bearer {keyHint}\" -H 'Content-Type: application/json' " +
        "-d '{\"name\":\"my card\",\"uid\":\"04a39493cc8680\"}'");
});

app.Run();
return 0;

public partial class Program;
