namespace GrantFlow.Integration.Tests;

// The suites that run on both hosts: the local host's operations table, and the Functions app's own triggers (its
// composition, worker middleware, orchestrator and activity functions) behind App Service authentication. One pair
// of one-line classes per suite, kept together so that no suite is left on one host.

public sealed class HttpApiOnLocalHost(EngineFixture fixture) : HttpApiTests(fixture), IClassFixture<EngineFixture>;

public sealed class HttpApiOnFunctionsApp(FunctionsEngineFixture fixture) : HttpApiTests(fixture), IClassFixture<FunctionsEngineFixture>;
