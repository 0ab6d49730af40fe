using BoltGate.Core.Keys;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Cards;

/// <summary>A card as an operator sees it: the stored card and how much of today's (UTC) limit it used.</summary>
public sealed record CardView(Card Card, Msat DailyUsed);

/// <summary>A new card and its five keys, which are shown this once.</summary>
public sealed record CreatedCard(Card Card, CardKeys Keys);
