using GrantFlow.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Disputes;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.PassDown;

/// <summary>
/// Starts a province's pass-down (下达到市县) of one of its notices: the notice must be the province's, an advance or
/// remainder, acknowledged, and not under an open dispute; the retention share is 0-10%, kept in whole yuan (rounded
/// down); the counties share the rest. The run names the central ledger entry it passes down.
/// </summary>
public sealed class PassDownService(NoticeOutbox notices, DisputeRepository disputes, LedgerRepository ledger)
{
    public const decimal MaxRetentionShare = PassDownRetention.MaxShare;

    /// <summary>The plan, or throws: <see cref="InputValidationException"/> (400), <see cref="KeyNotFoundException"/> (404), <see cref="ConflictException"/> (409).</summary>
    public async Task<PassDownPlan> PlanAsync(string provinceCode, PassDownBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<ValidationError>();
        if (!Identifiers.IsNoticeNumber(body.NoticeNumber))
        {
            errors.Add(new ValidationError("noticeNumber", null, $"{Identifiers.Quote(body.NoticeNumber)} is not a notice number.").With(ErrorCodes.NotANoticeNumber, ("value", body.NoticeNumber)));
        }

        if (body.RetentionShare is { } askedShare && !PassDownRetention.IsValidShare(askedShare))
        {
            errors.Add(new ValidationError("retentionShare", null, $"{body.RetentionShare} is outside 0 to {MaxRetentionShare}.").With(ErrorCodes.ShareOutOfRange, ("value", body.RetentionShare), ("min", 0), ("max", MaxRetentionShare)));
        }

        if (body.Parameters.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("parameters", null, "the run-parameters document (a JSON object) is required.").With(ErrorCodes.Required));
        }

        if (errors.Count > 0)
        {
            throw new InputValidationException(errors);
        }

        var (notice, acknowledgedAt) = await notices.FindWithAcknowledgementAsync(provinceCode, body.NoticeNumber, cancellationToken)
            ?? throw new KeyNotFoundException($"Province {provinceCode} has no notice {body.NoticeNumber}.");
        if (notice.Kind is not (LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder))
        {
            throw new ConflictException(ProblemCodes.NotPassedDownKind, $"notice {notice.NoticeNumber} is a {notice.Kind} notice; advances and remainders are passed down.", ("notice", notice.NoticeNumber), ("kind", notice.Kind));
        }

        if (acknowledgedAt is null)
        {
            throw new ConflictException(ProblemCodes.NotAcknowledged, $"notice {notice.NoticeNumber} is not acknowledged; acknowledge its receipt before passing it down.", ("notice", notice.NoticeNumber));
        }

        if (await disputes.FindAsync(provinceCode, notice.NoticeNumber, cancellationToken) is { Dispute.Status: DisputeStatuses.Open or DisputeStatuses.Upholding })
        {
            throw new ConflictException(ProblemCodes.UnderDispute, $"notice {notice.NoticeNumber} is under dispute; it is passed down once the dispute is resolved.", ("notice", notice.NoticeNumber));
        }

        var share = body.RetentionShare ?? 0m;
        var retention = PassDownRetention.Yuan(notice.AmountYuan, share);
        var parameters = JsonNode.Parse(body.Parameters.GetRawText(), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.AsObject(); // the body's reader refused duplicates already
        foreach (var (name, expected) in new (string, JsonNode)[] { ("program", notice.Program), ("fiscalYear", notice.FiscalYear) })
        {
            if (parameters[name] is { } given && given.ToJsonString() != expected.ToJsonString())
            {
                errors.Add(new ValidationError($"parameters.{name}", null, $"the notice is {notice.Program} {notice.FiscalYear}; the pass-down must be too.").With(ErrorCodes.Invalid, ("value", name)));
            }

            parameters[name] = expected.DeepClone();
        }

        if (errors.Count > 0)
        {
            throw new InputValidationException(errors);
        }

        parameters["envelopeYuan"] = notice.AmountYuan - retention;
        var entry = (await ledger.ReadRunAsync(notice.RunId, cancellationToken)).FirstOrDefault(e => e.Hash == notice.LedgerHash)
            ?? throw new ConflictException($"the ledger entry of notice {notice.NoticeNumber} is not in run {notice.RunId}; verify the ledger.");
        return new PassDownPlan(
            provinceCode,
            notice.NoticeNumber,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.RunId}/{entry.Sequence}:{entry.Hash}"),
            notice.AmountYuan,
            retention,
            share,
            parameters.ToJsonString(),
            body.CountiesCsv,
            body.ApprovalTimeout);
    }
}
