namespace GrantFlow.Contracts;

/// <summary>
/// Every route of the API under <c>/api/</c>, as templates ("runs/{runId}"): the server's operations table maps them
/// and clients fill them (<see cref="Fill"/>) instead of spelling paths again.
/// </summary>
public static class ApiRoutes
{
    public const string Runs = "runs";
    public const string Run = "runs/{runId}";
    public const string Decisions = "runs/{runId}/decisions";
    public const string RunLedger = "runs/{runId}/ledger";
    public const string Settlements = "settlements";
    public const string Corrections = "corrections";
    public const string Ledger = "ledger";
    public const string LedgerTotals = "ledger/totals";
    public const string LedgerExport = "ledger/export";
    public const string LedgerVerify = "ledger/verify";
    public const string LedgerTrace = "ledger/trace/{runId}/{sequence}";
    public const string ProvinceNotices = "provinces/{code}/notices";
    public const string Acknowledgement = "provinces/{code}/notices/{noticeNumber}/acknowledgement";
    public const string Disputes = "disputes";
    public const string OpenDispute = "provinces/{code}/notices/{noticeNumber}/disputes";
    public const string DisputeResolution = "disputes/{code}/{noticeNumber}/resolution";
    public const string ProvincePassDowns = "provinces/{code}/pass-downs";
    public const string PrefectureNotices = "prefectures/{code}/notices";
    public const string PrefectureAcknowledgement = "prefectures/{code}/notices/{noticeNumber}/acknowledgement";
    public const string PrefecturePassDowns = "prefectures/{code}/pass-downs";
    public const string CountyNotices = "counties/{code}/notices";
    public const string CountyAcknowledgement = "counties/{code}/notices/{noticeNumber}/acknowledgement";
    public const string MonthlyReport = "reports/monthly";
    public const string Plans = "plans";
    public const string Plan = "plans/{program}/{fiscalYear}";
    public const string Publication = "runs/{runId}/publication";
    public const string PublicFeed = "public/feed.atom";
    public const string PublicIndex = "public/index/{file}";
    public const string PublicRelease = "public/releases/{file}";
    public const string Chases = "chases";
    public const string OverduePassDowns = "pass-downs/overdue";
    public const string Roles = "auth/roles";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";

    /// <summary>The path of a route under /api/ with its values filled in (each escaped): <c>Fill(Run, ("runId", id))</c>.</summary>
    public static string Fill(string template, params (string Name, string Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(template);
        var path = template;
        foreach (var (name, value) in values)
        {
            var slot = "{" + name + "}";
            if (!path.Contains(slot, StringComparison.Ordinal))
            {
                throw new ArgumentException($"the route {template} has no {slot}.", nameof(values));
            }

            path = path.Replace(slot, Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        return path.Contains('{', StringComparison.Ordinal) ? throw new ArgumentException($"the route {template} needs a value for each of its parameters.", nameof(values)) : "/api/" + path;
    }
}
