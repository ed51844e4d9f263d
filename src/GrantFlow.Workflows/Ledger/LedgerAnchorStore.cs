using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Ledger;

/// <summary>A run's chain head as written, once, to immutable storage after its ledger.</summary>
/// <remarks><see cref="ReceiptRoot"/>: the Merkle root the run's receipts lead to (absent from anchors written before receipts).</remarks>
public sealed record ExternalLedgerAnchor(string RunId, string Kind, string Program, int FiscalYear, int Entries, string HeadHash, long TotalYuan, long? EnvelopeYuan, DateTimeOffset WrittenAt, string? ReceiptRoot = null)
{
    public LedgerAnchor ToAnchor() => new(HeadHash, Entries, EnvelopeYuan);
}

/// <summary>A plan version's hash as written, once, beside the runs' anchors (<c>plans/{year}/{program}/{version}.json</c>).</summary>
public sealed record PlanAnchor(string Program, int FiscalYear, int Version, string Hash, long ExpectedYuan, string TransferKind, DateTimeOffset WrittenAt);

/// <summary>
/// The external anchors: one small JSON blob per run, <c>{fiscal year}/{run id}.json</c>, in a container that Azure
/// keeps under a time-based retention (WORM) policy (infra/core/storage: <c>ledger-anchors</c>), so once written it
/// can be neither changed nor deleted, even by an account owner, until the retention ends. Each blob is created
/// with If-None-Match: * (a retry finds it and checks it says the same). Azurite has no retention policies: locally
/// the anchors are ordinary blobs, which is why verification still reports a missing one.
/// </summary>
public sealed class LedgerAnchorStore(GrantFlowTables storage)
{
    public static string BlobName(int fiscalYear, string runId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{fiscalYear}/{runId}.json");

    /// <summary>Writes the anchor unless it exists; throws when an anchor for the run exists with another head.</summary>
    public async Task WriteAsync(ExternalLedgerAnchor anchor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        await storage.EnsureCreatedAsync(cancellationToken);
        var blob = storage.Anchors.GetBlobClient(BlobName(anchor.FiscalYear, anchor.RunId));
        try
        {
            await blob.UploadAsync(
                BinaryData.FromObjectAsJson(anchor, WorkflowJson.Options),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await ReadAsync(anchor.FiscalYear, anchor.RunId, cancellationToken);
            if (existing is null || existing.HeadHash != anchor.HeadHash || existing.Entries != anchor.Entries || existing.ReceiptRoot is { } root && root != anchor.ReceiptRoot)
            {
                throw new InvalidOperationException($"run {anchor.RunId} already has an external anchor with another chain head; the ledger is not what was anchored.", ex);
            }
        }
    }

    public async Task<ExternalLedgerAnchor?> ReadAsync(int fiscalYear, string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            var content = await storage.Anchors.GetBlobClient(BlobName(fiscalYear, runId)).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<ExternalLedgerAnchor>(content.Value.Content.ToString(), WorkflowJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null; // unreadable: reported as missing
        }
    }

    /// <summary>The (fiscal year, run id) of every anchor, or of one fiscal year's.</summary>
    public async Task<IReadOnlyList<(int FiscalYear, string RunId)>> ListAsync(int? fiscalYear, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = new List<(int, string)>();
        var prefix = fiscalYear is { } year ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{year}/") : null;
        await foreach (var item in storage.Anchors.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && parts[1].EndsWith(".json", StringComparison.Ordinal))
            {
                found.Add((y, parts[1][..^5]));
            }
        }

        return found;
    }

    public static string PlanBlobName(int fiscalYear, string program, int version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"plans/{fiscalYear}/{program}/{version:D6}.json");

    /// <summary>Writes a plan version's anchor unless it exists; throws when one exists with another hash (the plan table was rewritten).</summary>
    public async Task WritePlanAsync(PlanAnchor anchor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            await storage.Anchors.GetBlobClient(PlanBlobName(anchor.FiscalYear, anchor.Program, anchor.Version)).UploadAsync(
                BinaryData.FromObjectAsJson(anchor, WorkflowJson.Options),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            if ((await ReadPlanAsync(anchor.FiscalYear, anchor.Program, anchor.Version, cancellationToken))?.Hash != anchor.Hash)
            {
                throw new InvalidOperationException($"plan {anchor.Program} {anchor.FiscalYear} version {anchor.Version} is anchored with another hash; the plan is not what was anchored.", ex);
            }
        }
    }

    public async Task<PlanAnchor?> ReadPlanAsync(int fiscalYear, string program, int version, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            var content = await storage.Anchors.GetBlobClient(PlanBlobName(fiscalYear, program, version)).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<PlanAnchor>(content.Value.Content.ToString(), WorkflowJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null; // unreadable: reported as missing
        }
    }

    /// <summary>The (fiscal year, program, version) of every plan anchor, or of one year's.</summary>
    public async Task<IReadOnlyList<(int FiscalYear, string Program, int Version)>> ListPlansAsync(int? fiscalYear, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = new List<(int, string, int)>();
        var prefix = fiscalYear is { } year ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"plans/{year}/") : "plans/";
        await foreach (var item in storage.Anchors.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 4 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
                && parts[3].EndsWith(".json", StringComparison.Ordinal) && int.TryParse(parts[3][..^5], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                found.Add((y, parts[2], version));
            }
        }

        return found;
    }
}
