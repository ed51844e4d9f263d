using System.Globalization;
using System.Text;
using CsvHelper;
using GrantFlow.Domain.Ledger;
using MiniExcelLibs;

namespace GrantFlow.Workflows.Ledger;

/// <summary>Exports a ledger query: CSV (CsvHelper, UTF-8 with BOM so spreadsheets read the Chinese names) or XLSX (MiniExcel).</summary>
public sealed class LedgerExport(LedgerQueryService queries)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Columns =
    [
        "fiscal_year", "program", "province_code", "kind", "amount_yuan", "amount_wan_yuan", "run_id", "sequence",
        "notice_number", "formula_version", "approvals", "recorded_at", "hash", "previous_hash", "explanation",
    ];

    public async Task<byte[]> CsvAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync(query, cancellationToken);
        await using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var column in Columns)
            {
                csv.WriteField(column);
            }

            await csv.NextRecordAsync();
            foreach (var row in rows)
            {
                foreach (var column in Columns)
                {
                    csv.WriteField(row[column]);
                }

                await csv.NextRecordAsync();
            }
        }

        return buffer.ToArray();
    }

    public async Task<byte[]> XlsxAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync(query, cancellationToken);
        await using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, sheetName: "ledger", cancellationToken: cancellationToken);
        return buffer.ToArray();
    }

    private async Task<List<Dictionary<string, object>>> RowsAsync(LedgerQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<Dictionary<string, object>>();
        await foreach (var e in queries.AllAsync(query, cancellationToken))
        {
            rows.Add(Row(e));
        }

        return rows;
    }

    private static Dictionary<string, object> Row(LedgerEntry e) => new(StringComparer.Ordinal)
    {
        ["fiscal_year"] = e.FiscalYear,
        ["program"] = e.Program,
        ["province_code"] = e.ProvinceCode,
        ["kind"] = e.Kind,
        ["amount_yuan"] = e.AmountYuan,
        ["amount_wan_yuan"] = (e.AmountYuan / 10_000m).ToString("0.0000", CultureInfo.InvariantCulture),
        ["run_id"] = e.RunId,
        ["sequence"] = e.Sequence,
        ["notice_number"] = e.NoticeNumber,
        ["formula_version"] = e.FormulaVersion,
        ["approvals"] = e.Approvals,
        ["recorded_at"] = e.RecordedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["hash"] = e.Hash,
        ["previous_hash"] = e.PreviousHash,
        ["explanation"] = e.ExplanationDigest,
    };
}
