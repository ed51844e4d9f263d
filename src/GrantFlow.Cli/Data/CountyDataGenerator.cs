using System.Globalization;
using System.Numerics;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Cli.Data;

/// <summary>
/// The illustrative county data set (data/counties-2026.csv): for each of the 31 provinces, about as many
/// county-level divisions as it has (2,843 in all), with GB/T 2260-shaped codes under its prefix (PPCCDD: prefecture
/// CC, county DD, never 00), illustrative names, and figures that add up exactly to the province's: each additive
/// column (population, insured residents, prior-year participants and subsidy, assistance recipients, designated
/// institutions) is split by seeded random weights with the largest-remainder rule, so county sums equal the
/// province figure to the unit. Fiscal tier and central share are the province's; the fiscal-difficulty coefficient
/// and the performance score vary a little around it. The same seed gives the same file, byte for byte.
/// </summary>
public static class CountyDataGenerator
{
    public const int DefaultSeed = 2026;

    /// <summary>County-level divisions per province (approximately the real counts; 2,843 in all).</summary>
    public static readonly IReadOnlyDictionary<string, int> CountiesPerProvince = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["11"] = 16, ["12"] = 16, ["13"] = 167, ["14"] = 117, ["15"] = 103, ["21"] = 100, ["22"] = 60, ["23"] = 121,
        ["31"] = 16, ["32"] = 95, ["33"] = 90, ["34"] = 104, ["35"] = 84, ["36"] = 100, ["37"] = 136, ["41"] = 157,
        ["42"] = 103, ["43"] = 122, ["44"] = 122, ["45"] = 111, ["46"] = 25, ["50"] = 38, ["51"] = 183, ["52"] = 88,
        ["53"] = 129, ["54"] = 74, ["61"] = 107, ["62"] = 86, ["63"] = 44, ["64"] = 22, ["65"] = 107,
    };

    /// <summary>Columns split between a province's counties (their sums are the province's figures).</summary>
    public static readonly IReadOnlyList<string> Additive =
    [
        "population_2020", ProvinceColumns.ResidentParticipants, "prior_year_participants", "prior_year_resident_subsidy_yuan", "assistance_recipients", "designated_institutions",
    ];

    private static readonly string[] Municipalities = ["11", "12", "31", "50"];

    private const int CountiesPerPrefecture = 12;

    /// <summary>The county CSV (UTF-8 text, CRLF line ends, the province file's columns) for the given provinces.</summary>
    public static string Generate(ProvinceTable provinces, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(provinces);
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\r\n" })
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" }))
        {
            foreach (var column in provinces.Columns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var province in provinces.Rows.OrderBy(r => r.Code, StringComparer.Ordinal))
            {
                foreach (var county in Counties(province, provinces.Columns, seed))
                {
                    foreach (var column in provinces.Columns)
                    {
                        csv.WriteField(county[column]);
                    }

                    csv.NextRecord();
                }
            }
        }

        return text.ToString();
    }

    private static List<Dictionary<string, string>> Counties(ProvinceRow province, IReadOnlyList<string> columns, int seed)
    {
        var count = CountiesPerProvince[province.Code];
        var random = new Random(seed + (int.Parse(province.Code, CultureInfo.InvariantCulture) * 7919));
        var size = Enumerable.Range(0, count).Select(_ => (long)random.Next(200, 2_000)).ToArray();
        var institutions = size.Select(s => s + random.Next(0, 600)).ToArray();
        var split = Additive.Where(columns.Contains).ToDictionary(
            c => c,
            c => Split((long)province.Values[c], c == "designated_institutions" ? institutions : size),
            StringComparer.Ordinal);
        var counties = new List<Dictionary<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var (prefecture, number) = Municipalities.Contains(province.Code) ? (1, i + 1) : ((i / CountiesPerPrefecture) + 1, (i % CountiesPerPrefecture) + 1);
            var code = string.Create(CultureInfo.InvariantCulture, $"{province.Code}{prefecture:D2}{number:D2}");
            var row = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ProvinceColumns.Code] = code,
                [ProvinceColumns.NameEn] = $"{province.NameEn} county {code[2..]}",
                [ProvinceColumns.NameZh] = $"{province.NameZh}{code[2..]}县",
            };
            foreach (var column in columns.Where(c => ProvinceColumns.IsNumeric(c)))
            {
                var value = province.Values.GetValueOrDefault(column);
                row[column] = split.TryGetValue(column, out var parts)
                    ? parts[i].ToString(CultureInfo.InvariantCulture)
                    : column switch
                    {
                        "fiscal_difficulty_coefficient" => Math.Clamp(value + (random.Next(-50, 51) / 1000m), 0.001m, 1m).ToString("0.000", CultureInfo.InvariantCulture),
                        "performance_score" => Math.Clamp(value + (random.Next(-50, 51) / 10m), 0m, 100m).ToString("0.0", CultureInfo.InvariantCulture),
                        _ => value.ToString(CultureInfo.InvariantCulture),
                    };
            }

            counties.Add(row);
        }

        return counties;
    }

    /// <summary>Splits a whole total by weights, exactly: floors, then the units left to the largest remainders (ties: first county).</summary>
    private static long[] Split(long total, long[] weights)
    {
        var sum = weights.Aggregate(BigInteger.Zero, (a, w) => a + w);
        var parts = new long[weights.Length];
        var remainders = new BigInteger[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            parts[i] = (long)BigInteger.DivRem(total * (BigInteger)weights[i], sum, out remainders[i]);
        }

        var left = total - parts.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)left))
        {
            parts[i]++;
        }

        return parts;
    }
}
