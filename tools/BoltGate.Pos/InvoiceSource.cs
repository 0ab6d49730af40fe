using BoltGate.Core.Money;
using BoltGate.Lightning;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Pos;

/// <summary>Where the terminal gets the invoice the card is asked to pay: the merchant's node, or a given one.</summary>
public interface IInvoiceSource
{
    /// <summary>A BOLT11 invoice for <paramref name="amount"/>; null amount means "whatever the invoice says" (a given invoice).</summary>
    Task<string> CreateAsync(Msat? amount, string description, CancellationToken ct);

    /// <summary>Whether the source needs an amount (a node does; a ready-made invoice carries its own).</summary>
    bool NeedsAmount { get; }
}

/// <summary>An invoice made elsewhere (e.g. <c>lncli addholdinvoice</c>), passed as is.</summary>
public sealed class GivenInvoice(string bolt11) : IInvoiceSource
{
    public bool NeedsAmount => false;

    public Task<string> CreateAsync(Msat? amount, string description, CancellationToken ct) => Task.FromResult(bolt11.Trim());
}

/// <summary>The merchant's own node through our <see cref="ILightningNode"/> clients (LND REST, Core Lightning).</summary>
public sealed class NodeInvoices(ILightningNode node, TimeSpan expiry) : IInvoiceSource
{
    public bool NeedsAmount => true;

    public async Task<string> CreateAsync(Msat? amount, string description, CancellationToken ct)
    {
        var created = await node.CreateInvoiceAsync(amount ?? throw new ArgumentNullException(nameof(amount)), description, expiry, ct).ConfigureAwait(false);
        return created.Bolt11;
    }
}

/// <summary>
/// A payee of the simulated network (the gateway's embedded node knows the same payees by name:
/// <c>alice</c> settles, <c>noroute</c> has no route, <c>hold-settle</c>/<c>hold-cancel</c> act as a
/// hold invoice). The invoice is signed with the payee's key, so the gateway's node plays that payee.
/// </summary>
public sealed class SimulatedPayeeInvoices(SimulatedNode node, string payee, TimeSpan expiry) : IInvoiceSource
{
    public bool NeedsAmount => true;

    public Task<string> CreateAsync(Msat? amount, string description, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(node.CreatePayeeInvoice(payee, amount ?? throw new ArgumentNullException(nameof(amount)), description, expiry));
    }
}
