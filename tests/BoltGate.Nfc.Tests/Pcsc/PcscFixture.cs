using BoltGate.Nfc.Pcsc;

namespace BoltGate.Nfc.Tests.Pcsc;

/// <summary>
/// The real PC/SC stack: pcscd with the vsmartcard vpcd driver, started by scripts/deps/pcsc.sh.
/// When it is missing the tests fail with a message that says so — they never skip.
/// </summary>
internal static class PcscStack
{
    public static string VpcdHost => Environment.GetEnvironmentVariable("BOLTGATE_VPCD_HOST") ?? "127.0.0.1";

    public static int VpcdPort => int.TryParse(Environment.GetEnvironmentVariable("BOLTGATE_VPCD_PORT"), out var p) ? p : 35963;

    public const string ReaderName = "Virtual PCD 00 00";

    public static PcscContext Require()
    {
        PcscContext context;
        try
        {
            context = PcscContext.Establish();
        }
        catch (PcscException e)
        {
            throw new InvalidOperationException(
                "pcscd is not running (" + e.Message + "). Run `source scripts/deps/pcsc.sh` (as root) to install and start pcscd with vsmartcard-vpcd.", e);
        }
        var readers = context.ListReaders();
        if (!readers.Contains(ReaderName))
        {
            context.Dispose();
            throw new InvalidOperationException(
                $"pcscd runs but has no '{ReaderName}' reader (readers: {string.Join(", ", readers)}). Install vsmartcard-vpcd and restart pcscd: scripts/deps/pcsc.sh.");
        }
        return context;
    }
}
