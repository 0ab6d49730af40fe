// Placeholder host until the gateway issue lands: it serves /healthz so the README's run command works.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:5000");
var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.Logger.LogWarning("BoltGate: no gateway endpoints yet (only /healthz); they arrive with the gateway issue.");
app.Run();

public partial class Program;
