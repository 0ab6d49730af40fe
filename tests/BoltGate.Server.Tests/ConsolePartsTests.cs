using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Server.Web;
using BoltGate.Storage.Withdrawals;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Server.Tests;

/// <summary>The console's pure parts: the words a holder reads, the limiter, the tap URL reader, the users command line.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class ConsolePartsTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1_200_000, "1,200 sat")]
    [InlineData(21_000_000_000, "21,000,000 sat")]
    [InlineData(1_200_500, "1,200.5 sat")]
    [InlineData(0, "0 sat")]
    public void Amounts_are_whole_sat_with_thousands_separators(long msat, string expected) =>
        Assert.Equal(expected, Plain.Sat(new Msat(msat)));

    [Fact]
    public void A_refused_route_reads_as_the_issue_says_it_should()
    {
        var w = Withdrawal(WithdrawalState.Failed, "NO_ROUTE", finishedAfter: TimeSpan.FromMilliseconds(200));
        Assert.Equal("The shop's node could not be reached; 1,200 sat were back on your card 0.2 s later.", Plain.OutcomeForHolder(w));
        Assert.Equal("The shop's node could not be reached; 1,200 sat were back on the card 0.2 s later.", Plain.Outcome(w));
    }

    [Fact]
    public void Every_failure_code_has_its_own_words_and_an_unknown_one_still_reads()
    {
        var words = Enum.GetValues<FailureKind>().Select(k => Plain.FailureReason(k.Code())).ToList();
        Assert.Equal(words.Count, words.Distinct().Count());
        Assert.Equal("The payment failed for a reason the node did not explain", Plain.FailureReason("SOMETHING_NEW"));
    }

    [Fact]
    public void A_paid_withdrawal_says_the_fee_and_how_long_it_took()
    {
        var w = Withdrawal(WithdrawalState.Succeeded, null, TimeSpan.FromSeconds(1.5)) with { Fee = new Msat(3_000) };
        Assert.Equal("Paid 1,200 sat plus 3 sat in fees, in 1.5 s.", Plain.Outcome(w));
        Assert.Equal("under 0.1 s", Plain.Duration(TimeSpan.FromMilliseconds(20)));
        Assert.Equal("3 min", Plain.Duration(TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void The_limiter_allows_its_permits_per_key_and_window()
    {
        var time = new FakeTimeProvider(At);
        var limiter = new WindowLimiter(2, TimeSpan.FromMinutes(1), time);
        Assert.True(limiter.TryTake("a"));
        Assert.True(limiter.TryTake("a"));
        Assert.False(limiter.TryTake("a"));
        Assert.True(limiter.TryTake("b"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryTake("a"));
    }

    [Theory]
    [InlineData("lnurlw://pay.example.com/ln?p=0123456789ABCDEF0123456789ABCDEF&c=0123456789ABCDEF", true)]
    [InlineData("  https://pay.example.com/ln?p=0123456789ABCDEF0123456789ABCDEF&c=0123456789ABCDEF  ", true)]
    [InlineData("p=0123456789ABCDEF0123456789ABCDEF&c=0123456789ABCDEF", true)]
    [InlineData("https://pay.example.com/ln?p=0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("https://x/ln?p=0123456789ABCDEF0123456789ABCDEF&p=0123456789ABCDEF0123456789ABCDEF&c=0123456789ABCDEF", false)]
    [InlineData("", false)]
    public void The_balance_page_reads_p_and_c_from_whatever_link_the_card_gave(string url, bool readable) =>
        Assert.Equal(readable, HolderBalance.TryReadTap(url, out _));

    [Fact]
    public void The_users_command_takes_its_own_arguments_and_leaves_the_rest_to_the_host()
    {
        var command = UsersCommand.TryParse(["users", "add", "--name", "ada", "--role", "operator", "--Storage:Provider=postgres"], out var rest, out var problem);
        Assert.Equal(new UsersCommand("ada", "operator"), command);
        Assert.Null(problem);
        Assert.Equal(["--Storage:Provider=postgres"], rest);

        Assert.Null(UsersCommand.TryParse(["users", "add", "--name", "ada", "--role", "root"], out _, out problem));
        Assert.Equal(UsersCommand.Usage, problem);
        Assert.Null(UsersCommand.TryParse(["--urls", "http://127.0.0.1:5000"], out rest, out problem));
        Assert.Null(problem);
        Assert.Equal(["--urls", "http://127.0.0.1:5000"], rest);
    }

    [Fact]
    public void Roles_map_to_the_api_scopes_and_only_admin_holds_admin()
    {
        Assert.Equal([Auth.Scopes.Admin], ConsoleRoles.ScopesOf(ConsoleRoles.Admin));
        Assert.DoesNotContain(Auth.Scopes.Admin, ConsoleRoles.ScopesOf(ConsoleRoles.Operator));
        Assert.Contains(Auth.Scopes.FundsWrite, ConsoleRoles.ScopesOf(ConsoleRoles.Operator));
        Assert.Equal([Auth.Scopes.CardsRead], ConsoleRoles.ScopesOf(ConsoleRoles.Viewer));
    }

    private static Withdrawal Withdrawal(WithdrawalState state, string? code, TimeSpan finishedAfter) => new(
        "w1", "card1", "k1", "lnbcrt1", "00", Msat.FromSat(1_200), Msat.FromSat(12), null, state, code, null, At.AddMinutes(1), 1, null,
        null, null, At, At, null, At + finishedAfter, At + finishedAfter);
}
