using BoltGate.Core.Money;
using BoltGate.Lightning;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Pos;

/// <summary>Wires the parsed command line to a <see cref="PosTerminal"/>; usage problems print to stderr and give null.</summary>
public static class PosCommand
{
    public static async Task<PosResult?> RunAsync(PosArguments options, TimeProvider time, CancellationToken ct, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Uri tapUrl;
        try
        {
            if (options.Url is not null)
            {
                tapUrl = TapSource.FromLink(options.Url, options.PlainHttp, out var error) ?? throw new ArgumentException(error);
            }
            else if (options.Reader)
            {
                var link = await TapSource.ReadFromReaderAsync(options.ReaderName, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                tapUrl = TapSource.FromLink(link, options.PlainHttp, out var error) ?? throw new ArgumentException(error);
            }
            else
            {
                tapUrl = TapSource.FromVirtualCard(options.Gateway!, options.Uid!, options.K1!, options.K2!, options.Counter!.Value);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DllNotFoundException or IOException)
        {
            Console.Error.WriteLine("boltgate-pos: " + e.Message);
            return null;
        }

        ILightningNode? node = null;
        IInvoiceSource invoices;
        try
        {
            if (options.Invoice is not null)
            {
                invoices = new GivenInvoice(options.Invoice);
            }
            else
            {
                node = LightningNodeFactory.Create(options.Node!, time);
                invoices = node switch
                {
                    SimulatedNode sim when options.Payee is not null => new SimulatedPayeeInvoices(sim, KnownPayee(sim, options.Payee), options.Expiry),
                    SimulatedNode => throw new ArgumentException(
                        "A simulated merchant node needs --payee <name> (alice, noroute, hold-settle, hold-cancel, …): the gateway's own simulated node cannot pay itself."),
                    _ when options.Payee is not null => throw new ArgumentException("--payee applies to type=simulated only."),
                    _ => new NodeInvoices(node, options.Expiry),
                };
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            node?.Dispose();
            Console.Error.WriteLine("boltgate-pos: " + e.Message);
            return null;
        }

        using (node)
        using (var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false))
        {
            http.Timeout = options.Timeout;
            var terminal = new PosTerminal(http, time);
            var amount = options.AmountSat is { } sat ? Msat.FromSat(sat) : (Msat?)null;
            return await terminal.SellAsync(tapUrl, invoices, amount, options.Description, ct).ConfigureAwait(false);
        }
    }

    private static string KnownPayee(SimulatedNode node, string payee)
    {
        _ = node.Network.PayeePubKeyHex(payee); // throws ArgumentException naming the payee
        return payee;
    }
}
