using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Storage;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Ledger;

/// <summary>
/// Read-only ledger checks for auditors: a run, a fiscal year, or everything. Verification starts from the ledger's
/// own partitions and the external anchors, not from the run records, so deleting a run record or its anchor makes
/// a run's ledger reported, never skipped; each run is then checked against its run record, its external anchor and
/// the notices sent for it (<see cref="LedgerVerifier"/>).
/// </summary>
public sealed class LedgerAuditService(IRunRecords runs, LedgerRepository ledger, LedgerAnchorStore anchors, GrantFlowTables storage, IPublishedRoots published, IProgramStandings plans)
{
    /// <summary>The run's verification; null when neither a run record, nor ledger rows, nor an anchor exist for it.</summary>
    public async Task<LedgerVerification?> VerifyRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var record = await runs.FindAsync(runId, cancellationToken);
        var rows = await ledger.ReadStoredAsync(runId, cancellationToken);
        var year = record?.FiscalYear ?? rows.Select(r => (int?)r.Entry.FiscalYear).FirstOrDefault();
        if (year is null)
        {
            year = (await anchors.ListAsync(null, cancellationToken)).Where(a => a.RunId == runId).Select(a => (int?)a.FiscalYear).FirstOrDefault();
        }

        return record is null && rows.Count == 0 && year is null ? null : await VerifyAsync(runId, record, rows, year, cancellationToken);
    }

    /// <summary>Verifies every run that has ledger rows, an external anchor or a run record saying it wrote a ledger, then every program-year's plan (optionally of one fiscal year).</summary>
    public async Task<IReadOnlyList<LedgerVerification>> VerifyAllAsync(int? fiscalYear = null, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var years = new Dictionary<string, int?>(StringComparer.Ordinal);
        if (fiscalYear is { } y)
        {
            // The year's runs that wrote entries, from its index partitions (one key range): the year, not the history.
            await foreach (var row in storage.LedgerIndex.QueryAsync<TableEntity>(LedgerQueryService.YearFilter(y), select: ["RunId"], cancellationToken: cancellationToken))
            {
                if (row.GetString("RunId") is { } runId)
                {
                    years.TryAdd(runId, y);
                }
            }
        }
        else
        {
            await foreach (var row in storage.Ledger.QueryAsync<TableEntity>(select: ["PartitionKey", "FiscalYear"], cancellationToken: cancellationToken))
            {
                years[row.PartitionKey] = row.GetInt32("FiscalYear");
            }
        }

        foreach (var (year, runId) in await anchors.ListAsync(fiscalYear, cancellationToken))
        {
            years.TryAdd(runId, year);
        }

        var records = (await runs.ListAsync(fiscalYear, cancellationToken)).ToDictionary(r => r.RunId, StringComparer.Ordinal);
        foreach (var record in records.Values.Where(r => (r.LedgerHeadHash is not null || WroteLedger(r)) && (fiscalYear is null || r.FiscalYear == fiscalYear)))
        {
            years.TryAdd(record.RunId, record.FiscalYear);
        }

        var results = new List<LedgerVerification>();
        foreach (var (runId, year) in years.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var record = records.GetValueOrDefault(runId) ?? (fiscalYear is null ? null : await runs.FindAsync(runId, cancellationToken));
            results.Add(await VerifyAsync(runId, record, await ledger.ReadStoredAsync(runId, cancellationToken), record?.FiscalYear ?? year, cancellationToken));
        }

        results.AddRange(await plans.VerifyPlansAsync(fiscalYear, cancellationToken)); // plan:{program}/{year}: the expected amounts the advances were checked against
        return results;
    }

    /// <summary>A run past its approvals has written its ledger (its anchors must exist).</summary>
    private static bool WroteLedger(RunRecord run) => run.Status is RunStatuses.SendingNotices or RunStatuses.Completed;

    private async Task<LedgerVerification> VerifyAsync(string runId, RunRecord? run, IReadOnlyList<StoredLedgerEntry> rows, int? fiscalYear, CancellationToken cancellationToken)
    {
        var recordAnchor = run?.LedgerHeadHash is { } head
            ? new LedgerAnchor(head, run.LedgerEntries ?? 0, RunKinds.SplitsEnvelope(run.Kind) ? run.EnvelopeYuan : null)
            : null;
        var external = fiscalYear is { } year ? await anchors.ReadAsync(year, runId, cancellationToken) : null;
        var witnesses = new LedgerWitnesses(
            run is not null,
            run is not null && WroteLedger(run),
            recordAnchor,
            external?.ToAnchor(),
            await NoticeWitnessesAsync(runId, cancellationToken));
        var result = LedgerVerifier.Verify(runId, rows, witnesses);
        result = result with { Problems = [.. result.Problems, .. await ReceiptRootProblemsAsync(runId, run, rows, external, cancellationToken)] };
        return run is { Kind: RunKinds.PassDown } ? result with { Problems = [.. result.Problems, .. await PassDownLinkProblemsAsync(run, rows, cancellationToken)] } : result;
    }

    /// <summary>
    /// The root the run's receipts lead to, recomputed from its entries, against the run record, the external anchor and
    /// the publication (each only when it holds one: runs released before receipts have none).
    /// </summary>
    private async Task<IReadOnlyList<LedgerProblem>> ReceiptRootProblemsAsync(string runId, RunRecord? run, IReadOnlyList<StoredLedgerEntry> rows, ExternalLedgerAnchor? external, CancellationToken cancellationToken)
    {
        var problems = new List<LedgerProblem>();
        var root = Domain.Receipts.NoticeReceipt.RootOf(Domain.Receipts.NoticeReceipt.LeavesOf(rows.Select(r => r.Entry)));
        if (run?.ReceiptRoot is { } recorded && recorded != root)
        {
            problems.Add(new("-", LedgerProblem.Receipt, $"the entries' receipt root is {root}; the run record holds {recorded}."));
        }

        if (external?.ReceiptRoot is { } anchored && anchored != root)
        {
            problems.Add(new("-", LedgerProblem.Receipt, $"the entries' receipt root is {root}; the external anchor holds {anchored}."));
        }

        if (rows.Count > 0 && await published.FindAsync(runId, cancellationToken) is { } publication)
        {
            if (publication.Computed != publication.Stated)
            {
                problems.Add(new("-", LedgerProblem.Published, $"the published release was edited after publication: its lines hash to {publication.Computed}, not to the root {publication.Stated} it states."));
            }

            if (publication.Stated != root)
            {
                problems.Add(new("-", LedgerProblem.Published, $"the published release states root {publication.Stated}; the ledger's entries hash to {root}."));
            }
        }

        return problems;
    }

    /// <summary>
    /// A pass-down's link to the level above (the centre for a province's, the province's pass-down for a
    /// prefecture's): every entry names the run's entry passed down, and that entry exists, with that hash, paid to the
    /// run's payer (<see cref="LedgerTrace.LinkProblems"/>), for the amount the pass-down's entries (recipients +
    /// retention) add up to.
    /// </summary>
    private async Task<IReadOnlyList<LedgerProblem>> PassDownLinkProblemsAsync(RunRecord run, IReadOnlyList<StoredLedgerEntry> rows, CancellationToken cancellationToken)
    {
        var problems = new List<LedgerProblem>();
        foreach (var row in rows.Where(r => r.Entry.PassesDown != run.PassesDown))
        {
            problems.Add(new(row.RowKey, LedgerProblem.Link, $"row {row.RowKey} names entry {row.Entry.PassesDown ?? "none"}, the run passes down {run.PassesDown}."));
        }

        if (!EntryReference.TryParse(run.PassesDown, out var reference))
        {
            problems.Add(new("-", LedgerProblem.Link, $"the run record names no readable entry passed down ({run.PassesDown ?? "none"})."));
            return problems;
        }

        var parent = (await ledger.ReadStoredAsync(reference.RunId, cancellationToken)).FirstOrDefault(r => r.RowKey == LedgerRepository.RowKeyFor(reference.Sequence))?.Entry;
        var payerEntry = rows.Select(r => r.Entry).FirstOrDefault(e => e.Kind == LedgerEntryKinds.Retention) ?? (rows.Count > 0 ? rows[0].Entry : null);
        if (parent is null || parent.Hash != reference.Hash)
        {
            problems.Add(new("-", LedgerProblem.Link, $"entry {reference.RunId}/{reference.Sequence} {(parent is null ? "does not exist" : "has another hash")}: the pass-down traces back to nothing."));
            return problems;
        }

        if (run.Owner is { } owner)
        {
            if (parent.ProvinceCode != owner)
            {
                problems.Add(new("-", LedgerProblem.Link, $"entry {reference.RunId}/{reference.Sequence} was paid to {parent.ProvinceCode}; the pass-down is {owner}'s."));
            }

            foreach (var row in rows.Where(r => r.Entry.Kind == LedgerEntryKinds.Retention ? r.Entry.ProvinceCode != owner : !Domain.Programs.ProvinceCodes.IsBelow(r.Entry.ProvinceCode, owner)))
            {
                problems.Add(new(row.RowKey, LedgerProblem.Link, $"row {row.RowKey} pays {row.Entry.ProvinceCode}, which is not under {owner}, the payer of the pass-down."));
            }
        }

        if (payerEntry is not null)
        {
            problems.AddRange(LedgerTrace.LinkProblems(payerEntry, reference, parent).Select(p => new LedgerProblem("-", LedgerProblem.Link, p.Message)));
        }

        if (parent.AmountYuan != rows.Aggregate(Int128.Zero, (sum, r) => sum + r.Entry.AmountYuan))
        {
            problems.Add(new("-", LedgerProblem.Link, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the recipients and the retention add up to {rows.Aggregate(Int128.Zero, (sum, r) => sum + r.Entry.AmountYuan):N0} yuan, the entry passed down is {parent.AmountYuan:N0}.")));
        }

        return problems;
    }

    /// <summary>The notices recorded for the run in the outbox, each with the entry hash and chain head it was sent with.</summary>
    private async Task<IReadOnlyList<NoticeWitness>> NoticeWitnessesAsync(string runId, CancellationToken cancellationToken)
    {
        var witnesses = new List<NoticeWitness>();
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.PartitionKey == runId, select: ["RowKey", "Payload"], cancellationToken: cancellationToken))
        {
            try
            {
                if (JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload") ?? "null", WorkflowJson.Options) is { } notice)
                {
                    witnesses.Add(new NoticeWitness($"notice {notice.NoticeNumber}", row.RowKey, notice.LedgerHash, notice.ChainHeadHash));
                }
            }
            catch (JsonException)
            {
                witnesses.Add(new NoticeWitness($"the outbox row of province {row.RowKey}", row.RowKey, "unreadable", null));
            }
        }

        return witnesses;
    }
}
