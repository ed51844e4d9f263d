using GrantFlow.Contracts;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Tests;

/// <summary>Who may call what: the access rule of each row of the operations table, checked before any handler runs.</summary>
public class ApiAccessTests
{
    private static ApiCaller As(params string[] roles) => new("someone", roles.ToHashSet(StringComparer.Ordinal));

    private static int? Status(string operationId, ApiCaller? caller, string? code = null)
    {
        var route = code is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["code"] = code };
        return ApiOperations.Find(operationId).Access.Check(caller, route).Refusal?.Status;
    }

    [Fact]
    public void Every_operation_refuses_an_anonymous_caller_but_the_published_open_data()
    {
        foreach (var operation in ApiOperations.All)
        {
            var route = operation.RouteParameters.ToDictionary(p => p, p => p == "code" ? "44" : "x", StringComparer.Ordinal);
            var check = operation.Access.Check(null, route);
            if (operation.Route.StartsWith("public/", StringComparison.Ordinal))
            {
                Assert.Equal(("get", "anonymous"), (operation.Method, check.Caller?.Name)); // read-only: nothing anonymous writes
            }
            else
            {
                Assert.Equal(401, check.Refusal?.Status);
            }
        }

        Assert.Equal(3, ApiOperations.All.Count(o => o.Access.IsPublic));
        Assert.All(ApiOperations.All.Where(o => o.Access.IsPublic), o => Assert.StartsWith("public/", o.Route, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GetProvinceNotices", "province:44", "44", null)]
    [InlineData("GetProvinceNotices", "auditor", "44", null)]
    [InlineData("GetProvinceNotices", "province:45", "44", 403)]
    [InlineData("GetProvinceNotices", "finance-officer", "44", 403)]
    [InlineData("GetProvinceNotices", "province:44", "99", 400)]
    [InlineData("AcknowledgeNotice", "auditor", "44", 403)]
    [InlineData("StartPassDown", "province-approver:44", "44", 403)]
    [InlineData("ListProvincePassDowns", "province-approver:44", "44", null)]
    [InlineData("ListProvincePassDowns", "finance-officer", "44", null)]
    [InlineData("ListProvincePassDowns", "approver", "44", 403)]
    [InlineData("GetCountyNotices", "province:44", "440103", null)]
    [InlineData("GetCountyNotices", "province:45", "440103", 403)]
    [InlineData("GetCountyNotices", "county:440103", "4401", 400)]
    [InlineData("AcknowledgeCountyNotice", "province:44", "440103", 403)]
    [InlineData("QueryLedger", "approver", null, 403)]
    [InlineData("QueryLedger", "auditor", null, null)]
    [InlineData("StartRun", "auditor", null, 403)]
    [InlineData("StartRun", "finance-officer", null, null)]
    [InlineData("ResolveDispute", "auditor", null, 403)]
    public void A_caller_is_let_through_or_refused_by_the_operations_rule(string operationId, string role, string? code, int? refused) =>
        Assert.Equal(refused, Status(operationId, As(role), code));

    [Fact]
    public void A_caller_without_any_GrantFlow_role_may_only_ask_which_roles_it_has()
    {
        Assert.Equal(403, Status("Health", As()));
        Assert.Equal(403, Status("OpenApi", As()));
        Assert.Null(Status("Roles", As()));
        Assert.Null(Status("Health", As(GrantFlowRoles.County("440103"))));
    }

    [Fact]
    public void The_documented_roles_are_the_enforced_ones()
    {
        Assert.Equal("province:{code}, province-approver:{code}, finance-officer, auditor", ApiOperations.Find("ListProvincePassDowns").Access.Description);
        Assert.Equal("auditor, finance-officer", ApiOperations.Find("VerifyLedger").Access.Description);
        var refusal = ApiOperations.Find("VerifyLedger").Access.Check(As("approver"), new Dictionary<string, string>()).Refusal!;
        Assert.Contains("auditor, finance-officer", System.Text.Json.JsonSerializer.Serialize(refusal.Body), StringComparison.Ordinal);
    }
}
