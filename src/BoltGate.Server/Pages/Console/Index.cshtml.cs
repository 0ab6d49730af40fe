using BoltGate.Core.Payments;
using BoltGate.Lightning;
using BoltGate.Server.Web;
using BoltGate.Storage;
using BoltGate.Storage.Operators;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Pages.Console;

public sealed class IndexModel(BoltGateStore store, ILightningNode node, TimeProvider time) : ConsolePageModel
{
    public Liabilities Liabilities { get; private set; } = new(0, default, default, 0);

    public NodeInfo? Node { get; private set; }

    public string? NodeProblem { get; private set; }

    /// <summary>What the node can send and receive over its active channels, or why it cannot tell.</summary>
    public NodeLiquidity Liquidity { get; private set; } = new NodeLiquidity.Unknown("not asked");

    /// <summary>Cards hold more than the node can send: not every holder could spend their balance now.</summary>
    public bool CardsExceedOutbound => Liquidity is NodeLiquidity.Known known && Liabilities.Balances > known.Outbound;

    public IReadOnlyList<Withdrawal> InFlight { get; private set; } = [];

    public string ChartSvg { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Liabilities = await store.GetLiabilitiesAsync(ct);
        InFlight = (await store.ListAllWithdrawalsPageAsync(InFlightStates, null, 0, 50, ct)).Items;
        var now = time.GetUtcNow();
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-23);
        ChartSvg = ActivityChart.Svg(await store.GetActivityAsync(from, ct), from, 24);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            Node = await node.GetInfoAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            NodeProblem = e is OperationCanceledException ? "It did not answer within 2 s." : e.Message;
        }
        Liquidity = Node is null ? new NodeLiquidity.Unknown("the node is unreachable") : await LiquidityAsync(ct);
    }

    private async Task<NodeLiquidity> LiquidityAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await node.GetLiquidityAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new NodeLiquidity.Unknown("the node did not list its channels within 2 s");
        }
    }

    /// <summary>The liabilities panel, polled by htmx.</summary>
    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnGetOwedAsync(CancellationToken ct) =>
        Partial("_Owed", await store.GetLiabilitiesAsync(ct));

    public static readonly WithdrawalState[] InFlightStates = [WithdrawalState.Reserved, WithdrawalState.Sending, WithdrawalState.InFlight];
}
