using System.Security.Cryptography;
using BoltGate.Core.Secp256k1;
using NBitcoin.Secp256k1;

namespace BoltGate.Core.Tests.Secp256k1;

/// <summary>
/// BOLT11 decoding recovers the payee's key through native libsecp256k1 where it is installed (CI installs
/// it: scripts/deps/secp256k1.sh), and the native and managed implementations answer alike, valid or not.
/// The BOLT11 vector tests run through <see cref="PublicKeyRecovery.Default"/>, so they check the native path.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PublicKeyRecoveryTests
{
    [Fact]
    public void The_native_library_is_the_one_in_use()
    {
        Assert.True(PublicKeyRecovery.Default is NativeRecovery,
            "BOLT11 decoding runs on the managed fallback: " + PublicKeyRecovery.WhyNotNative);
    }

    [Fact]
    public void Native_and_managed_recover_the_same_key_for_many_signatures()
    {
        var native = NativeRecovery.TryCreate(out var whyNot);
        Assert.True(native is not null, whyNot);
        for (var i = 0; i < 200; i++)
        {
            var hash = RandomNumberGenerator.GetBytes(32);
            var key = ECPrivKey.Create(RandomNumberGenerator.GetBytes(32));
            Assert.True(key.TrySignRecoverable(hash, out var signature));
            var compact = new byte[64];
            signature!.WriteToSpanCompact(compact, out var recoveryId);

            var fromNative = new byte[33];
            var fromManaged = new byte[33];
            Assert.True(native.TryRecover(compact, recoveryId, hash, fromNative));
            Assert.True(ManagedRecovery.Instance.TryRecover(compact, recoveryId, hash, fromManaged));
            Assert.Equal(key.CreatePubKey().ToBytes(compressed: true), fromNative);
            Assert.Equal(fromManaged, fromNative);

            // The other parity of R or a flipped hash bit: both give the same answer (no key, or the same wrong key).
            var otherId = recoveryId ^ 1;
            var nativeOther = new byte[33];
            var managedOther = new byte[33];
            var nativeOk = native.TryRecover(compact, otherId, hash, nativeOther);
            Assert.Equal(ManagedRecovery.Instance.TryRecover(compact, otherId, hash, managedOther), nativeOk);
            if (nativeOk)
                Assert.Equal(managedOther, nativeOther);
            hash[i % 32] ^= 0x01;
            Assert.True(native.TryRecover(compact, recoveryId, hash, nativeOther));
            Assert.True(ManagedRecovery.Instance.TryRecover(compact, recoveryId, hash, managedOther));
            Assert.Equal(managedOther, nativeOther);
            Assert.NotEqual(fromNative, nativeOther);
        }
    }

    [Fact]
    public void Invalid_signatures_recover_nothing_on_either()
    {
        var native = NativeRecovery.TryCreate(out var whyNot);
        Assert.True(native is not null, whyNot);
        var hash = RandomNumberGenerator.GetBytes(32);
        var order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        var bad = new[] { new byte[64], order.Concat(order).ToArray() };
        var output = new byte[33];
        foreach (var compact in bad)
        {
            Assert.False(native.TryRecover(compact, 0, hash, output));
            Assert.False(ManagedRecovery.Instance.TryRecover(compact, 0, hash, output));
        }
        Assert.False(native.TryRecover(new byte[63], 0, hash, output));
        Assert.False(native.TryRecover(order.Concat(order).ToArray(), 4, hash, output));
    }
}
