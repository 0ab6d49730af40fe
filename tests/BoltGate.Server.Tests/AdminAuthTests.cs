using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Server.Auth;
using BoltGate.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Server.Tests;

/// <summary>Who may call the admin API: the bearer key, its scopes, and what a caller without them is told.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class AdminAuthTests : GatewaySuite
{
    private const string ReaderKey = "test-reader-key-0123456789abcdef";
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    [Fact]
    public async Task Without_a_known_key_the_answer_is_401_with_the_bearer_challenge_and_a_problem_body()
    {
        using var anonymous = Host.CreateClient();
        foreach (var authorization in new string?[] { null, "Bearer " + GatewayHost.AdminKey + "x", "Basic " + GatewayHost.AdminKey, "Bearer" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cards/abc");
            if (authorization is not null)
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal((401, "UNAUTHORIZED"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("code").GetString()));
            Assert.Equal("Send Authorization: Bearer <api key>.", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("not json at all")]
    [InlineData(null)]
    public async Task Without_a_key_a_malformed_or_huge_body_is_never_read_the_answer_is_401(string? body)
    {
        using var anonymous = Host.CreateClient();
        var content = body ?? "{\"name\":\"" + new string('x', 4 * 1024 * 1024) + "\"";
        using var response = await anonymous.PostAsync("/api/v1/cards", new StringContent(content, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // No Content-Type at all: the body binder would answer 415; authentication comes first.
        using var untyped = await anonymous.PostAsync("/api/v1/cards/abc/credit", new ByteArrayContent(Encoding.UTF8.GetBytes(content)));
        Assert.Equal(HttpStatusCode.Unauthorized, untyped.StatusCode);
    }

    [Fact]
    public async Task The_admin_key_may_call_every_scope()
    {
        using var admin = Host.Admin();
        var created = await admin.CreateCardAsync(new CreateCardRequest("all scopes", "04112233445566"), default); // cards:write
        Assert.Equal(1_000, (await admin.CreditAsync(created.Id, 1, null, default)).BalanceMsat); // funds:write
        Assert.Equal(1_000, (await admin.GetCardAsync(created.Id, default)).BalanceMsat); // cards:read
    }

    [Fact]
    public async Task A_key_without_the_routes_scope_gets_403_problem_details_and_changes_nothing()
    {
        await using var gateway = Host.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IApiKeys>(sp => new ReaderAndAdmin(new BootstrapApiKey(sp.GetRequiredService<Secrets.GatewaySecrets>())))));
        var card = await Host.CreateCardAsync(balanceSat: 0);
        using var readerHttp = gateway.CreateClient();
        using var reader = new BoltGateClient(readerHttp, ReaderKey);

        Assert.Equal(card.Id, (await reader.GetCardAsync(card.Id, default)).Id);
        var refused = await Assert.ThrowsAsync<BoltGateApiException>(() => reader.CreditAsync(card.Id, 5, null, default));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (refused.Status, refused.Code));
        Assert.Contains(Scopes.FundsWrite, refused.Message, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cards")
        {
            Content = new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReaderKey);
        using var response = await readerHttp.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Contains(Scopes.CardsWrite, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(response.Headers.WwwAuthenticate);

        Assert.Equal(0, await Host.BalanceMsatAsync(card.Id));
        using var admin = new BoltGateClient(gateway.CreateClient(), GatewayHost.AdminKey, ownsHttp: true);
        Assert.Equal(5_000, (await admin.CreditAsync(card.Id, 5, null, default)).BalanceMsat);
    }

    /// <summary>The bootstrap key, plus a key that may only read (as the stored keys of the next issue will be).</summary>
    private sealed class ReaderAndAdmin(IApiKeys bootstrap) : IApiKeys
    {
        public ValueTask<ApiKeyGrant?> FindAsync(string presented, CancellationToken ct) => presented == ReaderKey
            ? ValueTask.FromResult<ApiKeyGrant?>(new ApiKeyGrant("reader", [Scopes.CardsRead]))
            : bootstrap.FindAsync(presented, ct);
    }
}
