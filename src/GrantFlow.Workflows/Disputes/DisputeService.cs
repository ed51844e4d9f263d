using GrantFlow.Contracts;
using System.Text.Json;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Disputes;

/// <summary>What a dispute request came to: the dispute, or why not (not found, conflict).</summary>
/// <summary>How a dispute step ended: done, nothing to act on, or refused by the dispute's (or notice's) state.</summary>
public enum DisputeResult
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>A dispute step's result, the dispute as it stands (when there is one) and what to tell the caller.</summary>
public sealed record DisputeOutcome(Dispute? Dispute, DisputeResult Result, string Message)
{
    /// <summary>Why the step was refused, as a stable code (<see cref="ProblemCodes"/>) with its arguments.</summary>
    public string? Code { get; init; }

    public IReadOnlyDictionary<string, string>? Args { get; init; }
}

/// <summary>
/// Disputes of notices: a province disputes one of its advance (or remainder) notices within the program's window; a
/// finance officer rejects the dispute with a reason, or upholds it, which starts a correction run (reversal +
/// replacement, the usual two approvals) linked to the dispute. Each step is recorded with who took it and when.
/// </summary>
public sealed class DisputeService(DisputeRepository disputes, NoticeOutbox notices, IOptions<DisputeOptions> options, TimeProvider time)
{
    public const int MaxFigures = 20;
    public const int MaxAttachmentLength = 500;

    public static IReadOnlyList<ValidationError> Validate(DisputeBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors.Add(new ValidationError("reason", null, "a dispute needs a reason.").With(ErrorCodes.Required));
        }
        else if (body.Reason.Length > ApiLimits.MaxReasonLength)
        {
            errors.Add(new ValidationError("reason", null, $"{body.Reason.Length:N0} characters; a reason has at most {ApiLimits.MaxReasonLength:N0}.").With(ErrorCodes.TooLong, ("length", body.Reason.Length), ("limit", ApiLimits.MaxReasonLength)));
        }

        if (body.Figures is { Count: > MaxFigures })
        {
            errors.Add(new ValidationError("figures", null, $"{body.Figures.Count} figures; at most {MaxFigures}.").With(ErrorCodes.TooLong, ("length", body.Figures.Count), ("limit", MaxFigures)));
        }
        else
        {
            foreach (var (figure, i) in (body.Figures ?? []).Select((f, i) => (f, i)))
            {
                if (string.IsNullOrWhiteSpace(figure.Field) || figure.Field.Length > 64 || string.IsNullOrWhiteSpace(figure.Claimed) || figure.Claimed.Length > 100)
                {
                    errors.Add(new ValidationError($"figures[{i}]", null, "each figure needs a field (at most 64 characters) and the claimed value (at most 100).").With(ErrorCodes.Invalid));
                }
            }
        }

        if (body.Attachment is { } attachment && (attachment.Length > MaxAttachmentLength || attachment.Any(char.IsControl)))
        {
            errors.Add(new ValidationError("attachment", null, $"an attachment reference of at most {MaxAttachmentLength} printable characters.").With(ErrorCodes.TooLong, ("limit", MaxAttachmentLength)));
        }

