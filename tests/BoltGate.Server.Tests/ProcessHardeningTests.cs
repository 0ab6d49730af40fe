namespace BoltGate.Server.Tests;

/// <summary>What only the real process (Kestrel, its start-up log) shows: no Server header, the PublicUrl warning, Kestrel's body limit.</summary>
[Trait(Category.Name, Category.Process)]
public sealed class ProcessHardeningTests
{
    [Fact(Timeout = 120_000)]
    public async Task Kestrel_sends_no_server_header_and_start_up_warns_when_the_public_url_is_unset()
    {
        using var server = await ServerProcess.StartHealthyAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var health = await http.GetAsync("/healthz");
        Assert.False(health.Headers.Contains("Server"), string.Join(",", health.Headers.Select(h => h.Key)));
        Assert.Equal("nosniff", health.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(health.Headers.Contains("Strict-Transport-Security")); // plain http and no https PublicUrl
        Assert.Contains("Gateway:PublicUrl is not set", server.Stdout + server.Stderr, StringComparison.Ordinal);

        // A chunked body (no Content-Length) above the limit is cut off by Kestrel, answered 413 in the admin form.
        using var admin = server.RawAdminClient();
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 40_000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cards") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await admin.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("BODY_TOO_LARGE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_an_https_public_url_the_start_up_does_not_warn_and_answers_carry_hsts()
    {
        using var server = await ServerProcess.StartHealthyAsync("--Gateway:PublicUrl=https://pay.example.test");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var health = await http.GetAsync("/healthz");
        Assert.StartsWith("max-age=", health.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway:PublicUrl is not set", server.Stdout + server.Stderr, StringComparison.Ordinal);
    }
}
