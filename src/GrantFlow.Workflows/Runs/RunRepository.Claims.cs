using Azure;
using Azure.Data.Tables;

namespace GrantFlow.Workflows.Runs;

/// <summary>Claims: what only one run may do (release a program-year, settle it, correct an entry, pass a notice down).</summary>
public sealed partial class RunRepository
{
    /// <summary>
    /// Claims something only one run may do (settling a program's year, correcting an entry): the first claim wins;
    /// false when another run holds it. A repeat by the holder (a retry whose first answer was lost) is true.
    /// </summary>
    public async Task<bool> TryClaimAsync(string claim, string runId, CancellationToken cancellationToken = default)
    {
        await Index.MarkClaimAsync(claim, runId, cancellationToken); // so the sweep finds it if the run never comes to exist
        try
        {
            await storage.Runs.AddEntityAsync(new TableEntity(ClaimKey(claim), "claim") { ["RunId"] = runId }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await ClaimHolderAsync(claim, cancellationToken) == runId;
        }
    }

    /// <summary>Frees the claim of a run that was rejected or expired, so the work can be asked for again.</summary>
    public async Task ReleaseClaimAsync(string claim, string runId, CancellationToken cancellationToken = default)
    {
        var held = await storage.Runs.GetEntityIfExistsAsync<TableEntity>(ClaimKey(claim), "claim", cancellationToken: cancellationToken);
        if (held.HasValue && held.Value!.GetString("RunId") == runId)
        {
            await storage.Runs.DeleteEntityAsync(held.Value.PartitionKey, held.Value.RowKey, held.Value.ETag, cancellationToken);
        }
    }

    public static string PassDownClaim(string noticeNumber) => $"pass-down|{noticeNumber}";

    public static string RemainderClaim(string program, int fiscalYear) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"remainder|{fiscalYear}|{program}");

    public static string AdvanceClaim(string program, int fiscalYear) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"advance|{fiscalYear}|{program}");

    /// <summary>Whether a claim is held (by any run).</summary>
    public async Task<string?> ClaimHolderAsync(string claim, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var held = await storage.Runs.GetEntityIfExistsAsync<TableEntity>(ClaimKey(claim), "claim", cancellationToken: cancellationToken);
        return held.HasValue ? held.Value!.GetString("RunId") : null;
    }

    public static string SettlementClaim(string program, int fiscalYear) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"settlement|{fiscalYear}|{program}");

    public static string CorrectionClaim(string runId, string provinceCode) => $"correction|{runId}|{provinceCode}";

    private static string ClaimKey(string claim) => "claim|" + claim;
}
