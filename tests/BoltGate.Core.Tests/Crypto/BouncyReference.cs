using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace BoltGate.Core.Tests.Crypto;

/// <summary>BouncyCastle's CMac + AesEngine and AesEngine block ops: the independent reference.</summary>
internal static class BouncyReference
{
    public static byte[] Cmac(byte[] key, byte[] message)
    {
        var cmac = new CMac(new AesEngine());
        cmac.Init(new KeyParameter(key));
        cmac.BlockUpdate(message, 0, message.Length);
        var mac = new byte[16];
        cmac.DoFinal(mac, 0);
        return mac;
    }

    public static byte[] EncryptBlock(byte[] key, byte[] block) => Process(true, key, block);

    public static byte[] DecryptBlock(byte[] key, byte[] block) => Process(false, key, block);

    private static byte[] Process(bool encrypt, byte[] key, byte[] block)
    {
        var engine = new AesEngine();
        engine.Init(encrypt, new KeyParameter(key));
        var output = new byte[16];
        engine.ProcessBlock(block, 0, output, 0);
        return output;
    }
}
