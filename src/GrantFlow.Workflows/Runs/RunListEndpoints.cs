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
        var provinces = caller.Roles
            .Select(r => r.StartsWith(GrantFlowRoles.ProvincePrefix, StringComparison.Ordinal) ? r[GrantFlowRoles.ProvincePrefix.Length..]
                : r.StartsWith(GrantFlowRoles.ProvinceApproverPrefix, StringComparison.Ordinal) ? r[GrantFlowRoles.ProvinceApproverPrefix.Length..]
                : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (!central && provinces.Count == 0)
        {
            return ApiResult.Forbidden($"{caller.Name} needs one of the roles {GrantFlowRoles.FinanceOfficer}, {GrantFlowRoles.Approver}, {GrantFlowRoles.Auditor}, province:{{code}} or province-approver:{{code}}.");
        }

        var errors = new List<ValidationError>();
        var program = OneOf(query, "program", [.. Domain.Programs.GrantProgramCatalog.All.Select(p => p.Id)], errors);
        var year = WholeNumber(query, "fiscalYear", 2000, 2100, errors);
        var kind = OneOf(query, "kind", Kinds, errors);
        var status = OneOf(query, "status", Statuses, errors);
        var owner = OneOf(query, "owner", [.. Domain.Programs.ProvinceCodes.All.Order(StringComparer.Ordinal)], errors);
        var pageSize = WholeNumber(query, "pageSize", 1, MaxPageSize, errors) ?? DefaultPageSize;
        var digest = Digest(program, year, kind, status, owner, pageSize, caller);
        var offset = 0;
        if (Value(query, "continuationToken", errors) is { } token && !TryReadToken(token, digest, out offset))
        {
            errors.Add(new ValidationError("continuationToken", null, "not a token this query issued; start again without it.").With(ErrorCodes.StaleContinuation));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid query", errors);
        }

        var visible = (await runs.ListAsync(cancellationToken))
            .Where(r => all || (central && r.Kind != RunKinds.PassDown) || (r.Kind == RunKinds.PassDown && r.Owner is { } o && provinces.Contains(o)))
            .Where(r => (program is null || r.Program == program) && (year is null || r.FiscalYear == year) && (kind is null || r.Kind == kind)
                && (status is null || r.Status == status) && (owner is null || r.Owner == owner))
            .OrderByDescending(r => r.StartedAt)
            .ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
        var page = visible.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < visible.Count ? Token(digest, offset + page.Count) : null;
        return ApiResult.Ok(new RunPage(page, next));
    }

    private static string Digest(string? program, int? year, string? kind, string? status, string? owner, int pageSize, ApiCaller caller) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
            '\n',
            program, year?.ToString(CultureInfo.InvariantCulture), kind, status, owner, pageSize.ToString(CultureInfo.InvariantCulture), caller.Name,
            string.Join(',', caller.Roles.Order(StringComparer.Ordinal))))))[..16];

    /// <summary>base64url of "v1|{query digest}|{offset}": a token only works with the query (and caller) that issued it.</summary>
    private static string Token(string digest, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{digest}|{offset}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadToken(string token, string digest, out int offset)
    {
        offset = 0;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            return parts.Length == 3 && parts[0] == "v1" && parts[1] == digest && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
