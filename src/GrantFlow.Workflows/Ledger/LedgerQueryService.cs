using System.Globalization;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Ledger;

/// <summary>Reads the ledger for auditors: pages with continuation tokens, totals. Never writes.</summary>
public sealed class LedgerQueryService(GrantFlowTables storage)
{
    public const int MaxPageSize = 1000;

    public async Task<LedgerPage> PageAsync(LedgerQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await storage.EnsureCreatedAsync(cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var partitions = Partitions(query);
        var (index, token) = ContinuationTokens.Parse(continuationToken, query, partitions);
        if (index >= partitions.Count)
        {
            return new LedgerPage([], null);
        }

        // A page fills to its size across table pages and partitions (the table service may answer a filtered
        // query with fewer rows and a continuation); each table page is asked for no more than is still missing, so
        // the page ends exactly at a table position the next token can resume from.
        var entries = new List<LedgerEntry>(Math.Min(pageSize, 100));
        var givenToken = token;
        while (entries.Count < pageSize && index < partitions.Count)
        {
            if (token is null && partitions.Count - index > 1)
            {
                // Several partitions ahead (a province's year: one per program, most of them empty): their first
                // pages are read at once, a window at a time, and taken in order while they fit; one that does not
                // fit is read again with the room left, so the page still ends at a position a token resumes from.
                var room = pageSize - entries.Count;
                var window = await Task.WhenAll(partitions.Skip(index).Take(PrefetchWindow).Select(p => FetchAsync(query, p, null, room, cancellationToken)));
                foreach (var ahead in window)
                {
                    if (ahead.Values.Count > pageSize - entries.Count)
                    {
                        break;
                    }

                    entries.AddRange(ahead.Values.Select(e => ToEntry(query, e)));
                    if (ahead.ContinuationToken is { Length: > 0 } next)
                    {
                        token = next;
                        break;
                    }

                    index++;
                }

                continue;
            }

            Azure.Page<TableEntity> page;
            try
            {
                page = await FetchAsync(query, partitions[index], token, pageSize - entries.Count, cancellationToken);
            }
            catch (Exception ex) when ((ex is Azure.RequestFailedException { Status: 400 } || ex is FormatException or IndexOutOfRangeException) && token is not null && ReferenceEquals(token, givenToken))
            {
                throw new ArgumentException("The continuation token was not issued by this service for this query; start the query again without it.", nameof(continuationToken), ex);
            }

            entries.AddRange(page.Values.Select(e => ToEntry(query, e)));
            if (page.ContinuationToken is { Length: > 0 } more)
            {
                token = more;
            }
            else
            {
                (index, token) = (index + 1, null);
            }
        }

        return new LedgerPage(entries, index < partitions.Count ? ContinuationTokens.Create(query, index, token) : null);
    }

    /// <summary>Partitions whose first pages are read at once.</summary>
    private const int PrefetchWindow = 16;

    private static LedgerEntry ToEntry(LedgerQuery query, TableEntity e) =>
        query.RunId is not null ? LedgerRepository.FromStoredEntity(e) : LedgerRepository.FromIndexEntity(e);

    /// <summary>One table page of a partition (or a year's range), of at most <paramref name="take"/> rows, from a table position.</summary>
    private async Task<Azure.Page<TableEntity>> FetchAsync(LedgerQuery query, string partition, string? token, int take, CancellationToken cancellationToken)
    {
        var (table, filter) = Source(query, partition);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, take, cancellationToken: cancellationToken).AsPages(token, take))
        {
            return page;
        }

