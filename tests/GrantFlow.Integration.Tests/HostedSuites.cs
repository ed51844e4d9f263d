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

public sealed class PrefecturePassDownOnLocalHost(EngineFixture fixture) : PrefecturePassDownTests(fixture), IClassFixture<EngineFixture>;

public sealed class PrefecturePassDownOnFunctionsApp(FunctionsEngineFixture fixture) : PrefecturePassDownTests(fixture), IClassFixture<FunctionsEngineFixture>;

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

public sealed class StorageFaultsOnLocalHost(Xunit.Abstractions.ITestOutputHelper output) : StorageFaultTests(output)
{
    protected override bool ThroughFunctionsApp => false;
}

public sealed class StorageFaultsOnFunctionsApp(Xunit.Abstractions.ITestOutputHelper output) : StorageFaultTests(output)
{
    protected override bool ThroughFunctionsApp => true;
}

public sealed class ApiPolishOnLocalHost(EngineFixture fixture) : ApiPolishTests(fixture), IClassFixture<EngineFixture>;

public sealed class ApiPolishOnFunctionsApp(FunctionsEngineFixture fixture) : ApiPolishTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class OpenApiDocumentOnLocalHost(EngineFixture fixture) : OpenApiDocumentTests(fixture), IClassFixture<EngineFixture>;

public sealed class OpenApiDocumentOnFunctionsApp(FunctionsEngineFixture fixture) : OpenApiDocumentTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class CliApiCommandOnLocalHost(EngineFixture fixture) : CliApiCommandTests(fixture), IClassFixture<EngineFixture>;

public sealed class CliApiCommandOnFunctionsApp(FunctionsEngineFixture fixture) : CliApiCommandTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ConcurrencyOnLocalHost(EngineFixture fixture) : ConcurrencyTests(fixture), IClassFixture<EngineFixture>;

public sealed class ConcurrencyOnFunctionsApp(FunctionsEngineFixture fixture) : ConcurrencyTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ConsoleSignInAndRolesOnLocalHost(EngineFixture fixture) : ConsoleSignInAndRolesTests(fixture), IClassFixture<EngineFixture>;

public sealed class ConsoleSignInAndRolesOnFunctionsApp(FunctionsEngineFixture fixture) : ConsoleSignInAndRolesTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class HardeningOnLocalHost(EngineFixture fixture) : HardeningTests(fixture), IClassFixture<EngineFixture>;

public sealed class HardeningOnFunctionsApp(FunctionsEngineFixture fixture) : HardeningTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class LedgerQueryOnLocalHost(EngineFixture fixture) : LedgerQueryTests(fixture), IClassFixture<EngineFixture>;

public sealed class LedgerQueryOnFunctionsApp(FunctionsEngineFixture fixture) : LedgerQueryTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class LedgerTamperOnLocalHost(EngineFixture fixture) : LedgerTamperTests(fixture), IClassFixture<EngineFixture>;

public sealed class LedgerTamperOnFunctionsApp(FunctionsEngineFixture fixture) : LedgerTamperTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class MonthlyReportOnLocalHost(EngineFixture fixture) : MonthlyReportTests(fixture), IClassFixture<EngineFixture>;

public sealed class MonthlyReportOnFunctionsApp(FunctionsEngineFixture fixture) : MonthlyReportTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ReplayOnLocalHost(EngineFixture fixture) : ReplayTests(fixture), IClassFixture<EngineFixture>;

public sealed class ReplayOnFunctionsApp(FunctionsEngineFixture fixture) : ReplayTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class TelemetryOnLocalHost(EngineFixture fixture) : TelemetryTests(fixture), IClassFixture<EngineFixture>;

public sealed class TelemetryOnFunctionsApp(FunctionsEngineFixture fixture) : TelemetryTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class LostTaskHubDeadlineOnLocalHost(EngineFixture fixture) : LostTaskHubDeadlineTests(fixture), IClassFixture<EngineFixture>;

public sealed class LostTaskHubDeadlineOnFunctionsApp(FunctionsEngineFixture fixture) : LostTaskHubDeadlineTests(fixture), IClassFixture<FunctionsEngineFixture>;

/// <summary>The chaser's short time scales, with the Functions app's functions running the deadlines.</summary>
public sealed class ShortDeadlinesOnFunctionsFixture : ShortDeadlinesFixture
{
    public override bool ThroughFunctionsApp => true;
}

public sealed class PassDownDeadlineOnLocalHost(ShortDeadlinesFixture fixture) : PassDownDeadlineTests(fixture), IClassFixture<ShortDeadlinesFixture>;

public sealed class PassDownDeadlineOnFunctionsApp(ShortDeadlinesOnFunctionsFixture fixture) : PassDownDeadlineTests(fixture), IClassFixture<ShortDeadlinesOnFunctionsFixture>;

public sealed class RunIndexOnLocalHost(EngineFixture fixture) : RunIndexTests(fixture), IClassFixture<EngineFixture>;

public sealed class RunIndexOnFunctionsApp(FunctionsEngineFixture fixture) : RunIndexTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class PlanOnLocalHost(EngineFixture fixture) : PlanTests(fixture), IClassFixture<EngineFixture>;

public sealed class PlanOnFunctionsApp(FunctionsEngineFixture fixture) : PlanTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class WorkbookInputOnLocalHost(EngineFixture fixture) : WorkbookInputTests(fixture), IClassFixture<EngineFixture>;

public sealed class WorkbookInputOnFunctionsApp(FunctionsEngineFixture fixture) : WorkbookInputTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class DisclosureOnLocalHost(EngineFixture fixture) : DisclosureTests(fixture), IClassFixture<EngineFixture>;

public sealed class DisclosureOnFunctionsApp(FunctionsEngineFixture fixture) : DisclosureTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class NoticeReceiveOnLocalHost(EngineFixture fixture) : NoticeReceiveTests(fixture), IClassFixture<EngineFixture>;

public sealed class NoticeReceiveOnFunctionsApp(FunctionsEngineFixture fixture) : NoticeReceiveTests(fixture), IClassFixture<FunctionsEngineFixture>;

public sealed class ForgedDecisionOnLocalHost(EngineFixture fixture) : ForgedDecisionTests(fixture), IClassFixture<EngineFixture>;

public sealed class ForgedDecisionOnFunctionsApp(FunctionsEngineFixture fixture) : ForgedDecisionTests(fixture), IClassFixture<FunctionsEngineFixture>;
