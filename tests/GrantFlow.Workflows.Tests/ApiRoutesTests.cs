using System.Reflection;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Api;

namespace GrantFlow.Workflows.Tests;

/// <summary>The routes clients fill are the routes the server maps: one list of templates, in the contracts.</summary>
public class ApiRoutesTests
{
    private static readonly HashSet<string> Templates = [.. typeof(ApiRoutes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!)];

    [Fact]
    public void Every_operation_maps_a_contract_route_and_every_contract_route_is_mapped()
    {
        Assert.Equal(Templates.Order(StringComparer.Ordinal), ApiOperations.All.Select(o => o.Route).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fill_escapes_each_value_and_refuses_a_missing_or_unknown_parameter()
    {
        Assert.Equal("/api/provinces/44/notices/GF-2026-a%2Fb/acknowledgement", ApiRoutes.Fill(ApiRoutes.Acknowledgement, ("code", "44"), ("noticeNumber", "GF-2026-a/b")));
        Assert.Equal("/api/runs", ApiRoutes.Fill(ApiRoutes.Runs));
        Assert.Throws<ArgumentException>(() => ApiRoutes.Fill(ApiRoutes.Run));
        Assert.Throws<ArgumentException>(() => ApiRoutes.Fill(ApiRoutes.Run, ("run", "x")));
    }
}
