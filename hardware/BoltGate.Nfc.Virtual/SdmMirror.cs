using System.Text;
using BoltGate.Core.Crypto;
using BoltGate.Nfc.Ntag424;

namespace BoltGate.Nfc.Virtual;

/// <summary>
/// What the chip does to the NDEF file on an unauthenticated read with SDM on: writes the UID and
/// SDMReadCtr (plain, or encrypted as PICCData with the meta-read key) and the truncated SDMMAC (under
/// the session key derived from the file-read key) as upper-case ASCII hex into a copy of the file.
/// This is the card's side of SUN, written from the datasheet; the gateway verifies with Core's code.
/// </summary>
internal static class SdmMirror
{
    public static byte[] Apply(ReadOnlySpan<byte> file, SdmSettings sdm, ReadOnlySpan<byte> uid, int counter, IReadOnlyList<byte[]> keys, Action<Span<byte>> random)
    {
        var output = file.ToArray();
        Span<byte> ctrLe = [(byte)counter, (byte)(counter >> 8), (byte)(counter >> 16)];

        if (sdm.MetaReadKey == AccessRights.Free)
        {
            if (sdm.UidMirror)
                WriteHex(output, sdm.UidOffset, uid);
            if (sdm.ReadCounterMirror && sdm.ReadCounterOffset != 0xFFFFFF)
                WriteHex(output, sdm.ReadCounterOffset, [ctrLe[2], ctrLe[1], ctrLe[0]]);
        }
        else if (sdm.MetaReadKey <= 4)
        {
            Span<byte> picc = stackalloc byte[16];
            var pos = 0;
            picc[pos++] = (byte)((sdm.UidMirror ? 0x80 | uid.Length : 0) | (sdm.ReadCounterMirror ? 0x40 : 0));
            if (sdm.UidMirror)
            {
                uid.CopyTo(picc[pos..]);
                pos += uid.Length;
            }
            if (sdm.ReadCounterMirror)
            {
                ctrLe.CopyTo(picc[pos..]);
                pos += 3;
            }
            random(picc[pos..]);
            WriteHex(output, sdm.PiccDataOffset, BlockCipher.EncryptBlock(keys[sdm.MetaReadKey], picc));
        }

        if (sdm.FileReadKey <= 4)
        {
            var sv2 = new List<byte> { 0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80 };
            if (sdm.UidMirror)
                sv2.AddRange(uid.ToArray());
            if (sdm.ReadCounterMirror)
                sv2.AddRange(ctrLe.ToArray());
            while (sv2.Count % 16 != 0)
                sv2.Add(0);
            var sessionMacKey = AesCmac.Compute(keys[sdm.FileReadKey], sv2.ToArray());
            var macInput = output.AsSpan(sdm.MacInputOffset, sdm.MacOffset - sdm.MacInputOffset);
            var mac = MacTruncation.Truncate(AesCmac.Compute(sessionMacKey, macInput));
            WriteHex(output, sdm.MacOffset, mac);
        }
        return output;
    }

    private static void WriteHex(byte[] output, int offset, ReadOnlySpan<byte> value) =>
        Encoding.ASCII.GetBytes(Convert.ToHexString(value)).CopyTo(output, offset);
}
