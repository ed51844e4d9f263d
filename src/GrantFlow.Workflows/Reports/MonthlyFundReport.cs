using System.Globalization;
using System.Text;
using CsvHelper;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;

namespace GrantFlow.Workflows.Reports;

/// <summary>
/// The monthly fund report of a fiscal year: per program and province, what was advanced, topped up and recovered by
/// the end of the month (from the ledger), what is still outstanding (advanced, not yet settled), and how many of
/// the province's notices were acknowledged by then.
/// </summary>
public sealed class MonthlyFundReport(LedgerQueryService ledger, NoticeOutbox notices, OpenNotices pending)
{
    public async Task<IReadOnlyList<MonthlyFundLine>> BuildAsync(int fiscalYear, int year, int month, CancellationToken cancellationToken = default)
    {
        var monthStart = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = monthStart.AddMonths(1);
        var label = monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var sums = new Dictionary<(string Program, string Province), (long Advanced, long TopUps, long Recoveries)>();
        var settledPrograms = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in ledger.AllAsync(new LedgerQuery(fiscalYear, To: end), cancellationToken))
        {
            if (!Domain.Programs.ProvinceCodes.IsKnown(e.ProvinceCode))
            {
                continue; // a county's pass-down entry: the report is the centre's, by province
            }

            var key = (e.Program, e.ProvinceCode);
            var s = sums.GetValueOrDefault(key);
            sums[key] = e.Kind switch
            {
                LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder => (s.Advanced + e.AmountYuan, s.TopUps, s.Recoveries),
                LedgerEntryKinds.SettlementTopUp => (s.Advanced, s.TopUps + e.AmountYuan, s.Recoveries),
                LedgerEntryKinds.SettlementRecovery => (s.Advanced, s.TopUps, s.Recoveries + e.AmountYuan),
                LedgerEntryKinds.Reversal => (s.Advanced - e.AmountYuan, s.TopUps, s.Recoveries), // corrections reverse advances
                _ => s,
            };
            if (e.Kind is LedgerEntryKinds.SettlementTopUp or LedgerEntryKinds.SettlementRecovery)
            {
                settledPrograms.Add(e.Program);
            }
        }

        var acknowledgements = (await notices.ListSentAsync(fiscalYear, cancellationToken))
            .Where(n => n.Notice.FiscalYear == fiscalYear && n.Notice.IssuedAt < end)
            .GroupBy(n => (n.Notice.Program, n.Notice.ProvinceCode))
            .ToDictionary(g => g.Key, g => (Acknowledged: g.Count(n => n.AcknowledgedAt < end), Total: g.Count()));

        var overdue = (await pending.PendingPassDownsAsync(cancellationToken))
            .Where(p => p.FiscalYear == fiscalYear && p.OverdueSince < end)
            .GroupBy(p => (p.Program, p.ProvinceCode))
            .ToDictionary(g => g.Key, g => g.Count());

        return sums
            .OrderBy(s => s.Key.Program, StringComparer.Ordinal).ThenBy(s => s.Key.Province, StringComparer.Ordinal)
            .Select(s =>
            {
                var (advanced, topUps, recoveries) = s.Value;
                var acks = acknowledgements.GetValueOrDefault(s.Key);
                return new MonthlyFundLine(
                    fiscalYear, label, s.Key.Program, s.Key.Province, advanced, topUps, recoveries,
                    advanced + topUps - recoveries,
                    settledPrograms.Contains(s.Key.Program) ? 0 : advanced,
                    acks.Acknowledged,
                    acks.Total - acks.Acknowledged,
                    overdue.GetValueOrDefault(s.Key));
            })
            .ToList();
    }

    public static byte[] ToCsv(IReadOnlyList<MonthlyFundLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "fiscal_year", "month", "program", "province_code", "advanced_yuan", "topups_yuan", "recoveries_yuan", "net_yuan", "net_wan_yuan", "outstanding_yuan", "notices_acknowledged", "notices_unacknowledged", "pass_downs_overdue" })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var l in lines)
            {
                csv.WriteField(l.FiscalYear);
                csv.WriteField(l.Month);
                csv.WriteField(l.Program);
                csv.WriteField(l.ProvinceCode);
                csv.WriteField(l.AdvancedYuan);
                csv.WriteField(l.TopUpsYuan);
                csv.WriteField(l.RecoveriesYuan);
                csv.WriteField(l.NetYuan);
                csv.WriteField((l.NetYuan / 10_000m).ToString("0.0000", CultureInfo.InvariantCulture));
                csv.WriteField(l.OutstandingYuan);
                csv.WriteField(l.NoticesAcknowledged);
                csv.WriteField(l.NoticesUnacknowledged);
                csv.WriteField(l.PassDownsOverdue);
                csv.NextRecord();
            }
        }

        return buffer.ToArray();
    }
}
