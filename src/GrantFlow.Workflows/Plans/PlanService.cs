using GrantFlow.Contracts;
using GrantFlow.Domain.Plans;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Plans;

/// <summary>What setting a plan did: a new version, or none (the figures were already the current ones).</summary>
public sealed record PlanSetOutcome(ProgramYearPlan Plan, bool Created);

/// <summary>Program-years' plans: set by finance officers (every version kept), read with where each year stands.</summary>
public sealed class PlanService(PlanRepository plans, LedgerQueryService ledger, TimeProvider time, PlanAudit audit, LedgerAnchorStore anchors) : IProgramStandings
{
    /// <summary>
    /// Sets a program-year's expected amount and kind. The same figures again add nothing (a command run twice is
    /// harmless); a change needs a reason and may not go below what is released already. Bad input throws
    /// <see cref="InputValidationException"/>; a change that lost a race or undercuts the releases throws
    /// <see cref="ConflictException"/>. Nothing is written in either case.
    /// </summary>
    public async Task<PlanSetOutcome> SetAsync(string program, int fiscalYear, SetPlanBody body, string setBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(setBy);
        var kind = body.TransferKind ?? (GrantProgramCatalog.TryGet(program ?? string.Empty, out var known) ? known.TransferKind : null);
        var early = PlanRules.Validate(program!, fiscalYear, kind, body.ExpectedYuan, body.Reason, isChange: false);
        if (early.Count > 0)
        {
            throw new InputValidationException(early);
        }

        var current = await plans.CurrentAsync(program!, fiscalYear, cancellationToken);
        if (current is not null && current.ExpectedYuan == body.ExpectedYuan && string.Equals(current.TransferKind, kind, StringComparison.Ordinal))
        {
            await anchors.WritePlanAsync(PlanAudit.AnchorOf(current, time.GetUtcNow()), cancellationToken); // the same command again writes an anchor a crash lost
            return new PlanSetOutcome(current, Created: false);
        }

        if (current is not null && PlanRules.Validate(program!, fiscalYear, kind, body.ExpectedYuan, body.Reason, isChange: true) is { Count: > 0 } change)
        {
            throw new InputValidationException(change);
        }

        var standing = (await StandingsAsync(fiscalYear, program, cancellationToken: cancellationToken)).SingleOrDefault();
        if (standing is not null && body.ExpectedYuan < standing.ReleasedYuan)
        {
            throw new ConflictException(ProblemCodes.PlanBelowReleased, $"{body.ExpectedYuan:N0} yuan is less than the {standing.ReleasedYuan:N0} yuan of {program} {fiscalYear} already released; a year's expected amount is not set below what it released.", ("program", program), ("year", fiscalYear), ("expected", body.ExpectedYuan), ("released", standing.ReleasedYuan));
        }

        var next = PlanChain.Next(current, new ProgramYearPlan
        {
            Program = program!,
            FiscalYear = fiscalYear,
            TransferKind = kind!,
            ExpectedYuan = body.ExpectedYuan,
            SetBy = setBy,
            SetAt = time.GetUtcNow(),
            Reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim(),
        });
        if (!await plans.TryAddAsync(next, cancellationToken))
        {
            throw new ConflictException(ProblemCodes.PlanChanged, $"the plan of {program} {fiscalYear} was changed by someone else meanwhile (version {next.Version} exists); read it again and decide.", ("program", program), ("year", fiscalYear), ("version", next.Version));
        }

        await anchors.WritePlanAsync(PlanAudit.AnchorOf(next, time.GetUtcNow()), cancellationToken);

        return new PlanSetOutcome(next, Created: true);
    }

    /// <summary>A program-year's plan with its versions and their chain check, or null without one.</summary>
    public async Task<PlanAnswer?> GetAsync(string program, int fiscalYear, CancellationToken cancellationToken = default)
    {
        var versions = await plans.VersionsAsync(program, fiscalYear, cancellationToken);
        if (versions.Count == 0)
        {
            return null;
        }

        var current = versions[^1];
        var minimum = current.Assess(0);
        return new PlanAnswer(current, versions, minimum.MinimumPercent, minimum.MinimumAdvanceYuan, await audit.ProblemsAsync(program, fiscalYear, versions, cancellationToken: cancellationToken));
    }

    /// <summary>The current plan of a program-year, or null (what a release is checked against).</summary>
    public Task<ProgramYearPlan?> CurrentAsync(string program, int fiscalYear, CancellationToken cancellationToken = default) =>
        plans.CurrentAsync(program, fiscalYear, cancellationToken);

    /// <summary>
    /// Where each program of a year (or one program) stands: its plan beside its central ledger entries (read here, or
    /// <paramref name="centralEntries"/> when the caller has just read them).
    /// </summary>
    public async Task<IReadOnlyList<ProgramYearStanding>> StandingsAsync(int fiscalYear, string? program, IReadOnlyList<Domain.Ledger.LedgerEntry>? centralEntries = null, CancellationToken cancellationToken = default)
    {
        var yearPlans = program is null
            ? await plans.CurrentOfYearAsync(fiscalYear, cancellationToken)
            : (await plans.CurrentAsync(program, fiscalYear, cancellationToken)) is { } one ? [one] : [];
        var entries = centralEntries?.ToList();
        if (entries is null)
        {
            entries = [];
            await foreach (var entry in ledger.AllAsync(new LedgerQuery(fiscalYear, program), cancellationToken))
            {
                if (Domain.Ledger.LedgerEntryKinds.Sign(entry.Kind) != 0)
                {
                    entries.Add(entry);
                }
            }
        }

        return ProgramYearStanding.Compute(entries, yearPlans);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PlanStandingLine>> OfAsync(int fiscalYear, string? program, IReadOnlyList<Domain.Ledger.LedgerEntry> centralEntries, CancellationToken cancellationToken = default) =>
        [.. (await StandingsAsync(fiscalYear, program, centralEntries, cancellationToken)).Select(PlanStandingLine.From)];

    /// <inheritdoc />
    public Task<IReadOnlyList<Domain.Ledger.LedgerVerification>> VerifyPlansAsync(int? fiscalYear, CancellationToken cancellationToken = default) =>
        audit.VerifyAsync(fiscalYear, cancellationToken);
}
