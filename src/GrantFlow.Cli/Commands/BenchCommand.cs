using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow bench allocate</c>: times the allocation engine on generated recipients against a baseline measured
/// in the same run (a naive decimal pro-rata split of the same weights, without floors or exact rounding).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var recipientsOption = new Option<int>("--recipients") { Description = "Generated recipients.", DefaultValueFactory = _ => 1_000_000 };
        var repeatOption = new Option<int>("--repeat") { Description = "Timed repetitions (the median is reported).", DefaultValueFactory = _ => 3 };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 2026 };
        var allocate = new Command("allocate", "Time the allocation engine on generated recipients.") { recipientsOption, repeatOption, seedOption };
        allocate.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var count = parse.GetValue(recipientsOption);
            var repeat = Math.Max(1, parse.GetValue(repeatOption));
            var rows = GeneratedRecipients.Create(count, parse.GetValue(seedOption));
            var formula = new FormulaParameters { Kind = FormulaParameters.PerCapitaKind, StandardYuan = 700m };
            // 95% of the entitlement, as in the 2026 resident-insurance run (about 97%), so that the high floors bind.
            var envelope = (long)decimal.Floor(rows.Sum(r => r.Values[ProvinceColumns.ResidentParticipants] * 700m * r.Values[ProvinceColumns.CentralShare]) * 0.95m);

            var parameters = new RunParameters
            {
                Program = "resident-insurance",
                FiscalYear = 2026,
                EnvelopeYuan = envelope,
                Formula = formula,
                Floor = new FloorParameters { Ratio = 1m, Basis = "prior_year_resident_subsidy_yuan" },
            };
            var arithmetic = FormulaWeights.Compute(formula, rows).SmallNumerators is null ? "BigInteger" : "128-bit";
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var engine = Median(repeat, () => GrantAllocator.AllocateValidated(parameters, rows).TotalYuan);
            var retained = GrantAllocator.AllocateValidated(parameters, rows);
            var engineBytes = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            GC.KeepAlive(retained);
            var baseline = Median(repeat, () => NaiveProRata(rows, envelope));

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recipients: {count:N0}; envelope: {envelope:N0} yuan; repetitions: {repeat}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine (exact weights, floors, largest remainder, explanations): {engine.Elapsed.TotalMilliseconds:N0} ms, total {engine.Total:N0} yuan; {arithmetic} arithmetic; the result holds {engineBytes / 1_048_576.0:N0} MB"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline (naive decimal pro-rata, no floors):      {baseline.Elapsed.TotalMilliseconds:N0} ms, total {baseline.Total:N0} yuan"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio engine/baseline: {engine.Elapsed.TotalMilliseconds / baseline.Elapsed.TotalMilliseconds:N2}"));
            return engine.Total == envelope ? GrantFlowCli.Success : GrantFlowCli.Failure;
        });
        return new Command("bench", "Benchmarks (ratios against a baseline measured in the same run).") { allocate, RunBenchmark.Create(), PassDownBenchmark.Create(), HistoryBenchmark.Create() };
    }

    private static (TimeSpan Elapsed, long Total) Median(int repeat, Func<long> work)
    {
        work(); // warm-up
        var samples = new List<(TimeSpan, long)>();
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            var total = work();
            samples.Add((watch.Elapsed, total));
        }

        return samples.OrderBy(s => s.Item1).ElementAt(samples.Count / 2);
    }

    private static long NaiveProRata(IReadOnlyList<ProvinceRow> rows, long envelope)
    {
        var weights = new decimal[rows.Count];
        var sum = 0m;
        for (var i = 0; i < rows.Count; i++)
        {
            var v = rows[i].Values;
            weights[i] = v[ProvinceColumns.ResidentParticipants] * 700m * v[ProvinceColumns.CentralShare];
            sum += weights[i];
        }

        long total = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            total += (long)decimal.Floor(envelope * (weights[i] / sum));
        }

        return total;
    }
}

/// <summary>Deterministic generated recipients shaped like the province file.</summary>
internal static class GeneratedRecipients
{
    public static IReadOnlyList<ProvinceRow> Create(int count, int seed)
    {
        var random = new Random(seed);
        decimal[] shares = [0.1m, 0.3m, 0.5m, 0.6m, 0.8m];
        var rows = new ProvinceRow[count];
        for (var i = 0; i < count; i++)
        {
            var participants = (decimal)random.Next(1_000, 60_000_000);
            var share = shares[random.Next(shares.Length)];
            var entitlement = participants * 700m * share;
            // One in ten recipients has a prior-year floor above its pro-rata share, so the floors bind.
            var floor = random.Next(10) == 0 ? decimal.Floor(entitlement * 0.99m) : decimal.Floor(entitlement * 0.5m);
            rows[i] = new ProvinceRow(
                i + 2,
                "R" + i.ToString("D7", CultureInfo.InvariantCulture),
                "recipient",
                "recipient",
                new Dictionary<string, decimal>(StringComparer.Ordinal)
                {
                    [ProvinceColumns.ResidentParticipants] = participants,
                    [ProvinceColumns.CentralShare] = share,
                    ["prior_year_resident_subsidy_yuan"] = floor,
                });
        }

        return rows;
    }
}
