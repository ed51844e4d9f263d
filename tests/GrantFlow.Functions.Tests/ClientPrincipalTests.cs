using System.Text;
using System.Text.Json;
using GrantFlow.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace GrantFlow.Functions.Tests;

public class ClientPrincipalTests
{
    private static HttpRequest Request(string? header)
    {
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers[ClientPrincipal.HeaderName] = header;
        }

        return context.Request;
    }

    private static string Encode(object principal) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(principal)));

    [Fact]
    public void Reads_the_name_and_the_known_app_roles()
    {
        var header = Encode(new
        {
            auth_typ = "aad",
            name_typ = "name",
            role_typ = "roles",
            claims = new[]
            {
                new { typ = "name", val = "wang.fang@mof.example" },
                new { typ = "roles", val = "approver" },
                new { typ = "roles", val = "province:44" },
                new { typ = "roles", val = "superuser" },
            },
        });

        var caller = ClientPrincipal.From(Request(header));

        Assert.NotNull(caller);
        Assert.Equal("wang.fang@mof.example", caller.Name);
        Assert.Equal(["approver", "province:44"], caller.Roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reads_the_static_web_app_principal_of_the_console_with_the_roles_its_roles_source_assigned()
    {
        var header = Encode(new
        {
            identityProvider = "aad",
            userId = "d75b260a64504067bfc5b2905e3b8182",
            userDetails = "li.ming@mof.example",
            userRoles = new[] { "anonymous", "authenticated", "finance-officer", "province:99", "admin" },
        });

        var caller = ClientPrincipal.From(Request(header));

        Assert.NotNull(caller);
        Assert.Equal("li.ming@mof.example", caller.Name);
        Assert.Equal(["finance-officer"], caller.Roles);
        Assert.Null(ClientPrincipal.From(Request(Encode(new { userRoles = new[] { "auditor" } })))); // no user: anonymous
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("e30=")] // {}
    public void A_missing_or_malformed_header_is_anonymous(string? header)
    {
        Assert.Null(ClientPrincipal.From(Request(header)));
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("not base64 !!", "invalid")]
    [InlineData("e30=", "invalid")]
    public void A_401_says_whether_the_principal_was_missing_or_unreadable(string? header, string token)
    {
        var answer = GrantFlow.Workflows.Http.ApiResult.Unauthenticated().WithTokenProblem(ClientPrincipal.TokenState(Request(header)));

        Assert.Equal(token, ((GrantFlow.Contracts.ProblemBody)answer.Body!).Token);
        Assert.Equal(401, answer.Status);
    }
}
