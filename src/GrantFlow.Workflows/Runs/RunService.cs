using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Inputs;
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
        await runs.CreateAsync(record, parametersJson, provincesCsv, cancellationToken);
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