        return errors;
    }

    /// <summary>The window rule: a notice may be disputed until <paramref name="window"/> after it was issued.</summary>
    public static bool WithinWindow(DateTimeOffset issuedAt, DateTimeOffset now, TimeSpan window) => now - issuedAt <= window;

    public async Task<DisputeOutcome> OpenAsync(string provinceCode, string noticeNumber, DisputeBody body, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var notice = await notices.FindAsync(provinceCode, noticeNumber, cancellationToken);
        if (notice is null)
        {
            return new(null, DisputeResult.NotFound, $"Province {provinceCode} has no notice {noticeNumber}.") { Code = ProblemCodes.NoticeNotFound, Args = Http.ApiResult.Args(("recipient", provinceCode), ("notice", noticeNumber)) };
        }

        if (notice.Kind is not (LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder))
        {
            return new(null, DisputeResult.Conflict, $"notice {noticeNumber} is a {notice.Kind} notice; advances and remainders are disputed, settlements and corrections are not.") { Code = ProblemCodes.NotPassedDownKind, Args = Http.ApiResult.Args(("notice", noticeNumber), ("kind", notice.Kind)) };
        }

        var now = time.GetUtcNow();
        var window = options.Value.WindowOf(notice.Program);
        if (!WithinWindow(notice.IssuedAt, now, window))
        {
            return new(null, DisputeResult.Conflict, $"notice {noticeNumber} was issued {notice.IssuedAt:yyyy-MM-dd}; its dispute window of {window.TotalDays:0} days has closed.") { Code = ProblemCodes.DisputeWindowClosed, Args = Http.ApiResult.Args(("notice", noticeNumber), ("days", window.TotalDays)) };
        }

        var dispute = new Dispute(
            provinceCode, noticeNumber, notice.RunId, notice.Program, notice.FiscalYear, notice.AmountYuan, DisputeStatuses.Open,
            body.Reason, body.Figures ?? [], body.Attachment, null, [new DisputeStep(DisputeSteps.Opened, by, now, body.Reason)]);
        return await disputes.TryAddAsync(dispute, cancellationToken)
            ? new(dispute, DisputeResult.Done, "disputed")
            : new(null, DisputeResult.Conflict, $"notice {noticeNumber} is disputed already; a notice is disputed once.") { Code = ProblemCodes.DisputedAlready, Args = Http.ApiResult.Args(("notice", noticeNumber)) };
    }

    /// <summary>
    /// The correction run of an upheld dispute: its id derives from the dispute, so however often an uphold is
    /// retried (after a crash, a lost answer, a double click) the dispute has one correction.
    /// </summary>
    public static string CorrectionRunIdOf(string provinceCode, string noticeNumber) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"dispute-correction|{provinceCode}|{noticeNumber}")))[..32];

    /// <summary>
    /// Rejects or upholds an open dispute. Nothing is written until the decision is known to be possible: an uphold's
    /// correction is checked first (a refused amount leaves the dispute as it was). Then the dispute moves
    /// conditionally (of two resolutions at once, one wins) to rejected, or to upholding with the amount; the
    /// correction run (its id derived from the dispute) is started; and the dispute is linked to it as upheld. A
    /// crash between the steps leaves the dispute upholding: the same uphold again, or the recovery sweep
    /// (<see cref="CompleteInterruptedUpholdsAsync"/>), completes it with the same correction.
    /// </summary>
    public async Task<DisputeOutcome> ResolveAsync(string provinceCode, string noticeNumber, ResolutionBody body, string by, RunService runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(runs);
        if (await disputes.FindAsync(provinceCode, noticeNumber, cancellationToken) is not { } found)
        {
            return new(null, DisputeResult.NotFound, $"notice {noticeNumber} of province {provinceCode} is not disputed.") { Code = ProblemCodes.DisputeNotFound, Args = Http.ApiResult.Args(("province", provinceCode), ("notice", noticeNumber)) };
        }

        var (dispute, etag) = found;
        var upheld = body.Decision == DecisionWords.Uphold;
        if (dispute.Status != DisputeStatuses.Open)
        {
            // The same uphold again (its answer lost, or a crash before it was linked) completes it; anything else is late.
            return upheld && dispute.Status is DisputeStatuses.Upholding or DisputeStatuses.Upheld && dispute.UpheldAmountYuan == body.AmountYuan && UpheldBy(dispute) == by
                ? await CompleteUpholdAsync(dispute, by, runs, cancellationToken)
                : new(dispute, DisputeResult.Conflict, $"the dispute of {noticeNumber} is {dispute.Status} already ({UpheldBy(dispute) ?? dispute.Steps[^1].By}).") { Code = ProblemCodes.DisputeAnswered, Args = Http.ApiResult.Args(("notice", noticeNumber), ("status", dispute.Status)) };
        }

        if (!upheld)
        {
            var rejected = dispute with { Status = DisputeStatuses.Rejected, Steps = [.. dispute.Steps, new DisputeStep(DisputeSteps.Rejected, by, time.GetUtcNow(), body.Reason)] };
            return await disputes.TryReplaceAsync(rejected, etag, cancellationToken)
                ? new(rejected, DisputeResult.Done, "rejected")
                : new(null, DisputeResult.Conflict, $"the dispute of {noticeNumber} was resolved by someone else meanwhile.") { Code = ProblemCodes.DisputeAnswered, Args = Http.ApiResult.Args(("notice", noticeNumber), ("status", "resolved")) };
        }

        // Checked before anything is written: a correction that would be refused leaves the dispute open and unchanged.
        await runs.CheckCorrectionAsync(CorrectionJson(dispute, body.AmountYuan!.Value, body.Reason), cancellationToken);
        var upholding = dispute with
        {
            Status = DisputeStatuses.Upholding,
            UpheldAmountYuan = body.AmountYuan,
            Reason = dispute.Reason,
            Steps = [.. dispute.Steps, new DisputeStep(DisputeSteps.Upheld, by, time.GetUtcNow(), body.Reason)],
        };
        if (!await disputes.TryReplaceAsync(upholding, etag, cancellationToken))
        {
            return new(null, DisputeResult.Conflict, $"the dispute of {noticeNumber} was resolved by someone else meanwhile.") { Code = ProblemCodes.DisputeAnswered, Args = Http.ApiResult.Args(("notice", noticeNumber), ("status", "resolved")) };
        }

        return await CompleteUpholdAsync(upholding, by, runs, cancellationToken);
    }

    /// <summary>
    /// Completes the disputes a crash left upholding (older than <paramref name="olderThan"/>): each gets its one
    /// correction run and is linked to it. Returns the notices it completed. Hosts run it with the recovery sweep.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompleteInterruptedUpholdsAsync(RunService runs, TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var completed = new List<string>();
        var cutoff = time.GetUtcNow() - olderThan;
        foreach (var dispute in await disputes.ListAsync(null, cancellationToken))
        {
            if (dispute.Status == DisputeStatuses.Upholding && dispute.Steps[^1].At <= cutoff)
            {
                try
                {
                    await CompleteUpholdAsync(dispute, UpheldBy(dispute)!, runs, cancellationToken);
                    completed.Add(dispute.NoticeNumber);
                }
                catch (Exception ex) when (ex is InputValidationException or ConflictException)
                {
                    // refused meanwhile (the year was settled): the dispute was opened again with the reason
                }
            }
        }

        return completed;
    }

    private async Task<DisputeOutcome> CompleteUpholdAsync(Dispute dispute, string by, RunService runs, CancellationToken cancellationToken)
    {
        var runId = CorrectionRunIdOf(dispute.ProvinceCode, dispute.NoticeNumber);
        var reason = dispute.Steps.Last(s => s.Step == "upheld").Note ?? string.Empty;
        RunRecord run;
        try
        {
            run = await runs.StartCorrectionAsync(CorrectionJson(dispute, dispute.UpheldAmountYuan!.Value, reason), by, runId: runId, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is InputValidationException or ConflictException)
        {
            // Refused after the check (a settlement or another correction came first): the dispute is open again,
            // saying why, so it can be decided anew. Only the upholding state this attempt found is undone.
            await ReopenAsync(dispute, by, ex.Message, cancellationToken);
            throw;
        }

        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await disputes.FindAsync(dispute.ProvinceCode, dispute.NoticeNumber, cancellationToken) is not { } current)
            {
                break;
            }

            if (current.Dispute.CorrectionRunId == run.RunId)
            {
                return new(current.Dispute, DisputeResult.Done, $"upheld; correction run {run.RunId} awaits its approvals");
            }

            var linked = current.Dispute with
            {
                Status = DisputeStatuses.Upheld,
                CorrectionRunId = run.RunId,
                Steps = [.. current.Dispute.Steps, new DisputeStep(DisputeSteps.CorrectionStarted, by, time.GetUtcNow(), run.RunId)],
            };
            if (current.Dispute.Status == DisputeStatuses.Upholding && await disputes.TryReplaceAsync(linked, current.ETag, cancellationToken))
            {
                return new(linked, DisputeResult.Done, $"upheld; correction run {run.RunId} awaits its approvals");
            }
        }

        throw new InvalidOperationException($"the dispute of {dispute.NoticeNumber} kept changing while its correction run {run.RunId} was linked; upholding it again links it.");
    }

    private async Task ReopenAsync(Dispute upholding, string by, string why, CancellationToken cancellationToken)
    {
        if (await disputes.FindAsync(upholding.ProvinceCode, upholding.NoticeNumber, cancellationToken) is { Dispute.Status: DisputeStatuses.Upholding } current)
        {
            var reopened = current.Dispute with
            {
                Status = DisputeStatuses.Open,
                UpheldAmountYuan = null,
                Steps = [.. current.Dispute.Steps, new DisputeStep(DisputeSteps.UpholdRefused, by, time.GetUtcNow(), why.Length > 500 ? why[..500] : why)],
            };
            await disputes.TryReplaceAsync(reopened, current.ETag, cancellationToken);
        }
    }

    private static string? UpheldBy(Dispute dispute) => dispute.Steps.LastOrDefault(s => s.Step == "upheld")?.By;

    private static string CorrectionJson(Dispute dispute, long amountYuan, string reason) => JsonSerializer.Serialize(new
    {
        correctsRunId = dispute.RunId,
        provinceCode = dispute.ProvinceCode,
        amountYuan,
        reason = Shorten($"dispute of {dispute.NoticeNumber} upheld: {reason}"),
    });

    private static string Shorten(string reason) => reason.Length <= ApiLimits.MaxReasonLength ? reason : reason[..ApiLimits.MaxReasonLength];
}
