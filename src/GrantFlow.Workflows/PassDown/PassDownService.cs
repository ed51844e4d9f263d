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
/// Plans a pass-down (下达到市县) of one of a payer's notices. A province passes an advance or a remainder down to its
/// counties or to its prefectures (cities); a prefecture passes the province's pass-down to it on to its counties. The
/// notice must be the payer's, acknowledged, and not under an open dispute; the retention share is 0-10%, kept in
/// whole yuan (rounded down); the recipients share the rest. The run names the ledger entry it passes down (the
/// central entry, or the province's entry to the prefecture), so every county yuan traces back level by level.
/// </summary>
public sealed class PassDownService(NoticeOutbox notices, DisputeRepository disputes, LedgerRepository ledger)
{
    public const decimal MaxRetentionShare = PassDownRetention.MaxShare;

    /// <summary>The plan, or throws: <see cref="InputValidationException"/> (400), <see cref="KeyNotFoundException"/> (404), <see cref="ConflictException"/> (409).</summary>
    public async Task<PassDownPlan> PlanAsync(string payerCode, PassDownBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payerCode);
        ArgumentNullException.ThrowIfNull(body);
        var prefecture = payerCode.Length == 4;
        var errors = new List<ValidationError>();
        var (recipientsCsv, level) = (body.CountiesCsv, body.PrefecturesCsv) switch
        {
            ({ } counties, null) => (counties, RecipientLevel.County),
            (null, { } prefectures) when !prefecture => (prefectures, RecipientLevel.Prefecture),
            _ => (string.Empty, RecipientLevel.County),
        };
        if (body.CountiesCsv is null == body.PrefecturesCsv is null)
        {
            errors.Add(new ValidationError("countiesCsv", null, prefecture ? "the counties' data (countiesCsv) is required." : "the recipients' data is required: countiesCsv (to the counties) or prefecturesCsv (to the prefectures), one of the two.").With(ErrorCodes.Required));
        }
        else if (prefecture && body.PrefecturesCsv is not null)
        {
            errors.Add(new ValidationError("prefecturesCsv", null, "a prefecture passes down to its counties (countiesCsv), not to prefectures.").With(ErrorCodes.Invalid, ("value", "prefecturesCsv")));
        }

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

        var (notice, acknowledgedAt) = await notices.FindWithAcknowledgementAsync(payerCode, body.NoticeNumber, cancellationToken)
            ?? throw new KeyNotFoundException($"{(prefecture ? "Prefecture" : "Province")} {payerCode} has no notice {body.NoticeNumber}.");
        if (prefecture ? notice.Kind != LedgerEntryKinds.PassDown : notice.Kind is not (LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder))
        {
            throw new ConflictException(ProblemCodes.NotPassedDownKind, prefecture ? $"notice {notice.NoticeNumber} is a {notice.Kind} notice; a prefecture passes down its province's pass-downs." : $"notice {notice.NoticeNumber} is a {notice.Kind} notice; advances and remainders are passed down.", ("notice", notice.NoticeNumber), ("kind", notice.Kind));
        }

        if (acknowledgedAt is null)
        {
            throw new ConflictException(ProblemCodes.NotAcknowledged, $"notice {notice.NoticeNumber} is not acknowledged; acknowledge its receipt before passing it down.", ("notice", notice.NoticeNumber));
        }

        if (await disputes.FindAsync(payerCode, notice.NoticeNumber, cancellationToken) is { Dispute.Status: DisputeStatuses.Open or DisputeStatuses.Upholding })
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
            payerCode,
            notice.NoticeNumber,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.RunId}/{entry.Sequence}:{entry.Hash}"),
            notice.AmountYuan,
            retention,
            share,
            parameters.ToJsonString(),
            recipientsCsv,
            body.ApprovalTimeout,
            level);
    }
}
