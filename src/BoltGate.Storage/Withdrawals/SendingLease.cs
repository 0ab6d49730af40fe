namespace BoltGate.Storage.Withdrawals;

/// <summary>
/// The drive that takes a withdrawal straight to Sending in the reserving transaction: its owner's name on
/// the lease and how long the lease lasts (the attempt's window, as <see cref="BoltGateStore.MarkSendingAsync"/> sets it).
/// </summary>
public sealed record SendingLease(string Owner, TimeSpan LeaseFor);
