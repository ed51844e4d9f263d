using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace GrantFlow.Hosting.Functions;

/// <summary>
/// One invocation of an HTTP function as the isolated worker describes it to its middleware: the function's
/// definition (name, entry point, its parameters), the invocation's services, and the request's
/// <see cref="HttpContext"/> where ASP.NET Core integration keeps it (<c>Items["HttpRequestContext"]</c>, which
/// <c>GetHttpContext()</c> reads).
/// </summary>
internal sealed class InProcessFunctionContext : FunctionContext
{
    /// <summary>Where the worker's ASP.NET Core integration puts the request's context for middleware.</summary>
    public const string HttpContextKey = "HttpRequestContext";

    public InProcessFunctionContext(MethodInfo function, string name, HttpContext http, IServiceProvider services)
    {
        FunctionDefinition = new Definition(function, name);
        InstanceServices = services;
        CancellationToken = http.RequestAborted;
        Items = new Dictionary<object, object> { [HttpContextKey] = http };
        TraceContext = new Trace(Activity.Current);
        BindingContext = new Bindings(http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext { get; }

    public override BindingContext BindingContext { get; }

    /// <summary>HTTP triggers have no retry policy: null, as the worker gives them.</summary>
    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; }

    public override IInvocationFeatures Features { get; } = new InvocationFeatures();

    public override CancellationToken CancellationToken { get; }

    private sealed class Definition(MethodInfo function, string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters { get; } =
            [.. function.GetParameters().Select(p => new FunctionParameter(p.Name!, p.ParameterType))];

        public override string PathToAssembly => function.DeclaringType!.Assembly.Location;

        public override string EntryPoint => $"{function.DeclaringType!.FullName}.{function.Name}";

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class Trace(Activity? activity) : TraceContext
    {
        public override string TraceParent => activity?.Id ?? string.Empty;

        public override string TraceState => activity?.TraceStateString ?? string.Empty;
    }

    private sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => data;
    }

    private sealed class InvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
            {
                _features.Remove(typeof(T));
            }
            else
            {
                _features[typeof(T)] = instance;
            }
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
