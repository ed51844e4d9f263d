using System.Reflection;
using GrantFlow.Hosting.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Hosting.Functions;

/// <summary>
/// The API served by the Functions app's own HTTP triggers: every <c>[Function]</c> with an <c>[HttpTrigger]</c> is
/// found by reflection and mapped at <c>/api/{Route}</c> for its methods, each call made as the isolated worker makes
/// it (the function class made from the app's services in a scope per invocation; the real <see cref="HttpRequest"/>,
/// route values bound by name, the engine's <see cref="DurableTaskClient"/> for <c>[DurableClient]</c>; the app's
/// worker middleware around it; the <see cref="IActionResult"/> executed), behind App Service authentication.
/// </summary>
public sealed class FunctionsHttpSurface(FunctionsApp functions, Func<DurableTaskClient> client, PrincipalSource principal = PrincipalSource.AppService) : ApiSurface
{
    public override string Description => principal == PrincipalSource.AppService
        ? "the Functions app's triggers behind App Service authentication"
        : "the Functions app's triggers behind a Static Web App's principal";

    /// <summary>The HTTP triggers of the Functions app: (function name, methods, route, the method).</summary>
    public static IReadOnlyList<HttpFunction> Triggers { get; } = Find();

    public override void ConfigureServices(IServiceCollection services) => services.AddMvcCore(); // IActionResult executors, as ASP.NET Core integration has

    public override void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(AppServiceAuthentication.Middleware(principal));
        var routes = app.MapGroup("/api");
        foreach (var trigger in Triggers)
        {
            routes.MapMethods("/" + trigger.Route, [.. trigger.Methods.Select(m => m.ToUpperInvariant())], http => InvokeAsync(trigger, http));
        }
    }

    private async Task InvokeAsync(HttpFunction function, HttpContext http)
    {
        await using var scope = functions.Services.CreateAsyncScope();
        var context = new InProcessFunctionContext(function.Method, function.Name, http, scope.ServiceProvider);
        FunctionExecutionDelegate invoke = async invocation =>
        {
            if (await FunctionMethods.InvokeAsync(function.Method, invocation.InstanceServices, p => Argument(p, http, invocation)) is IActionResult result and not EmptyResult)
            {
                await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
            }
        };
        foreach (var middleware in functions.Middleware.Reverse())
        {
            invoke = middleware(invoke);
        }

        await invoke(context);
    }

    private object? Argument(ParameterInfo parameter, HttpContext http, FunctionContext invocation) => parameter switch
    {
        _ when parameter.ParameterType == typeof(HttpRequest) => http.Request,
        _ when parameter.ParameterType == typeof(DurableTaskClient) => client(),
        _ when parameter.ParameterType == typeof(FunctionContext) => invocation,
        _ when parameter.ParameterType == typeof(CancellationToken) => http.RequestAborted,
        _ when parameter.ParameterType == typeof(string) => http.Request.RouteValues.TryGetValue(parameter.Name!, out var value) ? value as string : null,
        _ => throw FunctionMethods.Unbindable((MethodInfo)parameter.Member, parameter),
    };

    private static List<HttpFunction> Find()
    {
        var found = new List<HttpFunction>();
        foreach (var (method, function) in FunctionMethods.All)
        {
            if (method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault() is not { } trigger)
            {
                continue;
            }

            foreach (var parameter in method.GetParameters().Where(p => p.GetCustomAttribute<HttpTriggerAttribute>() is null))
            {
                var bindable = parameter.ParameterType == typeof(DurableTaskClient) || parameter.ParameterType == typeof(FunctionContext)
                    || parameter.ParameterType == typeof(CancellationToken) || (parameter.ParameterType == typeof(string) && trigger.Route!.Contains("{" + parameter.Name + "}", StringComparison.Ordinal));
                if (!bindable)
                {
                    throw FunctionMethods.Unbindable(method, parameter);
                }
            }

            found.Add(new HttpFunction(function.Name, trigger.Methods ?? ["get", "post"], trigger.Route ?? function.Name, method));
        }

        return found;
    }
}

/// <summary>An HTTP-triggered function of the Functions app.</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, MethodInfo Method);
