using BoltGate.Core.Crypto;

namespace BoltGate.Core.Tests.Crypto;

/// <summary>Our AES/CMAC against BouncyCastle on thousands of random keys and messages.</summary>
[Trait(Category.Name, Category.Unit)]
public class AesCrossCheckTests
{
    private const int Cases = 4040; // every length 0..100, 40 times

    [Fact]
    public void Cmac_matches_bouncycastle_on_random_inputs_of_every_length_0_to_100()
    {
        var random = new Random(4493);
        for (var i = 0; i < Cases; i++)
        {
            var key = RandomBytes(random, 16);
            var message = RandomBytes(random, i % 101);
            var expected = BouncyReference.Cmac(key, message);

            Assert.Equal(expected, AesCmac.Compute(key, message));
            Assert.Equal(expected, AesCmac.Compute(new AesKey(key), message));
        }
    }

    [Fact]
    public void Portable_prepared_key_matches_bouncycastle()
    {
        var random = new Random(800);
        for (var i = 0; i < 1010; i++)
        {
            var key = RandomBytes(random, 16);
            var message = RandomBytes(random, i % 101);
            Assert.Equal(BouncyReference.Cmac(key, message), AesCmac.Compute(new AesKey(key, hardware: false), message));
        }
    }

    [Fact]
    public void Block_encrypt_and_decrypt_match_bouncycastle_on_both_backends()
    {
        var random = new Random(197);
        for (var i = 0; i < 2000; i++)
        {
            var key = RandomBytes(random, 16);
            var block = RandomBytes(random, 16);
            var encrypted = BouncyReference.EncryptBlock(key, block);
            var decrypted = BouncyReference.DecryptBlock(key, block);
            foreach (var prepared in new[] { new AesKey(key, hardware: true), new AesKey(key, hardware: false) })
            {
                var output = new byte[16];
                prepared.EncryptBlock(block, output);
                Assert.Equal(encrypted, output);
                prepared.DecryptBlock(block, output);
                Assert.Equal(decrypted, output);
            }
        }
    }

    [Fact]
    public void Cmac_writes_only_the_mac_and_leaves_key_and_message_untouched()
    {
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 32, 100 })
        {
            var key = RandomBytes(random, 16);
            var message = RandomBytes(random, length);
            var (keyCopy, messageCopy) = (key.ToArray(), message.ToArray());
            var mac = new byte[20];
            mac.AsSpan().Fill(0xEE);

            AesCmac.Compute(key, message, mac);

            Assert.Equal(keyCopy, key);
            Assert.Equal(messageCopy, message);
            Assert.Equal(BouncyReference.Cmac(key, message), mac[..16]);
            Assert.All(mac[16..], b => Assert.Equal(0xEE, b));
        }
    }

    [Fact]
    public void A_prepared_key_shared_by_many_threads_gives_the_same_macs_on_both_backends()
    {
        var key = RandomBytes(new Random(1), 16);
        var messages = Enumerable.Range(0, 400).Select(i => RandomBytes(new Random(i), i % 50)).ToArray();
        var expected = messages.Select(m => BouncyReference.Cmac(key, m)).ToArray();
        foreach (var prepared in new[] { new AesKey(key, hardware: true), new AesKey(key, hardware: false) })
        {
            var actual = new byte[messages.Length][];
            Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                i => actual[i] = AesCmac.Compute(prepared, messages[i]));
            Assert.Equal(expected, actual);
        }
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
