using System.Text.Json;
using GrantFlow.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace GrantFlow.Functions.Tests;

public class UnhandledErrorProblemMiddlewareTests
{
    [Fact]
    public async Task An_unexpected_exception_in_an_http_function_is_answered_500_problem_json_without_internals()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        context.SetupGet(c => c.FunctionDefinition).Returns(Mock.Of<FunctionDefinition>(d => d.Name == "StartRun"));
        var middleware = new UnhandledErrorProblemMiddleware(NullLogger<UnhandledErrorProblemMiddleware>.Instance);

        await middleware.Invoke(context.Object, _ => throw new InvalidOperationException("secret connection string"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.Equal(500, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_succeeds_is_left_alone()
    {
        var context = new Mock<FunctionContext>();
        var middleware = new UnhandledErrorProblemMiddleware(NullLogger<UnhandledErrorProblemMiddleware>.Instance);
        var called = false;

        await middleware.Invoke(context.Object, _ =>
        {
            called = true;
            return Task.CompletedTask;
        });

        Assert.True(called);
    }
}
