using System.Text;
using System.Text.Json;
using GrantFlow.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions.Tests;

/// <summary>
/// The Functions app's triggers answer on the request's own response with the writer the local host uses: the
/// headers the local host sends (WWW-Authenticate on a 401, problem+json) come from the Functions app too.
/// </summary>
public class HttpTriggerAnswerTests
{
    private static readonly GrantFlowHttpFunctions Functions = new(new ServiceCollection().BuildServiceProvider());

    private static DefaultHttpContext Context(params string[] roles)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        if (roles.Length > 0)
        {
            var principal = new { auth_typ = "aad", name_typ = "name", role_typ = "roles", claims = roles.Select(r => new { typ = "roles", val = r }).Prepend(new { typ = "name", val = "li.wei@mof.example" }) };
            context.Request.Headers[ClientPrincipal.HeaderName] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(principal)));
        }

        return context;
    }

    private static JsonElement Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.Clone();
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401_problem_json_with_WWW_Authenticate_as_from_the_local_host()
    {
        var context = Context();

        Assert.IsType<EmptyResult>(await Functions.OpenApi(context.Request));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal("missing", Body(context).GetProperty("token").GetString());
    }

    [Fact]
    public async Task A_caller_with_a_role_gets_the_document_and_a_bad_body_its_problem()
    {
        var reader = Context("auditor");
        await Functions.OpenApi(reader.Request);
        Assert.Equal(200, reader.Response.StatusCode);
        Assert.Equal("3.1.0", Body(reader).GetProperty("openapi").GetString());

        var sender = Context("auditor");
        sender.Request.ContentType = "text/plain";
        sender.Request.Body = new MemoryStream("{}"u8.ToArray());
        await Functions.Roles(sender.Request);
        Assert.Equal(415, sender.Response.StatusCode);
        Assert.StartsWith("application/problem+json", sender.Response.ContentType, StringComparison.Ordinal);
    }
}
