using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Runs;

/// <summary>What a recovery sweep did: runs scheduled for the first time, restarted (orchestration lost), failed (orchestration ended without the run), and claims freed.</summary>
public sealed record RunRecovery(IReadOnlyList<string> Scheduled, IReadOnlyList<string> Restarted, IReadOnlyList<string> Failed, IReadOnlyList<string> ClaimsFreed)
{
    public IEnumerable<string> Lines()
    {
        if (Scheduled.Count > 0)
        {
            yield return $"Scheduled {Scheduled.Count} run(s) stored but never scheduled: {string.Join(", ", Scheduled)}";
        }

        if (Restarted.Count > 0)
        {
            yield return $"Restarted {Restarted.Count} run(s) whose orchestration was lost, from their records: {string.Join(", ", Restarted)}";
        }

        if (Failed.Count > 0)
        {
            yield return $"Marked {Failed.Count} run(s) failed whose orchestration ended without ending the run: {string.Join(", ", Failed)}";
        }

        if (ClaimsFreed.Count > 0)
        {
            yield return $"Freed {ClaimsFreed.Count} claim(s) held by runs that never came to exist: {string.Join(", ", ClaimsFreed)}";
        }
    }
}

/// <summary>Starts and reads allocation runs (used by the HTTP API, the CLI and the tests).</summary>
public sealed partial class RunService(
    RunRepository runs,
    AllocationRepository allocations,
    DecisionRepository decisions,
    DurableTaskClient client,
    TimeProvider time,
    AllocationRunSteps completion,
    Plans.PlanService plans)
{
    /// <summary>The run service over a given Durable client (the Functions app gets one per invocation).</summary>
    public static RunService Create(IServiceProvider services, DurableTaskClient client) =>
        new(
            services.GetRequiredService<RunRepository>(),
            services.GetRequiredService<AllocationRepository>(),
            services.GetRequiredService<DecisionRepository>(),
            client,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<AllocationRunSteps>(),
            services.GetRequiredService<Plans.PlanService>());

    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultDecisionRecheck = TimeSpan.FromMinutes(1);

    /// <summary>Shortest and longest wait for each approval stage (a deadline must be reachable and in a budget year).</summary>
    public static readonly TimeSpan MinApprovalTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxApprovalTimeout = TimeSpan.FromDays(90);

    /// <summary>Refuses an approval timeout that is not in [<see cref="MinApprovalTimeout"/>, <see cref="MaxApprovalTimeout"/>].</summary>
    public static IReadOnlyList<ValidationError> ValidateTimeouts(TimeSpan? approvalTimeout, TimeSpan? decisionRecheck)
    {
        var errors = new List<ValidationError>();
        if (approvalTimeout is { } timeout && (timeout < MinApprovalTimeout || timeout > MaxApprovalTimeout))
        {
            errors.Add(new ValidationError("approvalTimeout", null, $"{timeout} is outside {MinApprovalTimeout} to {MaxApprovalTimeout.TotalDays:0} days.").With(ErrorCodes.OutOfRange, ("value", timeout), ("min", MinApprovalTimeout), ("max", MaxApprovalTimeout)));
        }

        if (decisionRecheck is { } recheck && (recheck <= TimeSpan.Zero || recheck > AllocationRunOrchestrator.MaxRecheckInterval))
        {
            errors.Add(new ValidationError("decisionRecheck", null, $"{recheck} is outside (0, {AllocationRunOrchestrator.MaxRecheckInterval}].").With(ErrorCodes.OutOfRange, ("value", recheck), ("min", TimeSpan.Zero), ("max", AllocationRunOrchestrator.MaxRecheckInterval)));
        }

        return errors;
    }

    /// <summary>
    /// Validates the input completely (including that the floors fit the envelope), stores it with the run record,
    /// then starts the orchestration with the run id as instance id. Bad input throws before anything is written.
    /// </summary>
    /// <remarks>
    /// Against the program-year's plan (when it has one) the advance must not exceed the expected amount, and below the
    /// advance-ratio minimum it needs <paramref name="advanceException"/>, a reason the approvers approve with the run.
    /// </remarks>
    public Task<RunRecord> StartAsync(string parametersJson, string provincesCsv, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, RecipientLevel recipients = RecipientLevel.Province, string? advanceException = null, CancellationToken cancellationToken = default) =>
        StartReleaseAsync(RunKinds.Advance, parametersJson, provincesCsv, startedBy, approvalTimeout, decisionRecheck, recipients, advanceException, cancellationToken);

    /// <summary>
    /// Starts the release of the rest of a year's grant (its envelope split by the same rules): allowed once per
    /// program and year, and only after the year's advance has completed. Its ledger entries are of kind remainder.
    /// </summary>
    public Task<RunRecord> StartRemainderAsync(string parametersJson, string provincesCsv, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, CancellationToken cancellationToken = default) =>
        StartReleaseAsync(RunKinds.Remainder, parametersJson, provincesCsv, startedBy, approvalTimeout, decisionRecheck, RecipientLevel.Province, null, cancellationToken);

    private async Task<RunRecord> StartReleaseAsync(string kind, string parametersJson, string provincesCsv, string startedBy, TimeSpan? approvalTimeout, TimeSpan? decisionRecheck, RecipientLevel recipients, string? advanceException, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        var input = ParseInput(parametersJson, provincesCsv, approvalTimeout, decisionRecheck, recipients);

        GrantAllocator.Allocate(input.Parameters, input.Provinces); // refuses infeasible floors up front
        var planned = await CheckAgainstPlanAsync(kind, input.Parameters, advanceException, cancellationToken);
        var record = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Program = input.Parameters.Program,
            FiscalYear = input.Parameters.FiscalYear,
            EnvelopeYuan = input.Parameters.EnvelopeYuan,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
            Recipients = recipients,
            Kind = kind,
            PlanVersion = planned?.Version,
            ExpectedYuan = planned?.ExpectedYuan,
            TransferKind = planned?.TransferKind,
            AdvancePercent = kind == RunKinds.Advance ? planned?.Assess(input.Parameters.EnvelopeYuan).Percent : null,
            MinimumPercent = kind == RunKinds.Advance ? planned?.Assess(input.Parameters.EnvelopeYuan).MinimumPercent : null,
            AdvanceException = string.IsNullOrWhiteSpace(advanceException) ? null : advanceException.Trim(),
        };
        if (kind == RunKinds.Remainder
            && !(await runs.ListOfYearAsync(record.Program, record.FiscalYear, RunKinds.Advance, cancellationToken)).Any(r => r.Status == RunStatuses.Completed))
        {
            throw new ConflictException(ProblemCodes.NoAdvance, $"{record.Program} has no completed advance for {record.FiscalYear}; the remainder is released after the advance.", ("program", record.Program), ("year", record.FiscalYear));
        }

        var claim = kind == RunKinds.Remainder ? RunRepository.RemainderClaim(record.Program, record.FiscalYear) : RunRepository.AdvanceClaim(record.Program, record.FiscalYear);
        await ClaimOrRefuseAsync(claim, record.RunId, holder => new ConflictException(ProblemCodes.AlreadyReleased, $"the {record.FiscalYear} {kind} of {record.Program} is released or being released already (held by run {holder}); one {kind} is released per program and year. A rejected, expired or failed run frees it; to change a province's amount, start a correction.", ("program", record.Program), ("year", record.FiscalYear), ("kind", kind), ("run", holder)), cancellationToken);

        return await StoreAndScheduleAsync(record, parametersJson, provincesCsv, approvalTimeout, decisionRecheck, cancellationToken);
    }

    /// <summary>
    /// Starts a pass-down of one of a payer's notices: a province's to its prefectures or counties, or a prefecture's
    /// to its counties (codes under the payer's), splitting the notice's amount minus the retention, by the same
    /// engine and approvals (the payer's own approvers). One pass-down per notice. The checks on the notice
    /// (acknowledged, not disputed) are the caller's (the pass-down feature's planner).
    /// </summary>
    public async Task<RunRecord> StartPassDownAsync(PassDownPlan plan, string startedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        var input = ParseInput(plan.ParametersJson, plan.RecipientsCsv, plan.ApprovalTimeout, null, plan.Recipients);
        var outside = input.Provinces.Rows.Where(r => !ProvinceCodes.IsBelow(r.Code, plan.PayerCode)).ToList();
        if (outside.Count > 0)
        {
            var payer = plan.PayerCode.Length == 4 ? "prefecture" : "province";
            throw new InputValidationException([.. outside.Select(r => new ValidationError("province_code", r.Line, $"{r.Code} is not under {payer} {plan.PayerCode}; a {payer} passes down to its own {(plan.Recipients == RecipientLevel.Prefecture ? "prefectures" : "counties")}.").With(ErrorCodes.CountyOfAnotherProvince, ("value", r.Code), ("province", plan.PayerCode)))]);
        }

        GrantAllocator.Allocate(input.Parameters, input.Provinces); // refuses infeasible floors up front
        var record = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Kind = RunKinds.PassDown,
            Program = input.Parameters.Program,
            FiscalYear = input.Parameters.FiscalYear,
            EnvelopeYuan = plan.NoticeAmountYuan, // the entries (counties + retention) add up to the central entry
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
            Recipients = plan.Recipients,
            Owner = plan.PayerCode,
            PassesDownNotice = plan.NoticeNumber,
            PassesDown = plan.CentralEntry,
            RetentionYuan = plan.RetentionYuan,
            RetentionShare = plan.RetentionShare,
        };
        await ClaimOrRefuseAsync(RunRepository.PassDownClaim(plan.NoticeNumber), record.RunId, holder => new ConflictException(ProblemCodes.PassedDownAlready, $"notice {plan.NoticeNumber} is passed down or being passed down already (held by run {holder}); a notice is passed down once.", ("notice", plan.NoticeNumber), ("run", holder)), cancellationToken);

        return await StoreAndScheduleAsync(record, plan.ParametersJson, plan.RecipientsCsv, plan.ApprovalTimeout, null, cancellationToken);
    }

    /// <summary>Parses and validates a run's input and its timeouts together (every error at once).</summary>
    private static RunInput ParseInput(string parametersJson, string csv, TimeSpan? approvalTimeout, TimeSpan? decisionRecheck, RecipientLevel recipients)
    {
        var errors = new List<ValidationError>(ValidateTimeouts(approvalTimeout, decisionRecheck));
        ArgumentNullException.ThrowIfNull(csv);
        CsvText.EnsureNotMojibake(csv, "provincesCsv", errors);
        try
        {
            using var reader = new StringReader(csv);
            var input = RunInput.Parse(parametersJson, reader, recipients);
            return errors.Count > 0 ? throw new InputValidationException(errors) : input;
        }
        catch (InputValidationException ex) when (errors.Count > 0)
        {
            throw new InputValidationException([.. errors, .. ex.Errors.Where(e => !errors.Contains(e))]);
        }
    }

    /// <summary>Takes the claim for the run, or refuses it (409) naming the run that holds it.</summary>
    private async Task ClaimOrRefuseAsync(string claim, string runId, Func<string?, ConflictException> refusal, CancellationToken cancellationToken)
    {
        if (!await runs.TryClaimAsync(claim, runId, cancellationToken))
        {
            throw refusal(await runs.ClaimHolderAsync(claim, cancellationToken));
        }
    }

    /// <summary>Stores the run's input and record, then starts its orchestration with the run id as instance id.</summary>
    private async Task<RunRecord> StoreAndScheduleAsync(RunRecord record, string parametersJson, string csv, TimeSpan? approvalTimeout, TimeSpan? decisionRecheck, CancellationToken cancellationToken)
    {
        record = record with { ApprovalTimeout = approvalTimeout ?? DefaultApprovalTimeout, DecisionRecheck = decisionRecheck ?? DefaultDecisionRecheck };
        try
        {
            await runs.CreateAsync(record, parametersJson, csv, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Free what the run claimed only when its record surely does not exist (a write that timed out may have
            // been stored: the recovery sweep then schedules it, and its claim must stand). When that cannot be told,
            // the claim stays; the sweep frees a claim whose run never came to exist.
            if (await RecordSurelyMissingAsync(record.RunId))
            {
                foreach (var claim in ClaimsOf(record, parametersJson))
                {
                    await runs.ReleaseClaimAsync(claim, record.RunId, CancellationToken.None);
                }
            }

            throw;
        }

        await ScheduleAsync(record, cancellationToken);
        return record;
    }

    private async Task<bool> RecordSurelyMissingAsync(string runId)
    {
        try
        {
            return await runs.FindAsync(runId, CancellationToken.None) is null;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or IOException or HttpRequestException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>What a run holds while it is under way: its advance, its settlement or the entry it corrects.</summary>
    public static IEnumerable<string> ClaimsOf(RunRecord record, string parametersJson)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Kind switch
        {
            RunKinds.Advance => [RunRepository.AdvanceClaim(record.Program, record.FiscalYear)],
            RunKinds.Remainder => [RunRepository.RemainderClaim(record.Program, record.FiscalYear)],
            RunKinds.PassDown => [RunRepository.PassDownClaim(record.PassesDownNotice!)],
            RunKinds.Settlement => [RunRepository.SettlementClaim(record.Program, record.FiscalYear)],
            RunKinds.Correction => CorrectionRequests.Parse(parametersJson) is var c ? [RunRepository.CorrectionClaim(c.CorrectsRunId, c.ProvinceCode)] : [],
            _ => [],
        };
    }

    /// <summary>Starts the run's orchestration (instance id = run id) unless it exists already: idempotent.</summary>
    private async Task ScheduleAsync(RunRecord record, CancellationToken cancellationToken)
    {
        if (await client.GetInstanceAsync(record.RunId, cancellationToken) is not null)
        {
            return;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(
            AllocationRunOrchestrator.Name,
            new AllocationRunRequest(record.RunId, record.ApprovalTimeout, record.DecisionRecheck, Version: AllocationRunOrchestrator.CurrentVersion),
            new StartOrchestrationOptions(record.RunId),
            cancellationToken);
    }

    /// <summary>The run's record alone, or null.</summary>
    public Task<RunRecord?> GetRecordAsync(string runId, CancellationToken cancellationToken = default) => runs.FindAsync(runId, cancellationToken);

    public async Task<RunDetail?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var record = await runs.FindAsync(runId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
        return new RunDetail(
            record,
            await allocations.LoadAsync(runId, cancellationToken),
            await decisions.ListAsync(runId, cancellationToken),
            instance?.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<RunProgress>());
    }
}
