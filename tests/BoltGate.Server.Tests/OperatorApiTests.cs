using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Server.Auth;
using BoltGate.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Server.Tests;

/// <summary>
/// The operator's API (issue 12): stored API keys and their scopes, the card listing and detail, PATCH,
/// money under an Idempotency-Key, paged ledger, the withdrawal listing and timeline, stats, and problem
/// details for every refusal. Every test runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class OperatorApiTests : GatewaySuite
{
    [Fact]
    public async Task A_stored_key_works_with_its_scopes_only_is_listed_without_the_key_and_stops_working_when_revoked()
    {
        using var admin = Host.Admin();
        var card = await Host.CreateCardAsync(balanceSat: 10);
        var created = await admin.CreateApiKeyAsync("pos reader", [Scopes.CardsRead], default);
        Assert.StartsWith("bg_", created.Key, StringComparison.Ordinal);
        Assert.Equal(["cards:read"], created.ApiKey.Scopes);

        using var reader = Host.AdminWith(created.Key);
        Assert.Equal(card.Id, (await reader.GetCardDetailAsync(card.Id, default)).Id);
        var refused = await Assert.ThrowsAsync<BoltGateApiException>(() => reader.CreditAsync(card.Id, 5, null, default));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (refused.Status, refused.Code));
        var notAdmin = await Assert.ThrowsAsync<BoltGateApiException>(() => reader.ListApiKeysAsync(default));
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.Status);

        var listed = Assert.Single(await admin.ListApiKeysAsync(default));
        Assert.Equal(("pos reader", created.ApiKey.Id), (listed.Name, listed.Id));
        Assert.NotNull(listed.LastUsedAt);
        Assert.DoesNotContain(created.Key, await (await Host.RawAdmin().GetAsync("/api/v1/keys")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var revoked = await admin.RevokeApiKeyAsync(created.ApiKey.Id, default);
        Assert.NotNull(revoked.RevokedAt);
        var gone = await Assert.ThrowsAsync<BoltGateApiException>(() => reader.GetCardDetailAsync(card.Id, default));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHORIZED"), (gone.Status, gone.Code));
        var unknown = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.RevokeApiKeyAsync("nope", default));
        Assert.Equal((HttpStatusCode.NotFound, "API_KEY_NOT_FOUND"), (unknown.Status, unknown.Code));
    }

    [Theory]
    [InlineData("""{"name":"x","scopes":["everything"]}""")]
    [InlineData("""{"name":"x","scopes":[]}""")]
    [InlineData("""{"name":"","scopes":["admin"]}""")]
    [InlineData("""{"name":"x","scopes":"admin"}""")]
    [InlineData("""not json""")]
    public async Task A_key_request_that_makes_no_sense_is_a_400_problem(string body)
    {
        using var raw = Host.RawAdmin();
        using var response = await raw.PostAsync("/api/v1/keys", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task The_same_Idempotency_Key_credits_once_answers_the_first_answer_and_refuses_another_request()
    {
        using var admin = Host.Admin();
        var card = await Host.CreateCardAsync(balanceSat: 0);
        var first = await admin.CreditAsync(card.Id, 7, "refill", default, idempotencyKey: "refill-1");
        await admin.CreditAsync(card.Id, 1, null, default); // the balance moves on in between
        var again = await admin.CreditAsync(card.Id, 7, "refill", default, idempotencyKey: "refill-1");
        Assert.Equal(first, again);
        Assert.Equal(7_000, again.BalanceMsat);
        Assert.Equal(8_000, await Host.BalanceMsatAsync(card.Id));
        Assert.Equal(2, (await admin.GetLedgerAsync(card.Id, default)).Count);

        var reused = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.CreditAsync(card.Id, 8, "refill", default, "refill-1"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, reused.Code));
        var asDebit = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.DebitAsync(card.Id, 7, "refill", default, "refill-1"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, asDebit.Status);

        var debited = await admin.DebitAsync(card.Id, 3, null, default, "payout-1");
        Assert.Equal(debited, await admin.DebitAsync(card.Id, 3, null, default, "payout-1"));
        Assert.Equal(5_000, await Host.BalanceMsatAsync(card.Id));
        // A refused debit keeps no key: the same key works once the money is there.
        var low = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.DebitAsync(card.Id, 9, null, default, "payout-2"));
        Assert.Equal("INSUFFICIENT_BALANCE", low.Code);
        await admin.CreditAsync(card.Id, 10, null, default);
        Assert.Equal(6_000, (await admin.DebitAsync(card.Id, 9, null, default, "payout-2")).BalanceMsat);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task Concurrent_credits_with_one_key_credit_once()
    {
        using var admin = Host.Admin();
        var card = await Host.CreateCardAsync(balanceSat: 0);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.CreditAsync(card.Id, 4, null, default, "same")));
        Assert.Single(answers.Distinct());
        Assert.Equal(4_000, await Host.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task Cards_are_listed_newest_first_a_page_at_a_time_and_found_by_name_and_status()
    {
        using var admin = Host.Admin();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await admin.CreateCardAsync(new CreateCardRequest(i == 3 ? "Bar 50% Card" : $"card {i}", null), default)).Id);
            Host.Time.Advance(TimeSpan.FromSeconds(1));
        }
        await admin.DisableAsync(ids[1], default);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await admin.ListCardsAsync(new CardSearch(Limit: 2, Cursor: cursor), default);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        Assert.Equal(ids[3], Assert.Single((await admin.ListCardsAsync(new CardSearch(Search: "50%"), default)).Items).Id);
        Assert.Equal(ids[3], Assert.Single((await admin.ListCardsAsync(new CardSearch(Search: "bar 50"), default)).Items).Id);
        var disabled = Assert.Single((await admin.ListCardsAsync(new CardSearch(Status: "disabled"), default)).Items);
        Assert.Equal((ids[1], "disabled"), (disabled.Id, disabled.Status));
        Assert.Equal(4, (await admin.ListCardsAsync(new CardSearch(Status: "active"), default)).Items.Count);
    }

    [Theory]
    [InlineData("/api/v1/cards?cursor=%%%")]
    [InlineData("/api/v1/cards?cursor=bm9jb2xvbg")]
    [InlineData("/api/v1/cards?limit=0")]
    [InlineData("/api/v1/cards?limit=abc")]
    [InlineData("/api/v1/cards?status=sleeping")]
    [InlineData("/api/v1/cards?status=1")]
    [InlineData("/api/v1/cards?sort=name")]
    [InlineData("/api/v1/withdrawals?from=yesterday")]
    [InlineData("/api/v1/withdrawals?status=Lost")]
    [InlineData("/api/v1/withdrawals?from=2026-12-04T10:00:00Z&to=2026-12-04T09:00:00Z")]
    [InlineData("/api/v1/withdrawals?cursor=x")]
    [InlineData("/api/v1/stats?bucket=1w")]
    [InlineData("/api/v1/stats?bucket=10s")]
    [InlineData("/api/v1/stats?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=1h")]
    [InlineData("/api/v1/stats?to=1970-01-01T00:00:00Z&from=2026-01-01T00:00:00Z")]
    public async Task A_malformed_query_is_a_400_problem_never_a_500(string url)
    {
        using var raw = Host.RawAdmin();
        using var response = await raw.GetAsync(url);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task PATCH_changes_only_the_members_given_and_null_removes_a_limit()
    {
        using var admin = Host.Admin();
        var card = await Host.CreateCardAsync(balanceSat: 0, perTapSat: 100, dailySat: 1_000);
        var patched = await admin.PatchCardAsync(card.Id, new Dictionary<string, object?> { ["name"] = "renamed", ["perTapLimitSat"] = null }, default);
        Assert.Equal(("renamed", null, 1_000L), (patched.Name, patched.PerTapLimitSat, patched.DailyLimitSat));
        Assert.Equal(1_000_000, patched.DailyRemainingMsat);
        var policy = await admin.PatchCardAsync(card.Id, new Dictionary<string, object?> { ["paymentPolicy"] = "GradedRetry" }, default);
        Assert.Equal(("GradedRetry", "renamed"), (policy.PaymentPolicy, policy.Name));

        using var raw = Host.RawAdmin();
        foreach (var body in new[] { """{"perTapLimitSat":-1}""", """{"colour":"red"}""", """{"name":5}""", """{"paymentPolicy":"Yolo"}""", "[1]", "{",
                     """{"name":"a","name":"b"}""" })
        {
            using var response = await raw.PatchAsync("/api/v1/cards/" + card.Id, new StringContent(body, Encoding.UTF8, "application/json"));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        }
        using var missing = await raw.PatchAsync("/api/v1/cards/nope", new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "CARD_NOT_FOUND");
        Assert.Equal("renamed", (await admin.GetCardDetailAsync(card.Id, default)).Name);
    }

    [Fact]
    public async Task A_paid_withdrawal_is_listed_filtered_and_told_as_a_timeline_and_shows_in_the_card_detail_and_stats()
    {
        using var admin = Host.Admin();
        var start = Host.Time.GetUtcNow();
        var card = await Host.CreateCardAsync(balanceSat: 10_000);
        var other = await Host.CreateCardAsync(balanceSat: 0);
        var k1 = await Host.OfferAsync(card, 1);
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(2_000))).Status);

        var page = await admin.FindWithdrawalsAsync(new WithdrawalSearch(CardId: card.Id, Status: "Succeeded"), default);
        var w = Assert.Single(page.Items);
        Assert.Null(page.NextCursor);
        Assert.Empty((await admin.FindWithdrawalsAsync(new WithdrawalSearch(CardId: other.Id), default)).Items);
        Assert.Empty((await admin.FindWithdrawalsAsync(new WithdrawalSearch(Status: "Failed"), default)).Items);
        Assert.Empty((await admin.FindWithdrawalsAsync(new WithdrawalSearch(From: start.AddHours(1)), default)).Items);

        var detail = await admin.GetWithdrawalDetailAsync(w.Id, default);
        var steps = detail.Timeline.Select(e => e.Event).ToList();
        Assert.Equal(["tap", "k1_issued", "callback", "payment_sent"], steps.Take(4));
        Assert.Contains("node_answered", steps);
        Assert.Contains("settled", steps);
        Assert.True(detail.Timeline.Zip(detail.Timeline.Skip(1)).All(p => p.First.At <= p.Second.At));
        var missing = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.GetWithdrawalDetailAsync("nope", default));
        Assert.Equal((HttpStatusCode.NotFound, "WITHDRAWAL_NOT_FOUND"), (missing.Status, missing.Code));

        var cardDetail = await admin.GetCardDetailAsync(card.Id, default);
        Assert.Equal(new CardCounts(1, 1, 1, 0, 0), cardDetail.Counts);
        Assert.NotNull(cardDetail.LastTapAt);
        Assert.Equal(("active", "FastFail", 0L), (cardDetail.Status, cardDetail.PaymentPolicy, cardDetail.ReservedMsat));
        var byTap = await admin.ListCardsAsync(new CardSearch(Sort: "lastTap"), default);
        Assert.Equal(card.Id, byTap.Items[0].Id);

        var stats = await admin.GetStatsAsync(start.AddMinutes(-1), Host.Time.GetUtcNow().AddMinutes(1), "1h", default);
        var bucket = Assert.Single(stats.Buckets);
        Assert.Equal(new TapStats(1, 1), bucket.Taps);
        Assert.Equal(1, bucket.WithdrawalsByState["Succeeded"]);
        Assert.Equal(2_000_000, bucket.SucceededMsat);
        Assert.Equal(0, bucket.TimeToRefund.Count);
        Assert.Equal(await Host.BalanceMsatAsync(card.Id), bucket.Liabilities.TotalMsat);
    }

    [Fact]
    public async Task The_ledger_is_paged_oldest_first()
    {
        using var admin = Host.Admin();
        var card = await Host.CreateCardAsync(balanceSat: 0);
        for (var i = 1; i <= 5; i++)
            await admin.CreditAsync(card.Id, i, $"n{i}", default);
        var first = await admin.GetLedgerPageAsync(card.Id, 3, null, default);
        Assert.Equal(["n1", "n2", "n3"], first.Items.Select(e => e.Note));
        var second = await admin.GetLedgerPageAsync(card.Id, 3, first.NextCursor, default);
        Assert.Equal(["n4", "n5"], second.Items.Select(e => e.Note));
        Assert.Null(second.NextCursor);
        Assert.Equal(5, (await admin.GetLedgerAsync(card.Id, default)).Count);
    }

    [Fact]
    public async Task Every_admin_route_answers_401_problem_without_a_key_and_403_problem_to_a_key_without_its_scope()
    {
        using var admin = Host.Admin();
        var noScopeKey = (await admin.CreateApiKeyAsync("reader", [Scopes.CardsRead], default)).Key;
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} admin routes");
        using var http = Host.CreateClient();
        foreach (var route in routes)
        {
            var policy = Assert.Single(route.Metadata.GetOrderedMetadata<IAuthorizeData>()).Policy;
            Assert.Contains(policy, Scopes.All);
            var method = route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single();
            var url = route.RoutePattern.RawText!.Replace("{id}", "x", StringComparison.Ordinal);
            using (var anonymous = new HttpRequestMessage(new HttpMethod(method), url))
            using (var response = await http.SendAsync(anonymous))
                await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED", $"{method} {url}");
            if (policy == Scopes.CardsRead)
                continue;
            using var forbidden = new HttpRequestMessage(new HttpMethod(method), url);
            forbidden.Headers.Authorization = new AuthenticationHeaderValue("Bearer", noScopeKey);
            using var refused = await http.SendAsync(forbidden);
            await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "FORBIDDEN", $"{method} {url}");
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? what = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class OperatorApiTests_Sqlite : OperatorApiTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class OperatorApiTests_Postgres : OperatorApiTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
