namespace GrantFlow.Workflows.Http;

/// <summary>
/// Every size the API accepts or answers is bounded; these are the bounds (documented in the README, "Limits").
/// </summary>
public static class ApiLimits
{
    /// <summary>Largest request body: 4 MiB (the province CSV of ~2,850 counties is about 250 KB). 413 beyond.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>A decision's or a correction's reason.</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>Input errors listed in one problem response; the total count is always given.</summary>
    public const int MaxReportedErrors = 100;

    /// <summary>Ledger query pages: 1 to 1,000 entries, 100 when not given.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The longest query-string value read (tokens, identifiers, dates).</summary>
    public const int MaxQueryValueLength = 1_024;
}
