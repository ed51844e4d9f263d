using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Hosting.Functions;

/// <summary>
/// The Functions app's orchestrator and activity functions, registered with the local engine under their function
/// names: an orchestrator function is called with the engine's <see cref="TaskOrchestrationContext"/> (it reads its own
/// input, as in Azure); an activity function's class is made from the Functions app's services, its
/// <c>[ActivityTrigger]</c> parameter given the activity's input (deserialized to its type by the engine) and a
/// <c>[DurableClient]</c> parameter the engine's client.
/// </summary>
public static class FunctionsTasks
{
    public static void Register(DurableTaskRegistry registry, FunctionsApp functions)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(functions);
        foreach (var (method, function) in FunctionMethods.All)
        {
            var parameters = method.GetParameters();
            if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
            {
                var inputType = OrchestrationInput(function.Name);
                registry.AddOrchestrator(function.Name, () => new Orchestrator(method, inputType));
            }
            else if (parameters.SingleOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null) is { } input)
            {
                registry.AddActivity(function.Name, services => new Activity(method, input.ParameterType, functions, services));
            }
        }
    }

    /// <summary>
    /// The input type of the shared orchestration a function runs (the Workflows class whose <c>Name</c> is the
    /// function's, with <c>RunAsync(TaskOrchestrationContext, TInput)</c>): the engine hands the input over already
    /// deserialized, to that type, for the function's <c>context.GetInput&lt;TInput&gt;()</c>.
    /// </summary>
    private static Type OrchestrationInput(string name) =>
        typeof(GrantFlow.Workflows.WorkflowRegistration).Assembly.GetTypes()
            .Where(t => t.GetField("Name", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && (string?)field.GetValue(null) == name)
            .Select(t => t.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)?.GetParameters())
            .Where(p => p is { Length: 2 } && p[0].ParameterType == typeof(TaskOrchestrationContext))
            .Select(p => p![1].ParameterType)
            .SingleOrDefault()
            ?? throw new InvalidOperationException($"no orchestration named {name} with RunAsync(TaskOrchestrationContext, input) in GrantFlow.Workflows.");

    private sealed class Orchestrator(MethodInfo method, Type inputType) : ITaskOrchestrator
    {
        public Type InputType => inputType;

        public Type OutputType => FunctionMethods.ResultType(method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            FunctionMethods.InvokeAsync(method, EmptyServices.Instance, p => p.ParameterType == typeof(TaskOrchestrationContext) ? context : throw FunctionMethods.Unbindable(method, p));
    }

    private sealed class Activity(MethodInfo method, Type inputType, FunctionsApp functions, IServiceProvider engine) : ITaskActivity
    {
        public Type InputType => inputType;

        public Type OutputType => FunctionMethods.ResultType(method);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await using var scope = functions.Services.CreateAsyncScope();
            return await FunctionMethods.InvokeAsync(method, scope.ServiceProvider, p => p switch
            {
                _ when p.GetCustomAttribute<ActivityTriggerAttribute>() is not null => input,
                _ when p.ParameterType == typeof(DurableTaskClient) => engine.GetRequiredService<DurableTaskClient>(),
                _ when p.ParameterType == typeof(CancellationToken) => CancellationToken.None,
                _ => throw FunctionMethods.Unbindable(method, p),
            });
        }
    }

    /// <summary>No services: an orchestrator function is static and takes only its context.</summary>
    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
