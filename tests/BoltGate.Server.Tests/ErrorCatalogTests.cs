using BoltGate.Server.Errors;

namespace BoltGate.Server.Tests;

[Trait(Category.Name, Category.Unit)]
public sealed class ErrorCatalogTests
{
    [Fact]
    public void Every_error_has_a_distinct_code_and_a_4xx_unless_the_gateway_itself_is_unavailable()
    {
        var entries = Enum.GetValues<GatewayError>().Select(ErrorCatalog.Describe).ToList();
        Assert.Equal(entries.Count, entries.Select(e => e.Code).Distinct().Count());
        Assert.All(entries.Where(e => e.Code is not ("NODE_UNAVAILABLE" or "UNAVAILABLE")), e => Assert.InRange(e.Status, 400, 499));
        Assert.All(entries, e => Assert.Matches("^[A-Z0-9_]+$", e.Code));
    }
}
