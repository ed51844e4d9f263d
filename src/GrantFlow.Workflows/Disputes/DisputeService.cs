using System.Text.Json;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Disputes;

/// <summary>What a dispute request came to: the dispute, or why not (not found, conflict).</summary>
public sealed record DisputeOutcome(Dispute? Dispute, int Status, string Message);

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
            errors.Add(new("reason", null, "a dispute needs a reason."));
        }
        else if (body.Reason.Length > ApiLimits.MaxReasonLength)
        {
            errors.Add(new("reason", null, $"{body.Reason.Length:N0} characters; a reason has at most {ApiLimits.MaxReasonLength:N0}."));
        }

        if (body.Figures is { Count: > MaxFigures })
        {
            errors.Add(new("figures", null, $"{body.Figures.Count} figures; at most {MaxFigures}."));
        }
        else
        {
            foreach (var (figure, i) in (body.Figures ?? []).Select((f, i) => (f, i)))
            {
                if (string.IsNullOrWhiteSpace(figure.Field) || figure.Field.Length > 64 || string.IsNullOrWhiteSpace(figure.Claimed) || figure.Claimed.Length > 100)
                {
                    errors.Add(new($"figures[{i}]", null, "each figure needs a field (at most 64 characters) and the claimed value (at most 100)."));
                }
            }
        }

        if (body.Attachment is { } attachment && (attachment.Length > MaxAttachmentLength || attachment.Any(char.IsControl)))
        {
            errors.Add(new("attachment", null, $"an attachment reference of at most {MaxAttachmentLength} printable characters."));
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
            return new(null, 404, $"Province {provinceCode} has no notice {noticeNumber}.");
        }

        if (notice.Kind is not (LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder))
        {
            return new(null, 409, $"notice {noticeNumber} is a {notice.Kind} notice; advances and remainders are disputed, settlements and corrections are not.");
        }

        var now = time.GetUtcNow();
        var window = options.Value.WindowOf(notice.Program);
        if (!WithinWindow(notice.IssuedAt, now, window))
        {
            return new(null, 409, $"notice {noticeNumber} was issued {notice.IssuedAt:yyyy-MM-dd}; its dispute window of {window.TotalDays:0} days has closed.");
        }

        var dispute = new Dispute(
            provinceCode, noticeNumber, notice.RunId, notice.Program, notice.FiscalYear, notice.AmountYuan, DisputeStatuses.Open,
            body.Reason, body.Figures ?? [], body.Attachment, null, [new DisputeStep("opened", by, now, body.Reason)]);
        return await disputes.TryAddAsync(dispute, cancellationToken)
            ? new(dispute, 201, "disputed")
            : new(null, 409, $"notice {noticeNumber} is disputed already; a notice is disputed once.");
    }

    /// <summary>
    /// Rejects or upholds an open dispute. Upholding first moves the dispute to upheld (conditionally: of two
    /// resolutions at once, one wins), then starts the correction; if the correction is refused the dispute is open
    /// again and the refusal is returned.
    /// </summary>
    public async Task<DisputeOutcome> ResolveAsync(string provinceCode, string noticeNumber, ResolutionBody body, string by, RunService runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(runs);
        if (await disputes.FindAsync(provinceCode, noticeNumber, cancellationToken) is not { } found)
        {
            return new(null, 404, $"notice {noticeNumber} of province {provinceCode} is not disputed.");
        }

        var (dispute, etag) = found;
        if (dispute.Status != DisputeStatuses.Open)
        {
            return new(dispute, 409, $"the dispute of {noticeNumber} is {dispute.Status} already.");
        }

        var now = time.GetUtcNow();
        var upheld = body.Decision == "uphold";
        var resolved = dispute with
        {
            Status = upheld ? DisputeStatuses.Upheld : DisputeStatuses.Rejected,
            Steps = [.. dispute.Steps, new DisputeStep(upheld ? "upheld" : "rejected", by, now, body.Reason)],
        };
        if (!await disputes.TryReplaceAsync(resolved, etag, cancellationToken))
        {
            return new(null, 409, $"the dispute of {noticeNumber} was resolved by someone else meanwhile.");
        }

        if (!upheld)
        {
            return new(resolved, 200, "rejected");
        }

        try
        {
            var correction = JsonSerializer.Serialize(new { correctsRunId = dispute.RunId, provinceCode, amountYuan = body.AmountYuan, reason = $"dispute of {noticeNumber} upheld: {body.Reason}" });
            var run = await runs.StartCorrectionAsync(correction, by, cancellationToken: cancellationToken);
            var linked = resolved with { CorrectionRunId = run.RunId, Steps = [.. resolved.Steps, new DisputeStep("correction-started", by, now, run.RunId)] };
            var current = await disputes.FindAsync(provinceCode, noticeNumber, cancellationToken);
            await disputes.TryReplaceAsync(linked, current!.Value.ETag, cancellationToken);
            return new(linked, 200, $"upheld; correction run {run.RunId} awaits its approvals");
        }
        catch (Exception ex) when (ex is InputValidationException or RunConflictException)
        {
            var current = await disputes.FindAsync(provinceCode, noticeNumber, cancellationToken);
            await disputes.TryReplaceAsync(dispute with { Steps = [.. dispute.Steps, new DisputeStep("uphold-refused", by, now, ex.Message.Length > 500 ? ex.Message[..500] : ex.Message)] }, current!.Value.ETag, cancellationToken);
            throw;
        }
    }
}
