using BoltGate.Core.Payments;

namespace BoltGate.Core.Tests.Payments;

[Trait(Category.Name, Category.Unit)]
public class StrategyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Fast_fail_gives_up_on_every_kind(FailureKind kind)
    {
        var decision = FastFailStrategy.Instance.AfterFailure(new FailedAttempt(kind, 1, Now, Now.AddDays(1)));
        var giveUp = Assert.IsType<RetryDecision.GiveUp>(decision);
        Assert.Contains(kind.Code(), giveUp.Why);
    }

    [Fact]
    public void Graded_retry_follows_the_fast_then_slow_schedule_and_stops_at_max_attempts()
    {
        var strategy = new GradedRetryStrategy();
        var expiry = Now.AddDays(1);
        var t = Now;
        var gaps = new List<TimeSpan>();
        for (var attempt = 1; ; attempt++)
        {
            var decision = strategy.AfterFailure(new FailedAttempt(FailureKind.NoRoute, attempt, t, expiry));
            if (decision is RetryDecision.GiveUp giveUp)
            {
                Assert.Equal(10, attempt);
                Assert.Contains("10 attempts", giveUp.Why);
                break;
            }
            var retry = Assert.IsType<RetryDecision.RetryAt>(decision);
            gaps.Add(retry.At - t);
            t = retry.At;
        }
        Assert.Equal(
            [.. Enumerable.Repeat(TimeSpan.FromMinutes(2), 3), .. Enumerable.Repeat(TimeSpan.FromMinutes(10), 6)],
            gaps);
    }

    [Theory]
    [InlineData(FailureKind.InvoiceExpired)]
    [InlineData(FailureKind.IncorrectPaymentDetails)]
    [InlineData(FailureKind.AlreadyPaid)]
    [InlineData(FailureKind.Canceled)]
    public void Graded_retry_does_not_retry_what_a_retry_cannot_fix(FailureKind kind)
    {
        var decision = new GradedRetryStrategy().AfterFailure(new FailedAttempt(kind, 1, Now, Now.AddDays(1)));
        Assert.IsType<RetryDecision.GiveUp>(decision);
    }

    [Fact]
    public void Graded_retry_never_schedules_past_the_invoice_expiry()
    {
        var strategy = new GradedRetryStrategy();
        // Next fast retry at +2 min; the invoice's usable life ends at expiry − 30 s margin − 10 s window.
        var expiresJustTooSoon = Now.AddMinutes(2).AddSeconds(39);
        Assert.IsType<RetryDecision.GiveUp>(strategy.AfterFailure(new FailedAttempt(FailureKind.NoRoute, 1, Now, expiresJustTooSoon)));

        var expiresJustLateEnough = Now.AddMinutes(2).AddSeconds(40);
        var retry = Assert.IsType<RetryDecision.RetryAt>(strategy.AfterFailure(new FailedAttempt(FailureKind.NoRoute, 1, Now, expiresJustLateEnough)));
        Assert.Equal(Now.AddMinutes(2), retry.At);
    }

    [Fact]
    public void Graded_retry_parameters_are_configurable_and_validated()
    {
        var strategy = new GradedRetryStrategy { FastInterval = TimeSpan.FromSeconds(5), FastAttempts = 1, SlowInterval = TimeSpan.FromSeconds(50), MaxAttempts = 3 };
        Assert.Null(strategy.Validate());
        var first = Assert.IsType<RetryDecision.RetryAt>(strategy.AfterFailure(new FailedAttempt(FailureKind.Timeout, 1, Now, Now.AddDays(1))));
        Assert.Equal(Now.AddSeconds(5), first.At);
        var second = Assert.IsType<RetryDecision.RetryAt>(strategy.AfterFailure(new FailedAttempt(FailureKind.Timeout, 2, Now, Now.AddDays(1))));
        Assert.Equal(Now.AddSeconds(50), second.At);
        Assert.IsType<RetryDecision.GiveUp>(strategy.AfterFailure(new FailedAttempt(FailureKind.Timeout, 3, Now, Now.AddDays(1))));
        Assert.NotNull((strategy with { MaxAttempts = 0 }).Validate());
    }

    public static TheoryData<FailureKind> AllKinds() => [.. Enum.GetValues<FailureKind>()];
}
