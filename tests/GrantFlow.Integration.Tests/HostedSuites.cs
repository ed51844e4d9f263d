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

public sealed class AllocationRunOnLocalHost(EngineFixture fixture) : AllocationRunTests(fixture), IClassFixture<EngineFixture>;

public sealed class AllocationRunOnFunctionsApp(FunctionsEngineFixture fixture) : AllocationRunTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class CorrectionOnLocalHost(EngineFixture fixture) : CorrectionTests(fixture), IClassFixture<EngineFixture>;

public sealed class CorrectionOnFunctionsApp(FunctionsEngineFixture fixture) : CorrectionTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class DisputeOnLocalHost(EngineFixture fixture) : DisputeTests(fixture), IClassFixture<EngineFixture>;

public sealed class DisputeOnFunctionsApp(FunctionsEngineFixture fixture) : DisputeTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ExactlyOnceOnLocalHost(EngineFixture fixture) : ExactlyOnceTests(fixture), IClassFixture<EngineFixture>;

public sealed class ExactlyOnceOnFunctionsApp(FunctionsEngineFixture fixture) : ExactlyOnceTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class PassDownOnLocalHost(EngineFixture fixture) : PassDownTests(fixture), IClassFixture<EngineFixture>;

public sealed class PassDownOnFunctionsApp(FunctionsEngineFixture fixture) : PassDownTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class RemainderReleaseOnLocalHost(EngineFixture fixture) : RemainderReleaseTests(fixture), IClassFixture<EngineFixture>;

public sealed class RemainderReleaseOnFunctionsApp(FunctionsEngineFixture fixture) : RemainderReleaseTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class SettlementOnLocalHost(EngineFixture fixture) : SettlementTests(fixture), IClassFixture<EngineFixture>;

public sealed class SettlementOnFunctionsApp(FunctionsEngineFixture fixture) : SettlementTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ChasingOnLocalHost(EngineFixture fixture) : ChasingTests(fixture), IClassFixture<EngineFixture>;

public sealed class ChasingOnFunctionsApp(FunctionsEngineFixture fixture) : ChasingTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class CrashRecoveryOnLocalHost : CrashRecoveryTests
{
    protected override string Host => "local";
}

public sealed class CrashRecoveryOnFunctionsApp : CrashRecoveryTests
{
    protected override string Host => "functions";
}
