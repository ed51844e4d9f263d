namespace GrantFlow.Integration.Tests;

// The suites that run on both hosts: the local host's operations table, and the Functions app's own triggers (its
// composition, worker middleware, orchestrator and activity functions) behind App Service authentication. One pair
// of one-line classes per suite, kept together so that no suite is left on one host.

public sealed class HttpApiOnLocalHost(EngineFixture fixture) : HttpApiTests(fixture), IClassFixture<EngineFixture>;

public sealed class HttpApiOnFunctionsApp(FunctionsEngineFixture fixture) : HttpApiTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class RoleMatrixOnLocalHost(EngineFixture fixture) : RoleMatrixTests(fixture), IClassFixture<EngineFixture>;

public sealed class RoleMatrixOnFunctionsApp(FunctionsEngineFixture fixture) : RoleMatrixTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class BadInputOnLocalHost(EngineFixture fixture) : BadInputCorpusTests(fixture), IClassFixture<EngineFixture>;

public sealed class BadInputOnFunctionsApp(FunctionsEngineFixture fixture) : BadInputCorpusTests(fixture), IClassFixture<FunctionsEngineFixture>;
