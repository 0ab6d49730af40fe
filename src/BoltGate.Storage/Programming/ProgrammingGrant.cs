using BoltGate.Core.Money;

namespace BoltGate.Storage.Programming;

/// <summary>What a programming code grants a card it creates: its name, limits and whether the app should hide its UID.</summary>
public sealed record ProgrammingGrant(string Name, Msat? PerTapLimit, Msat? DailyLimit, bool UidPrivacy);
