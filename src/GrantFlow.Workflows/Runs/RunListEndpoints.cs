using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// GET /api/runs: the runs a caller may see, newest first, filtered by program, fiscal year, kind, status and owner
/// (a pass-down's province), in pages of 1 to 200 (50 by default). Finance officers and auditors see every run;
/// central approvers the central runs; a province and its approvers their own pass-downs; counties none.
/// </summary>
public sealed class RunListEndpoints(RunRepository runs)
{
    public const string Route = ApiRoutes.Runs;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    private static readonly string[] Kinds = [RunKinds.Advance, RunKinds.Remainder, RunKinds.Settlement, RunKinds.Correction, RunKinds.PassDown];

    private static readonly string[] Statuses =
    [
        RunStatuses.Started, RunStatuses.Computing, RunStatuses.AwaitingReview, RunStatuses.AwaitingApproval, RunStatuses.WritingLedger,
        RunStatuses.SendingNotices, RunStatuses.Completed, RunStatuses.Rejected, RunStatuses.Expired, RunStatuses.Failed,
    ];

    public async Task<ApiResult> ListAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = caller.IsIn(GrantFlowRoles.FinanceOfficer) || caller.IsIn(GrantFlowRoles.Auditor);
        var central = all || caller.IsIn(GrantFlowRoles.Approver);
        string[] payerRoles = [GrantFlowRoles.ProvincePrefix, GrantFlowRoles.ProvinceApproverPrefix, GrantFlowRoles.PrefecturePrefix, GrantFlowRoles.PrefectureApproverPrefix];
        var provinces = caller.Roles
            .Select(r => payerRoles.FirstOrDefault(prefix => r.StartsWith(prefix, StringComparison.Ordinal)) is { } prefix ? r[prefix.Length..] : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (!central && provinces.Count == 0)
        {
            return ApiResult.Forbidden($"{caller.Name} needs one of the roles {GrantFlowRoles.FinanceOfficer}, {GrantFlowRoles.Approver}, {GrantFlowRoles.Auditor}, province:{{code}}, province-approver:{{code}}, prefecture:{{code}} or prefecture-approver:{{code}}.");
        }

        var errors = new List<ValidationError>();
        var program = OneOf(query, "program", [.. Domain.Programs.GrantProgramCatalog.All.Select(p => p.Id)], errors);
        var year = WholeNumber(query, "fiscalYear", 2000, 2100, errors);
        var kind = OneOf(query, "kind", Kinds, errors);
        var status = OneOf(query, "status", Statuses, errors);
        var owner = query.TryGetValue("owner", out var asked) && Domain.Programs.ProvinceCodes.IsPrefecture(asked)
            ? asked
            : OneOf(query, "owner", [.. Domain.Programs.ProvinceCodes.All.Order(StringComparer.Ordinal)], errors);
        var pageSize = WholeNumber(query, "pageSize", 1, MaxPageSize, errors) ?? DefaultPageSize;
        var digest = Digest(program, year, kind, status, owner, pageSize, caller);
        string? after = null;
        if (Value(query, "continuationToken", errors) is { } token && !TryReadToken(token, digest, out after))
        {
            errors.Add(new ValidationError("continuationToken", null, "not a token this query issued; start again without it.").With(ErrorCodes.StaleContinuation));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid query", errors);
        }

        var scope = new RunListScope(all, central, provinces, program, year, kind, status, owner)
        {
            Bureaus = caller.Roles.Where(r => r.StartsWith(GrantFlowRoles.ProvincePrefix, StringComparison.Ordinal)).Select(r => r[GrantFlowRoles.ProvincePrefix.Length..]).ToHashSet(StringComparer.Ordinal),
        };
        var (page, last, more) = await ReadPageAsync(scope, after, pageSize, cancellationToken);
        return ApiResult.Ok(new RunPage(page, more ? Token(digest, last!) : null));
    }

    /// <summary>
    /// A page read from the index, newest first, resuming after key <paramref name="after"/>: index rows in key order
    /// (merged across the partitions read), each run's record read by key and checked for the status asked. At most
    /// <see cref="ScanLimit"/> index rows are read for one page, so a rare status costs bounded work per request: such
    /// a page may hold fewer runs than asked and still carry a continuation.
    /// </summary>
    private async Task<(List<RunRecord> Page, string? Last, bool More)> ReadPageAsync(RunListScope scope, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var partitions = scope.Partitions();
        var filter = scope.Filter();
        var page = new List<RunRecord>(pageSize);
        var scanned = 0;
        while (true)
        {
            var need = pageSize - page.Count;
            var taken = await Task.WhenAll(partitions.Select(p => runs.Index.TakeAsync(p, after, filter, need, cancellationToken)));
            var merged = taken.SelectMany(t => t.Rows).DistinctBy(r => r.RowKey).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
            var ended = taken.All(t => t.Ended) && merged.Count <= need;
            var batch = merged.Take(need).ToList();
            if (batch.Count == 0)
            {
                return (page, after, false);
            }

            var records = await runs.FindManyAsync([.. batch.Select(r => r.GetString("RunId"))], cancellationToken);
            page.AddRange(records.Where(scope.Shows));
            after = batch[^1].RowKey;
            scanned += batch.Count;
            if (ended && batch.Count == merged.Count)
            {
                return (page, after, false);
            }

            if (page.Count >= pageSize || scanned >= ScanLimit)
            {
                return (page, after, true);
            }
        }
    }

    /// <summary>Index rows read at most for one page.</summary>
    public const int ScanLimit = 1_000;

    private static string Digest(string? program, int? year, string? kind, string? status, string? owner, int pageSize, ApiCaller caller) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
            '\n',
            program, year?.ToString(CultureInfo.InvariantCulture), kind, status, owner, pageSize.ToString(CultureInfo.InvariantCulture), caller.Name,
            string.Join(',', caller.Roles.Order(StringComparer.Ordinal))))))[..16];

    /// <summary>base64url of "v2|{query digest}|{last index key}": a token only works with the query (and caller) that issued it.</summary>
    private static string Token(string digest, string after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v2|{digest}|{after}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadToken(string token, string digest, out string? after)
    {
        after = null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == "v2" && parts[1] == digest && RunIndex.IsKey(parts[2]))
            {
                after = parts[2];
                return true;
            }

            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
