using GrantFlow.Contracts;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Http;

/// <summary>
/// Who may call an operation, declared in its row of the operations table and checked before its handler runs:
/// 401 without a caller, 400 when a route code the rule scopes by is not a code, 403 without one of the roles. The
/// same value describes the roles in the OpenAPI document, so what is enforced and what is documented cannot differ.
/// A rule that depends on stored data (a pass-down's own province) lets the handler decide the rest.
/// </summary>
public sealed class ApiAccess
{
    private readonly Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>?> _roles;
    private readonly Func<IReadOnlyDictionary<string, string>, ApiResult?>? _invalidRoute;

    private static readonly string[] ProvinceOnly = ["province:{code}"];
    private static readonly string[] ProvinceAndApprovers = ["province:{code}", "province-approver:{code}"];
    private const string PrefectureRole = "prefecture:{code}";
    private const string PrefectureApproverRole = "prefecture-approver:{code}";

    private ApiAccess(string description, Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>?> roles, Func<IReadOnlyDictionary<string, string>, ApiResult?>? invalidRoute = null) =>
        (Description, _roles, _invalidRoute) = (description, roles, invalidRoute);

    /// <summary>The rule as the OpenAPI document states it.</summary>
    public string Description { get; }

    /// <summary>Callers in one of these roles.</summary>
    public static ApiAccess Roles(params string[] roles) => new(string.Join(", ", roles), _ => roles);

    /// <summary>The province of the route's <c>{code}</c> (and its approvers when <paramref name="withApprovers"/>), and callers in <paramref name="others"/>.</summary>
    public static ApiAccess Province(bool withApprovers = false, params string[] others) => new(
        string.Join(", ", (withApprovers ? ProvinceAndApprovers : ProvinceOnly).Concat(others)),
        route => [GrantFlowRoles.Province(route["code"]), .. withApprovers ? [GrantFlowRoles.ProvinceApprover(route["code"])] : Array.Empty<string>(), .. others],
        route => ApiRequests.InvalidProvince(route["code"]));

    /// <summary>The county of the route's <c>{code}</c>, and (when <paramref name="withPayers"/>) its prefecture, its province and auditors.</summary>
    public static ApiAccess County(bool withPayers = false) => new(
        withPayers ? "county:{code}, its prefecture and province, auditor" : "county:{code}",
        route => withPayers ? [GrantFlowRoles.County(route["code"]), GrantFlowRoles.Prefecture(route["code"][..4]), GrantFlowRoles.Province(route["code"][..2]), GrantFlowRoles.Auditor] : [GrantFlowRoles.County(route["code"])],
        route => InvalidCounty(route["code"]));

    /// <summary>
    /// The prefecture of the route's <c>{code}</c> (and its approvers when <paramref name="withApprovers"/>, its province
    /// when <paramref name="withProvince"/>), and callers in <paramref name="others"/>.
    /// </summary>
    public static ApiAccess Prefecture(bool withApprovers = false, bool withProvince = false, params string[] others) => new(
        string.Join(", ", [PrefectureRole, .. withApprovers ? [PrefectureApproverRole] : Array.Empty<string>(), .. withProvince ? ["its province"] : Array.Empty<string>(), .. others]),
        route => [GrantFlowRoles.Prefecture(route["code"]), .. withApprovers ? [GrantFlowRoles.PrefectureApprover(route["code"])] : Array.Empty<string>(), .. withProvince ? [GrantFlowRoles.Province(route["code"][..2])] : Array.Empty<string>(), .. others],
        route => InvalidPrefecture(route["code"]));

    /// <summary>Anyone, signed in or not: only the published open data (read-only) is served so.</summary>
    public static ApiAccess Public { get; } = new("anyone, without signing in (published open data, read-only)", _ => []) { IsPublic = true };

    /// <summary>Whether the operation answers callers who are not signed in.</summary>
    public bool IsPublic { get; private init; }

    /// <summary>Any caller with a GrantFlow role.</summary>
    public static ApiAccess AnyRole { get; } = new("any GrantFlow role", _ => null);

    /// <summary>Any signed-in caller, with or without a role (the handler decides the rest, as <paramref name="description"/> says).</summary>
    public static ApiAccess SignedIn(string description) => new(description, _ => []);

    /// <summary>Whether <paramref name="caller"/> may call the operation with these route values: the refusal, or the caller it may go on with.</summary>
    public ApiAccessCheck Check(ApiCaller? caller, IReadOnlyDictionary<string, string> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (caller is null)
        {
            return IsPublic ? ApiAccessCheck.Allow(ApiCaller.Anonymous) : ApiAccessCheck.Refuse(ApiResult.Unauthenticated());
        }

        if (_invalidRoute?.Invoke(route) is { } invalid)
        {
            return ApiAccessCheck.Refuse(invalid);
        }

        return _roles(route) switch
        {
            null when caller.Roles.Count == 0 => ApiAccessCheck.Refuse(ApiResult.Forbidden($"{caller.Name} has no GrantFlow role.", ProblemCodes.NoRole)),
            { Count: > 0 } roles when !roles.Any(caller.IsIn) => ApiAccessCheck.Refuse(Forbidden(caller, roles)),
            _ => ApiAccessCheck.Allow(caller),
        };
    }

    /// <summary>403: the caller lacks every one of <paramref name="roles"/>.</summary>
    public static ApiResult Forbidden(ApiCaller caller, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ApiResult.Forbidden($"{caller.Name} needs one of the roles {string.Join(", ", roles)}.", ProblemCodes.Forbidden, ApiResult.Args(("roles", string.Join(",", roles))));
    }

    /// <summary>400 unless <paramref name="code"/> is a four-digit prefecture code of one of the 31 provinces.</summary>
    public static ApiResult? InvalidPrefecture(string? code) =>
        ProvinceCodes.IsPrefecture(code)
            ? null
            : ApiResult.Invalid("Invalid prefecture", [new ValidationError("code", null, $"{Identifiers.Quote(code)} is not a 4-digit prefecture code of one of the 31 provinces.").With(ErrorCodes.UnknownPrefecture, ("value", code))]);

    /// <summary>400 unless <paramref name="code"/> is a six-digit county code of one of the 31 provinces.</summary>
    public static ApiResult? InvalidCounty(string? code) =>
        ProvinceCodes.IsCounty(code)
            ? null
            : ApiResult.Invalid("Invalid county", [new ValidationError("code", null, $"{Identifiers.Quote(code)} is not a 6-digit county code of one of the 31 provinces.").With(ErrorCodes.UnknownCounty, ("value", code))]);
}

/// <summary>The outcome of an access check: either the caller, allowed, or the answer that refuses the request.</summary>
public readonly record struct ApiAccessCheck(ApiCaller? Caller, ApiResult? Refusal)
{
    public bool Allowed => Refusal is null;

    public static ApiAccessCheck Allow(ApiCaller caller) => new(caller, null);

    public static ApiAccessCheck Refuse(ApiResult refusal) => new(null, refusal);
}
