using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Validation;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Runs;

/// <summary>The runs that adjust a released year: its settlement against actual figures, and corrections of one entry.</summary>
public sealed partial class RunService
{
    /// <summary>
    /// Starts the settlement (清算) of a past fiscal year: the same parameters document (the program and year of the
    /// advance, the same formula version; the envelope may be the final appropriation) over actual figures. Refused
    /// when the year has no completed advance, or is settled or being settled already. The run then goes through the
    /// same approvals and writes settlement top-ups and recoveries.
    /// </summary>
    public async Task<RunRecord> StartSettlementAsync(string parametersJson, string actualsCsv, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        var input = ParseInput(parametersJson, actualsCsv, approvalTimeout, decisionRecheck, RecipientLevel.Province);

        var settled = GrantAllocator.Allocate(input.Parameters, input.Provinces);
        var p = input.Parameters;
        var advance = (await runs.ListOfYearAsync(p.Program, p.FiscalYear, RunKinds.Advance, cancellationToken))
            .FirstOrDefault(r => r.Status == RunStatuses.Completed)
            ?? throw new ConflictException(ProblemCodes.NoAdvance, $"{p.Program} has no completed advance for fiscal year {p.FiscalYear}; there is nothing to settle.", ("program", p.Program), ("year", p.FiscalYear));
        var advanceVersion = (await allocations.LoadAsync(advance.RunId, cancellationToken)).Select(a => a.Explanation.FormulaVersion).FirstOrDefault();
        if (advanceVersion != settled.FormulaVersion)
        {
            throw new InputValidationException([new ValidationError("formula.kind", null, $"the advance used formula {advanceVersion}; a settlement must use the same formula version, not {settled.FormulaVersion}.").With(ErrorCodes.FormulaVersionChanged, ("advance", advanceVersion), ("settlement", settled.FormulaVersion))]);
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
        var claim = RunRepository.SettlementClaim(p.Program, p.FiscalYear);
        await ClaimOrRefuseAsync(claim, record.RunId, holder => new ConflictException(ProblemCodes.YearSettled, $"fiscal year {p.FiscalYear} of {p.Program} is settled or being settled already (held by run {holder}); a year is settled once.", ("program", p.Program), ("year", p.FiscalYear), ("run", holder)), cancellationToken);

        // A settlement nets the ledger as it stands: no correction of the year may be under way (corrections check
        // the settlement claim after taking theirs, so of two started at once at least one sees the other).
        var open = (await runs.ListOfYearAsync(p.Program, p.FiscalYear, RunKinds.Correction, cancellationToken)).FirstOrDefault(r => !RunStatuses.IsTerminal(r.Status));
        if (open is not null)
        {
            await runs.ReleaseClaimAsync(claim, record.RunId, cancellationToken);
            throw new ConflictException(ProblemCodes.CorrectionOpen, $"correction run {open.RunId} of {p.Program} {p.FiscalYear} is {open.Status}; settle the year after it has ended.", ("program", p.Program), ("year", p.FiscalYear), ("run", open.RunId));
        }

        return await StoreAndScheduleAsync(record, parametersJson, actualsCsv, approvalTimeout, decisionRecheck, cancellationToken);
    }

    /// <summary>
    /// Checks a correction of one province's entry in a completed advance or remainder before anything is written:
    /// the run and the entry exist, the amount changes and stays within the run's envelope, and the year is not
    /// settled. Throws <see cref="InputValidationException"/> or <see cref="ConflictException"/>.
    /// </summary>
    public async Task<(CorrectionRequest Request, RunRecord Original)> CheckCorrectionAsync(string correctionJson, CancellationToken cancellationToken = default)
    {
        var request = CorrectionRequests.Parse(correctionJson);
        var original = await runs.FindAsync(request.CorrectsRunId, cancellationToken)
            ?? throw new InputValidationException([new ValidationError("correctsRunId", null, $"run {request.CorrectsRunId} does not exist.").With(ErrorCodes.UnknownRun, ("value", request.CorrectsRunId))]);
        if (!RunKinds.SplitsEnvelope(original.Kind) || original.Status != RunStatuses.Completed)
        {
            throw new ConflictException(ProblemCodes.NotCorrectable, $"run {original.RunId} is a {original.Kind} run that is {original.Status}; only completed advances and remainder releases are corrected.", ("run", original.RunId), ("kind", original.Kind), ("status", original.Status));
        }

        var entry = (await allocations.LoadAsync(original.RunId, cancellationToken)).FirstOrDefault(a => a.Code == request.ProvinceCode)
            ?? throw new InputValidationException([new ValidationError("provinceCode", null, $"run {original.RunId} has no entry for province {request.ProvinceCode}.").With(ErrorCodes.NoEntryForProvince, ("province", request.ProvinceCode), ("run", original.RunId))]);
        if (entry.AmountYuan == request.AmountYuan)
        {
            throw new InputValidationException([new ValidationError("amountYuan", null, $"province {request.ProvinceCode} already has {request.AmountYuan} yuan in run {original.RunId}; nothing to correct.").With(ErrorCodes.NothingToCorrect, ("province", request.ProvinceCode), ("amount", request.AmountYuan))]);
        }

        // A province's corrected entry cannot exceed the whole envelope the run split between the provinces.
        if (request.AmountYuan > original.EnvelopeYuan)
        {
            throw new InputValidationException([new ValidationError("amountYuan", null, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{request.AmountYuan:N0} yuan is more than the {original.EnvelopeYuan:N0} yuan envelope of run {original.RunId}; a province's entry is a share of its program's envelope.")).With(ErrorCodes.CorrectionTooLarge, ("value", request.AmountYuan), ("limit", original.EnvelopeYuan))]);
        }

        // Rule: a settled (or being settled) year is closed; its amounts change through the settlement, not corrections.
        if (await runs.ClaimHolderAsync(RunRepository.SettlementClaim(original.Program, original.FiscalYear), cancellationToken) is { } settlement)
        {
            throw new ConflictException(ProblemCodes.YearSettled, $"fiscal year {original.FiscalYear} of {original.Program} is settled or being settled (run {settlement}); a settled year is not corrected.", ("program", original.Program), ("year", original.FiscalYear), ("run", settlement));
        }

        return (request, original);
    }

    /// <summary>
    /// Starts the correction of one province's entry in a completed advance. Refused when the run or the entry does
    /// not exist, when the amount would not change or exceeds the run's envelope, or when the entry is already
    /// corrected (or being corrected). With <paramref name="runId"/> (an upheld dispute's own correction id) a repeat
    /// answers the run it started the first time: one correction per dispute, however often the uphold is retried.
    /// </summary>
    public async Task<RunRecord> StartCorrectionAsync(string correctionJson, string startedBy, TimeSpan? approvalTimeout = null, TimeSpan? decisionRecheck = null, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        if (ValidateTimeouts(approvalTimeout, decisionRecheck) is { Count: > 0 } timeoutErrors)
        {
            CorrectionRequests.Parse(correctionJson);
            throw new InputValidationException(timeoutErrors);
        }

        if (runId is not null && await runs.FindAsync(runId, cancellationToken) is { } started)
        {
            await ScheduleAsync(started, cancellationToken); // stored by an earlier attempt: make sure it runs
            return started;
        }

        var (request, original) = await CheckCorrectionAsync(correctionJson, cancellationToken);
        var record = new RunRecord
        {
            RunId = runId ?? Guid.NewGuid().ToString("N"),
            Kind = RunKinds.Correction,
            Program = original.Program,
            FiscalYear = original.FiscalYear,
            EnvelopeYuan = request.AmountYuan,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Status = RunStatuses.Started,
        };
        var claim = RunRepository.CorrectionClaim(original.RunId, request.ProvinceCode);
        await ClaimOrRefuseAsync(claim, record.RunId, holder => new ConflictException(ProblemCodes.EntryCorrected, $"the entry of province {request.ProvinceCode} in run {original.RunId} is corrected or being corrected already (held by run {holder}).", ("province", request.ProvinceCode), ("run", original.RunId), ("holder", holder)), cancellationToken);

        // Corrections check the settlement claim after taking theirs, so of a settlement and a correction started at
        // once at least one sees the other.
        if (await runs.ClaimHolderAsync(RunRepository.SettlementClaim(original.Program, original.FiscalYear), cancellationToken) is { } settlement)
        {
            await runs.ReleaseClaimAsync(claim, record.RunId, cancellationToken);
            throw new ConflictException(ProblemCodes.YearSettled, $"fiscal year {original.FiscalYear} of {original.Program} is settled or being settled (run {settlement}); a settled year is not corrected.", ("program", original.Program), ("year", original.FiscalYear), ("run", settlement));
        }

        return await StoreAndScheduleAsync(record, correctionJson, string.Empty, approvalTimeout, decisionRecheck, cancellationToken);
    }
}
