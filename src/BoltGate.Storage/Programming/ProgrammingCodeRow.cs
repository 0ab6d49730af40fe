using BoltGate.Storage.Programming;

namespace BoltGate.Storage;

/// <summary>A programming_codes row as Dapper reads it (see Rows.cs for the conventions).</summary>
internal sealed class ProgrammingCodeRow
{
    public const string Columns = "name, per_tap_limit_msat, daily_limit_msat, uid_privacy, used_at";

    public string Name { get; set; } = "";
    public long? PerTapLimitMsat { get; set; }
    public long? DailyLimitMsat { get; set; }
    public long UidPrivacy { get; set; }
    public long? UsedAt { get; set; }

    public ProgrammingGrant ToGrant() => new(Name, ColumnValues.ToMsat(PerTapLimitMsat), ColumnValues.ToMsat(DailyLimitMsat), UidPrivacy != 0);
}