        return Azure.Page<TableEntity>.FromValues([], null, null!);
    }

    public async IAsyncEnumerable<LedgerEntry> AllAsync(LedgerQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await PageAsync(query, MaxPageSize, token, cancellationToken);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    public Task<IReadOnlyList<LedgerTotal>> TotalsAsync(LedgerQuery query, CancellationToken cancellationToken = default) =>
        TotalsAsync(query, null, cancellationToken);

    /// <summary>The totals of the query; <paramref name="observe"/> sees each entry as it is read (one pass for more than totals).</summary>
    public async Task<IReadOnlyList<LedgerTotal>> TotalsAsync(LedgerQuery query, Action<LedgerEntry>? observe, CancellationToken cancellationToken = default)
    {
        var totals = new Dictionary<(int, string, string, string), (int Count, Int128 Amount)>();
        await foreach (var e in AllAsync(query, cancellationToken))
        {
            observe?.Invoke(e);
            if (e.AmountYuan is < 0 or > RunInputValidator.MaxAmountYuan)
            {
                throw new LedgerIntegrityException(string.Create(CultureInfo.InvariantCulture, $"the {e.Kind} entry {e.RunId}/{e.Sequence} ({e.ProvinceCode}) holds {e.AmountYuan:N0} yuan, outside what any release writes (0 to {RunInputValidator.MaxAmountYuan:N0}); no total is given. Verify the ledger (GET /api/ledger/verify?fiscalYear={e.FiscalYear})."));
            }

            var key = (e.FiscalYear, e.Program, e.ProvinceCode, e.Kind);
            var current = totals.GetValueOrDefault(key);
            totals[key] = (current.Count + 1, current.Amount + e.AmountYuan);
        }

        return totals
            .Select(t => new LedgerTotal(t.Key.Item1, t.Key.Item2, t.Key.Item3, t.Key.Item4, t.Value.Count, Fit(t.Value.Amount, t.Key)))
            .OrderBy(t => t.Program, StringComparer.Ordinal).ThenBy(t => t.ProvinceCode, StringComparer.Ordinal).ThenBy(t => t.Kind, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A sum of bounded entries; beyond a <see cref="long"/> only when the ledger was tampered with.</summary>
    internal static long Fit(Int128 total, object what) =>
        total >= long.MinValue && total <= long.MaxValue ? (long)total : throw new LedgerIntegrityException($"the entries of {what} add up to {total} yuan, beyond what any ledger holds; verify the ledger.");

    /// <summary>
    /// Index partitions to read: the run's own partition of the ledger; one program's partition; for a province, one
    /// partition per program (each a seek to the province's key range); for a whole year, the year's partitions as one
    /// key range ("{year}-*": one query across them, in the same order), so reading a year costs that year's rows.
    /// </summary>
    private static List<string> Partitions(LedgerQuery query) =>
        query.RunId is { } runId ? [runId]
        : query.Program is { } program ? [LedgerRepository.IndexPartition(query.FiscalYear, program)]
        : query.Province is null ? [YearRange(query.FiscalYear)]
        : GrantProgramCatalog.All.Select(p => p.Id).Order(StringComparer.Ordinal).Select(p => LedgerRepository.IndexPartition(query.FiscalYear, p)).ToList();

    private static string YearRange(int fiscalYear) => string.Create(CultureInfo.InvariantCulture, $"{fiscalYear}-*");

    /// <summary>The filter of a partition, or of a year's range of partitions.</summary>
    internal static string PartitionFilter(string partition) =>
        partition.EndsWith("-*", StringComparison.Ordinal)
            ? TableClient.CreateQueryFilter($"PartitionKey ge {partition[..^1]} and PartitionKey lt {partition[..^2] + "."}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

    /// <summary>The filter of all of a fiscal year's index partitions.</summary>
    public static string YearFilter(int fiscalYear) => PartitionFilter(YearRange(fiscalYear));

    private (TableClient Table, string Filter) Source(LedgerQuery query, string partition)
    {
        var table = query.RunId is null ? storage.LedgerIndex : storage.Ledger;
        var clauses = new List<string> { PartitionFilter(partition) };
        if (query.RunId is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"FiscalYear eq {query.FiscalYear}"));
            if (query.Province is { } province)
            {
                clauses.Add(TableClient.CreateQueryFilter($"ProvinceCode eq {province}"));
            }

            if (query.Program is { } program)
            {
                clauses.Add(TableClient.CreateQueryFilter($"Program eq {program}"));
            }
        }
        else if (query.Province is { } province)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey ge {province + "-"} and RowKey lt {province + "."}"));
        }

        if (query.Kind is { } kind)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Kind eq {kind}"));
        }

        if (query.From is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RecordedAt ge {Iso(from)}"));
        }

        if (query.To is { } to)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RecordedAt lt {Iso(to)}"));
        }

        return (table, string.Join(" and ", clauses));
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>
/// The ledger's continuation tokens: base64url of "v1|{query digest}|{partition index}|{table token}". A token is
/// accepted only for the query it was issued for, for a partition of that query, and with a table position inside that
/// partition; anything else (edited, truncated, another query's) is refused, never read as "start again".
/// </summary>
internal static class ContinuationTokens
{
    public static string Create(LedgerQuery query, int index, string? tableToken) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{Digest(query)}|{index}|{tableToken}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (int Index, string? TableToken) Parse(string? token, LedgerQuery query, IReadOnlyList<string> partitions)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        string text;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
        }
        catch (FormatException)
        {
            throw Forged();
        }

        var parts = text.Split('|', 4);
        if (parts.Length != 4 || parts[0] != "v1" || parts[1] != Digest(query)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= partitions.Count)
        {
            throw Forged();
        }

        // The table's own part is opaque (the service's encoded next keys): bounded here, and refused by the service
        // when it is not one of its own (PageAsync turns that into the same error). The query still filters by its
        // partition, so no token can make it read outside what the query asks for.
        var tableToken = parts[3].Length > 0 ? parts[3] : null;
        if (tableToken is { Length: > 512 } || (tableToken is not null && tableToken.Any(char.IsControl)))
        {
            throw Forged();
        }

        return (index, tableToken);
    }

    private static ArgumentException Forged() =>
        new("The continuation token was not issued by this service for this query; start the query again without it.", "continuationToken");

    private static string Digest(LedgerQuery query) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query.ToString())))[..16];
}
