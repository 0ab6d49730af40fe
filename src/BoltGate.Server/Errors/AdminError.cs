namespace BoltGate.Server.Errors;

/// <summary>The admin API's error body, <c>{"code","message"}</c>: a stable code for machines, words for people.</summary>
public sealed record AdminError(string Code, string Message);
