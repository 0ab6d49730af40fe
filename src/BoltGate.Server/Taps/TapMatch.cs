using BoltGate.Core.Sun;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Taps;

/// <summary>A tap whose p decrypted to a known card and whose c verified under that card's K2.</summary>
public sealed record TapMatch(Card Card, CardUid Uid, uint Counter);
