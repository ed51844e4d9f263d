using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Cli.Data;

/// <summary>
/// The illustrative prefecture data set (data/prefectures-2026.csv), derived from the county data set: one row per
/// four-digit prefix PPCC of the counties' codes (the prefecture-level city they belong to), each additive column the
/// exact sum of its counties (so a province's prefectures add up to the province's figures, as its counties do), each
/// other column (fiscal tier, central share, difficulty coefficient, performance score) its counties' mean weighted by
/// population, to the decimals the counties carry. Names are illustrative, as the counties' are ("广东01市").
/// </summary>
public static class PrefectureDataGenerator
{
    /// <summary>The prefecture CSV (UTF-8 text, CRLF line ends, the county file's columns) for the given counties.</summary>
    public static string Generate(ProvinceTable counties)
    {
        ArgumentNullException.ThrowIfNull(counties);
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\r\n" })
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" }))
        {
            foreach (var column in counties.Columns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var prefecture in counties.Rows.Where(r => r.Code.Length == 6).GroupBy(r => r.Code[..4], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var row = Row(prefecture.Key, [.. prefecture], counties.Columns);
                foreach (var column in counties.Columns)
                {
                    csv.WriteField(row[column]);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    private static Dictionary<string, string> Row(string code, IReadOnlyList<ProvinceRow> counties, IReadOnlyList<string> columns)
    {
        var first = counties[0];
        var suffix = $"{first.Code[2..]}县";
        var provinceZh = first.NameZh.EndsWith(suffix, StringComparison.Ordinal) ? first.NameZh[..^suffix.Length] : first.NameZh;
        var provinceEn = first.NameEn.Split(" county ", 2)[0];
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProvinceColumns.Code] = code,
            [ProvinceColumns.NameEn] = $"{provinceEn} prefecture {code[2..]}",
            [ProvinceColumns.NameZh] = $"{provinceZh}{code[2..]}市",
        };
        var population = counties.Select(c => c.Values.GetValueOrDefault("population_2020", 1m)).ToArray();
        foreach (var column in columns.Where(ProvinceColumns.IsNumeric))
        {
            var values = counties.Select(c => c.Values.GetValueOrDefault(column)).ToArray();
            row[column] = CountyDataGenerator.Additive.Contains(column)
                ? values.Sum().ToString(CultureInfo.InvariantCulture)
                : WeightedMean(values, population).ToString(CultureInfo.InvariantCulture);
        }

        return row;
    }

    /// <summary>Σ(v × w) / Σw rounded to the most decimals among the values (equal values give that value exactly).</summary>
    private static decimal WeightedMean(decimal[] values, decimal[] weights)
    {
        var decimals = values.Max(v => v.Scale);
        var total = weights.Sum();
        var mean = total == 0 ? values.Average() : values.Zip(weights, (v, w) => v * w).Sum() / total;
        return decimal.Round(mean, decimals, MidpointRounding.ToEven);
    }
}
