using System.Buffers.Binary;
using System.Net.Sockets;

namespace BoltGate.Nfc.Virtual;

/// <summary>
/// Puts a <see cref="VirtualNtag424"/> into vsmartcard's vpcd reader driver (loaded by pcscd): connects
/// to vpcd's TCP port (35963 for the first reader) and answers its messages. Each message is a
/// 2-byte big-endian length then the payload; a 1-byte payload is a control code (00 power off,
/// 01 power on, 02 reset, 04 ATR request — only the ATR gets an answer), anything else is a command
/// APDU answered with the card's response APDU. Closing the connection removes the card.
/// </summary>
/// <remarks>
/// vpcd serves one card at a time and learns of changes only when pcscd polls it (every few hundred
/// ms it asks the card for its ATR: that poll accepts a waiting connection and notices a closed
/// one). Until that poll, pcscd still reports the previous card as present, and an APDU sent then
/// goes to the old, closed connection and fails with SCARD_E_NOT_TRANSACTED. So
/// <see cref="ConnectAsync"/> returns only once vpcd has asked this card for its ATR: the previous
/// card is gone from pcscd's view by then, and the reader state that follows is this card's.
/// </remarks>
public sealed class VpcdClient : IAsyncDisposable
{
    private readonly VirtualNtag424 _card;
    private readonly TcpClient _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _polled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    private VpcdClient(VirtualNtag424 card, TcpClient tcp)
    {
        _card = card;
        _tcp = tcp;
    }

    public int PowerEvents { get; private set; }

    public static async Task<VpcdClient> ConnectAsync(VirtualNtag424 card, string host, int port, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        var client = new VpcdClient(card, tcp);
        client._loop = Task.Run(() => client.RunAsync(client._stop.Token), CancellationToken.None);
        try
        {
            await client._polled.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return client;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var stream = _tcp.GetStream();
        var header = new byte[2];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(header, ct).ConfigureAwait(false);
                var length = BinaryPrimitives.ReadUInt16BigEndian(header);
                var payload = new byte[length];
                await stream.ReadExactlyAsync(payload, ct).ConfigureAwait(false);
                byte[]? answer = null;
                if (length == 1)
                {
                    switch (payload[0])
                    {
                        case 0x00:
                        case 0x01:
                        case 0x02:
                            PowerEvents++;
                            _card.Reset();
                            break;
                        case 0x04:
                            answer = VirtualNtag424.Atr.ToArray();
                            break;
                    }
                }
                else if (length > 1)
                {
                    answer = _card.Process(payload);
                }
                if (answer is not null)
                {
                    var frame = new byte[2 + answer.Length];
                    BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)answer.Length);
                    answer.CopyTo(frame, 2);
                    await stream.WriteAsync(frame, ct).ConfigureAwait(false);
                    if (length == 1)
                        _polled.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // vpcd went away or we were asked to stop: the card leaves the reader.
        }
        finally
        {
            _polled.TrySetException(new IOException("vpcd closed the connection before it polled the card."));
        }
    }

    /// <summary>Takes the card off the reader.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _tcp.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
