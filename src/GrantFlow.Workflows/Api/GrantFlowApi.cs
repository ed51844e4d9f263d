using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Reports;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Api;

/// <summary>
/// The HTTP API's behaviour, independent of the host: the Functions app and the local host both map their routes
/// to these handler groups (one per resource), so both authorise, validate and answer the same way. Every handler
/// checks the caller's role first and writes nothing when it refuses.
/// </summary>
public sealed class GrantFlowApi(RunEndpoints runs, LedgerEndpoints ledger, NoticeEndpoints notices, ReportEndpoints reports, Chasing.ChaseEndpoints chases, Disputes.DisputeEndpoints disputes, PassDown.PassDownEndpoints passDowns, RunListEndpoints runList, HealthEndpoints health, Plans.PlanEndpoints plans, Disclosure.DisclosureEndpoints disclosure)
{
    public const string ListRunsRoute = RunListEndpoints.Route;
    public const string HealthRoute = HealthEndpoints.Route;
    public const string OpenApiRoute = OpenApiEndpoints.Route;
    public const string RolesRoute = RoleSourceEndpoints.Route;

    public const string StartRunRoute = ApiRoutes.Runs;
    public const string RunRoute = ApiRoutes.Run;
    public const string DecisionsRoute = ApiRoutes.Decisions;
    public const string LedgerRoute = ApiRoutes.RunLedger;
    public const string SettlementsRoute = ApiRoutes.Settlements;
    public const string CorrectionsRoute = ApiRoutes.Corrections;
    public const string LedgerQueryRoute = ApiRoutes.Ledger;
    public const string LedgerTotalsRoute = ApiRoutes.LedgerTotals;
    public const string LedgerExportRoute = ApiRoutes.LedgerExport;
    public const string LedgerVerifyRoute = ApiRoutes.LedgerVerify;
    public const string NoticesRoute = ApiRoutes.ProvinceNotices;
    public const string AcknowledgeRoute = ApiRoutes.Acknowledgement;
    public const string MonthlyReportRoute = ApiRoutes.MonthlyReport;
    public const string ChasesRoute = Chasing.ChaseEndpoints.Route;
    public const string OverduePassDownsRoute = Chasing.ChaseEndpoints.OverdueRoute;
    public const string OpenDisputeRoute = GrantFlow.Workflows.Disputes.DisputeEndpoints.OpenRoute;
    public const string DisputesRoute = GrantFlow.Workflows.Disputes.DisputeEndpoints.ListRoute;
    public const string ResolveDisputeRoute = GrantFlow.Workflows.Disputes.DisputeEndpoints.ResolveRoute;
    public const string PassDownRoute = GrantFlow.Workflows.PassDown.PassDownEndpoints.StartRoute;
    public const string CountyNoticesRoute = GrantFlow.Workflows.PassDown.PassDownEndpoints.CountyNoticesRoute;
    public const string CountyAcknowledgeRoute = GrantFlow.Workflows.PassDown.PassDownEndpoints.CountyAcknowledgeRoute;
    public const string PrefectureNoticesRoute = ApiRoutes.PrefectureNotices;
    public const string PrefectureAcknowledgeRoute = ApiRoutes.PrefectureAcknowledgement;
    public const string PrefecturePassDownRoute = ApiRoutes.PrefecturePassDowns;
    public const string LedgerTraceRoute = ApiRoutes.LedgerTrace;
    public const string PlansRoute = GrantFlow.Workflows.Plans.PlanEndpoints.ListRoute;
    public const string PlanRoute = GrantFlow.Workflows.Plans.PlanEndpoints.Route;
    public const string PublicationRoute = ApiRoutes.Publication;
    public const string PublicFeedRoute = ApiRoutes.PublicFeed;
    public const string PublicIndexRoute = ApiRoutes.PublicIndex;
    public const string PublicReleaseRoute = ApiRoutes.PublicRelease;

    /// <summary>Runs, settlements, corrections and their decisions.</summary>
    public RunEndpoints Runs => runs;

    /// <summary>The auditors' ledger: query, totals, export, verification.</summary>
    public LedgerEndpoints Ledger => ledger;

    /// <summary>A province's notices and their acknowledgement.</summary>
    public NoticeEndpoints Notices => notices;

    /// <summary>The monthly fund report.</summary>
    public ReportEndpoints Reports => reports;

    /// <summary>The chase list: notices still unacknowledged.</summary>
    public Chasing.ChaseEndpoints Chases => chases;

    /// <summary>Provinces' disputes of their notices and their resolution.</summary>
    public Disputes.DisputeEndpoints Disputes => disputes;

    /// <summary>Provinces' and prefectures' pass-downs, and the prefectures' and counties' notices.</summary>
    public PassDown.PassDownEndpoints PassDowns => passDowns;

    /// <summary>The runs a caller may see, filtered and paged.</summary>
    public RunListEndpoints RunList => runList;

    /// <summary>Whether the API and its storage answer.</summary>
    public HealthEndpoints Health => health;

    /// <summary>Program-years' expected amounts (the advance-ratio rule) and where each year stands.</summary>
    public Plans.PlanEndpoints Plans => plans;

    /// <summary>Released runs published as open data, and the public files.</summary>
    public Disclosure.DisclosureEndpoints Disclosure => disclosure;

    /// <summary>
    /// The API over a given Durable client (the Functions app gets its client per invocation from the
    /// [DurableClient] binding; the local host resolves it from DI).
    /// </summary>
    public static GrantFlowApi Create(IServiceProvider services, DurableTaskClient client)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var outbox = services.GetRequiredService<NoticeOutbox>();
        var runService = RunService.Create(services, client);
        return new GrantFlowApi(
            new RunEndpoints(
                runService,
                new ApprovalService(services.GetRequiredService<RunRepository>(), services.GetRequiredService<DecisionRepository>(), client, time)),
            new LedgerEndpoints(
                services.GetRequiredService<LedgerRepository>(),
                services.GetRequiredService<LedgerQueryService>(),
                services.GetRequiredService<LedgerExport>(),
                services.GetRequiredService<LedgerAuditService>(),
                services.GetRequiredService<IRunRecords>(),
                services.GetRequiredService<IProgramStandings>(),
                services.GetRequiredService<LedgerTracer>()),
            new NoticeEndpoints(services.GetRequiredService<NoticeAcknowledgements>(), time),
            new ReportEndpoints(services.GetRequiredService<MonthlyFundReport>()),
            services.GetRequiredService<Chasing.ChaseEndpoints>(),
            new Disputes.DisputeEndpoints(services.GetRequiredService<Disputes.DisputeService>(), services.GetRequiredService<Disputes.DisputeRepository>(), runService, outbox),
            new PassDown.PassDownEndpoints(services.GetRequiredService<PassDown.PassDownService>(), runService, outbox, services.GetRequiredService<NoticeAcknowledgements>(), time),
            services.GetRequiredService<RunListEndpoints>(),
            services.GetRequiredService<HealthEndpoints>(),
            services.GetRequiredService<Plans.PlanEndpoints>(),
            services.GetRequiredService<Disclosure.DisclosureEndpoints>());
    }
}
