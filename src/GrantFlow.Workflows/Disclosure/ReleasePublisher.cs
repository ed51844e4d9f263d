using GrantFlow.Contracts;
using GrantFlow.Domain.Disclosure;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Receipts;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Runs;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>
/// Publishes a released run as open data: its release file (JSON and CSV) written once, then the year's index, the
/// latest list and the feed merged. Idempotent: a run already published is left as published (its first publication
/// time stands) and only the index, the list and the feed are made to include it.
/// </summary>
public sealed class ReleasePublisher(RunRepository runs, AllocationRepository allocations, LedgerRepository ledger, DisclosureStore store) : IPublishedRoots
{
    /// <summary>Publishes the run (at <paramref name="publishedAt"/> unless it was published before); the release as published.</summary>
    public async Task<PublishedRelease> PublishAsync(string runId, DateTimeOffset publishedAt, CancellationToken cancellationToken = default)
    {
        var release = await ReadAsync(runId, cancellationToken) ?? await BuildAsync(runId, publishedAt, cancellationToken);
        if (await store.CreateAsync(ReleaseDocuments.ReleaseJsonPath(runId), ReleaseDocuments.ToJson(release), cancellationToken) is false)
        {
            release = await ReadAsync(runId, cancellationToken) ?? release; // another attempt wrote it first: that one stands
        }

        await store.CreateAsync(ReleaseDocuments.ReleaseCsvPath(runId), ReleaseDocuments.ToCsv(release), cancellationToken);
        var summary = release.Summary();
        await store.MergeAsync(ReleaseDocuments.IndexPath(release.FiscalYear), current => Task.FromResult(Merged(current, release.FiscalYear, summary, int.MaxValue)), cancellationToken);
        await store.MergeAsync(ReleaseDocuments.LatestPath, current => Task.FromResult(Merged(current, 0, summary, ReleaseDocuments.FeedSize)), cancellationToken);

        // The feed's ETag is read before the list it is written from, so a feed written from an older list loses its write.
        await store.MergeAsync(
            ReleaseDocuments.FeedPath,
            async current =>
            {
                var latest = await store.ReadAsync(ReleaseDocuments.LatestPath, cancellationToken);
                var releases = latest is { } l ? ReleaseDocuments.FromJson<PublishedIndex>(l.Content)?.Releases ?? [] : [];
                var feed = ReleaseFeed.Write(releases, release.PublishedAt);
                return current is not null && current.AsSpan().SequenceEqual(feed) ? null : feed;
            },
            cancellationToken);
        await runs.UpdateAsync(runId, r => r with { PublishedAt = r.PublishedAt ?? release.PublishedAt, PublicationFailure = null }, cancellationToken);
        return release;
    }

    /// <summary>The run's published release (null: not published), as the public container holds it.</summary>
    public async Task<PublishedRelease?> ReadAsync(string runId, CancellationToken cancellationToken = default) =>
        await store.ReadAsync(ReleaseDocuments.ReleaseJsonPath(runId), cancellationToken) is { } found ? ReleaseDocuments.FromJson<PublishedRelease>(found.Content) : null;

    /// <summary>What the run's publication states as its root, and what its lines hash to (null: not published, or unreadable as a release).</summary>
    public async Task<(string Stated, string Computed)?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync(runId, cancellationToken) is { } release ? (release.ReceiptRoot, release.ComputedRoot()) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return ("unreadable", "unreadable");
        }
    }

    private static byte[]? Merged(byte[]? current, int fiscalYear, PublishedSummary summary, int keep)
    {
        var index = current is null ? new PublishedIndex(fiscalYear, []) : ReleaseDocuments.FromJson<PublishedIndex>(current) ?? new PublishedIndex(fiscalYear, []);
        if (index.Releases.Contains(summary))
        {
            return null;
        }

        var merged = index.With(summary);
        return ReleaseDocuments.ToJson(merged with { Releases = [.. merged.Releases.Take(keep)] });
    }

    /// <summary>The release of a run whose ledger is written: its entries, recipients' names, formula, chain head and root.</summary>
    public async Task<PublishedRelease> BuildAsync(string runId, DateTimeOffset publishedAt, CancellationToken cancellationToken = default)
    {
        var record = await runs.FindAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        var entries = await ledger.ReadRunAsync(runId, cancellationToken);
        if (entries.Count == 0 || record.LedgerRecordedAt is not { } approvedAt)
        {
            throw new Http.ConflictException(ProblemCodes.NotReleased, $"run {runId} has released nothing yet; only a released run is published.", ("runId", runId));
        }

        var names = (await allocations.LoadAsync(runId, cancellationToken)).ToDictionary(a => a.Code, a => a.NameZh, StringComparer.Ordinal);
        var program = GrantProgramCatalog.TryGet(record.Program, out var found) ? found.NameZh : record.Program;
        var payer = record.Kind == RunKinds.PassDown && record.Owner is { } owner ? owner : "central";
        if (payer.Length == 4 && EntryReference.TryParse(record.PassesDown, out var above))
        {
            // A prefecture's name is in the data its province passed down to it with.
            foreach (var allocation in (await allocations.LoadAsync(above.RunId, cancellationToken)).Where(a => a.Code == payer))
            {
                names.TryAdd(payer, allocation.NameZh);
            }
        }

        return new PublishedRelease
        {
            RunId = runId,
            RunKind = record.Kind,
            Payer = payer,
            PayerName = payer == "central" ? "中央财政" : (names.GetValueOrDefault(payer) ?? ProvinceNames.Chinese(payer) ?? payer) + "财政",
            Program = record.Program,
            ProgramName = program,
            FiscalYear = record.FiscalYear,
            Formula = await FormulaAsync(record, cancellationToken),
            ApprovedAt = approvedAt,
            PublishedAt = publishedAt,
            ChainHead = entries[^1].Hash,
            ReceiptRoot = NoticeReceipt.RootOf(NoticeReceipt.LeavesOf(entries)),
            TotalYuan = entries.Where(e => e.Kind != LedgerEntryKinds.Reversal).Sum(e => e.AmountYuan),
            Lines = [.. entries.OrderBy(e => e.Sequence).Select(e => new PublishedLine(
                e.Sequence, e.ProvinceCode, names.GetValueOrDefault(e.ProvinceCode) ?? ProvinceNames.Chinese(e.ProvinceCode) ?? e.ProvinceCode, e.Kind, e.AmountYuan, e.NoticeNumber, e.Hash))],
        };
    }

    private async Task<PublishedFormula?> FormulaAsync(RunRecord record, CancellationToken cancellationToken)
    {
        if (record.Kind == RunKinds.Correction)
        {
            return null; // a correction restates one entry; its reason is not published
        }

        var parameters = RunParametersReader.Parse(await runs.LoadParametersAsync(record.RunId, cancellationToken));
        return new PublishedFormula(
            parameters.Formula.Kind,
            RunKinds.SplitsEnvelope(record.Kind) ? parameters.EnvelopeYuan : null,
            parameters.Formula.StandardYuan,
            parameters.Formula.Weights,
            parameters.Floor?.Ratio,
            parameters.Floor?.Basis,
            record.RetentionShare);
    }
}
