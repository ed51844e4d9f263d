using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Hosting.Functions;

/// <summary>
/// The Functions app's function methods found and called as the isolated worker calls them: the function's class made
/// from the invocation's services (for an instance method), each parameter bound by the caller's rule for its trigger
/// and bindings, the returned task awaited and its result taken.
/// </summary>
internal static class FunctionMethods
{
    /// <summary>Every method of the Functions app marked <c>[Function]</c>, with its attribute.</summary>
    public static IReadOnlyList<(MethodInfo Method, FunctionAttribute Function)> All { get; } =
        [.. typeof(GrantFlow.Functions.FunctionsComposition).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()!))
            .Where(f => f.Function is not null)];

    /// <summary>Calls <paramref name="method"/> with the arguments <paramref name="bind"/> gives; its task's result, or null for a plain task.</summary>
    public static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, Func<ParameterInfo, object?> bind)
    {
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(bind).ToArray();
        var task = (Task)method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
        await task;
        return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }

    /// <summary>What the method's task yields (<see cref="object"/> for a plain task).</summary>
    public static Type ResultType(MethodInfo method) =>
        method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

    /// <summary>The refusal for a parameter the local host cannot bind as the worker would.</summary>
    public static NotSupportedException Unbindable(MethodInfo method, ParameterInfo parameter) =>
        new($"{method.Name}: the local host cannot bind its parameter {parameter.Name} ({parameter.ParameterType.Name}).");
}
