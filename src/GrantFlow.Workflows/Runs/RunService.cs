using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Orchestrations;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Workflows.Runs;

/// <summary>A run as the API shows it: its record, its allocation and its decisions.</summary>
public sealed record RunView(RunRecord Run, IReadOnlyList<ProvinceAllocation> Allocations, IReadOnlyList<ApprovalDecision> Decisions, string? Progress);

/// <summary>Starts and reads allocation runs (used by the HTTP API, the CLI and the tests).</summary>
public sealed class RunService(
    RunRepository runs,
    AllocationRepository allocations,
    DecisionRepository decisions,
    DurableTaskClient client,
    TimeProvider time)
{
    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultDecisionRecheck = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Validates the input completely (including that the floors fit the envelope), stores it with the run record,
    /// then starts the orchestration with the run id as instance id. Bad input throws before anything is written.
    /// </summary>
    public async Task<RunRecord> StartAsync(string parametersJson, string provincesCsv, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        RunInput input;
        using (var reader = new StringReader(provincesCsv))
        {
            input = RunInput.Parse(parametersJson, reader);
        }

        GrantAllocator.Allocate(input.Parameters, input.Provinces); // refuses infeasible floors up front
        var record = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Program = input.Parameters.Program,
            FiscalYear = input.Parameters.FiscalYear,
            EnvelopeYuan = input.Parameters.EnvelopeYuan,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
        };
        return await StoreAndScheduleAsync(record, parametersJson, provincesCsv, approvalTimeout, decisionRecheck, cancellationToken);
    }

    /// <summary>
    /// Starts the settlement (清算) of a past fiscal year: the same parameters document (the program and year of the
    /// advance, the same formula version; the envelope may be the final appropriation) over actual figures. Refused
    /// when the year has no completed advance, or is settled or being settled already. The run then goes through the
    /// same approvals and writes settlement top-ups and recoveries.
    /// </summary>
    public async Task<RunRecord> StartSettlementAsync(string parametersJson, string actualsCsv, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        RunInput input;
        using (var reader = new StringReader(actualsCsv))
        {
            input = RunInput.Parse(parametersJson, reader);
        }

        var settled = GrantAllocator.Allocate(input.Parameters, input.Provinces);
        var p = input.Parameters;
        var advance = (await runs.ListAsync(cancellationToken))
            .Where(r => r.Kind == RunKinds.Advance && r.Program == p.Program && r.FiscalYear == p.FiscalYear && r.Status == RunStatuses.Completed)
            .OrderBy(r => r.StartedAt)
            .FirstOrDefault()
            ?? throw new RunConflictException($"{p.Program} has no completed advance for fiscal year {p.FiscalYear}; there is nothing to settle.");
        var advanceVersion = (await allocations.LoadAsync(advance.RunId, cancellationToken)).Select(a => a.Explanation.FormulaVersion).FirstOrDefault();
        if (advanceVersion != settled.FormulaVersion)
        {
            throw new InputValidationException([new ValidationError("formula.kind", null, $"the advance used formula {advanceVersion}; a settlement must use the same formula version, not {settled.FormulaVersion}.")]);
        }

        var record = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Kind = RunKinds.Settlement,
            Program = p.Program,
            FiscalYear = p.FiscalYear,
            EnvelopeYuan = p.EnvelopeYuan,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
        };
        if (!await runs.TryClaimAsync(RunRepository.SettlementClaim(p.Program, p.FiscalYear), record.RunId, cancellationToken))
        {
            throw new RunConflictException($"fiscal year {p.FiscalYear} of {p.Program} is settled or being settled already; a year is settled once.");
        }

        return await StoreAndScheduleAsync(record, parametersJson, actualsCsv, approvalTimeout, decisionRecheck, cancellationToken);
    }

    /// <summary>
    /// Starts the correction of one province's entry in a completed advance. Refused when the run or the entry does
    /// not exist, when the amount would not change, or when the entry is already corrected (or being corrected).
    /// </summary>
    public async Task<RunRecord> StartCorrectionAsync(string correctionJson, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        var request = CorrectionRequest.Parse(correctionJson);
        var original = await runs.FindAsync(request.CorrectsRunId, cancellationToken)
            ?? throw new InputValidationException([new ValidationError("correctsRunId", null, $"run {request.CorrectsRunId} does not exist.")]);
        if (original.Kind != RunKinds.Advance || original.Status != RunStatuses.Completed)
        {
            throw new RunConflictException($"run {original.RunId} is a {original.Kind} run that is {original.Status}; only completed advances are corrected.");
        }

        var entry = (await allocations.LoadAsync(original.RunId, cancellationToken)).FirstOrDefault(a => a.Code == request.ProvinceCode)
            ?? throw new InputValidationException([new ValidationError("provinceCode", null, $"run {original.RunId} has no entry for province {request.ProvinceCode}.")]);
        if (entry.AmountYuan == request.AmountYuan)
        {
            throw new InputValidationException([new ValidationError("amountYuan", null, $"province {request.ProvinceCode} already has {request.AmountYuan} yuan in run {original.RunId}; nothing to correct.")]);
        }

        var record = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Kind = RunKinds.Correction,
            Program = original.Program,
            FiscalYear = original.FiscalYear,
            EnvelopeYuan = request.AmountYuan,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
        };
        if (!await runs.TryClaimAsync(RunRepository.CorrectionClaim(original.RunId, request.ProvinceCode), record.RunId, cancellationToken))
        {
            throw new RunConflictException($"the entry of province {request.ProvinceCode} in run {original.RunId} is corrected or being corrected already.");
        }

        return await StoreAndScheduleAsync(record, correctionJson, string.Empty, approvalTimeout, decisionRecheck, cancellationToken);
    }

    /// <summary>Stores the run's input and record, then starts its orchestration with the run id as instance id.</summary>
    private async Task<RunRecord> StoreAndScheduleAsync(RunRecord record, string parametersJson, string csv, TimeSpan? approvalTimeout, TimeSpan? decisionRecheck, CancellationToken cancellationToken)
    {
        await runs.CreateAsync(record, parametersJson, csv, cancellationToken);
        await client.ScheduleNewOrchestrationInstanceAsync(
            AllocationRunOrchestrator.Name,
            new AllocationRunRequest(record.RunId, approvalTimeout ?? DefaultApprovalTimeout, decisionRecheck ?? DefaultDecisionRecheck),
            new StartOrchestrationOptions(record.RunId),
            cancellationToken);
        return record;
    }

    public async Task<RunView?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var record = await runs.FindAsync(runId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
        return new RunView(
            record,
            await allocations.LoadAsync(runId, cancellationToken),
            await decisions.ListAsync(runId, cancellationToken),
            instance?.SerializedCustomStatus);
    }
}
