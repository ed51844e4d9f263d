using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Console.Services;

/// <summary>The parameters an official edits: the run-parameters document, field by field.</summary>
public sealed class ParameterSet
{
    public string Program { get; set; } = "resident-insurance";
    public int FiscalYear { get; set; } = 2026;
    public long EnvelopeYuan { get; set; }
    public string FormulaKind { get; set; } = FormulaParameters.PerCapitaKind;
    public decimal? StandardYuan { get; set; }
    public List<WeightRow> Weights { get; set; } = [];
    public bool HasFloor { get; set; }
    public decimal FloorRatio { get; set; }
    public string FloorBasis { get; set; } = "prior_year_resident_subsidy_yuan";

    public static ParameterSet From(RunParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new ParameterSet
        {
            Program = parameters.Program,
            FiscalYear = parameters.FiscalYear,
            EnvelopeYuan = parameters.EnvelopeYuan,
            FormulaKind = parameters.Formula.Kind,
            StandardYuan = parameters.Formula.StandardYuan,
            Weights = [.. (parameters.Formula.Weights ?? new Dictionary<string, decimal>()).Select(kv => new WeightRow { Column = kv.Key, Weight = kv.Value })],
            HasFloor = parameters.Floor is not null,
            FloorRatio = parameters.Floor?.Ratio ?? 0m,
            FloorBasis = parameters.Floor?.Basis ?? "prior_year_resident_subsidy_yuan",
        };
    }

    public ParameterSet Copy() => From(ToParameters());

    public RunParameters ToParameters() => new()
    {
        Program = Program,
        FiscalYear = FiscalYear,
        EnvelopeYuan = EnvelopeYuan,
        Formula = FormulaKind == FormulaParameters.FactorKind
            ? new FormulaParameters { Kind = FormulaKind, Weights = Weights.Where(w => w.Column.Length > 0).GroupBy(w => w.Column, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Weight, StringComparer.Ordinal) }
            : new FormulaParameters { Kind = FormulaKind, StandardYuan = StandardYuan },
        Floor = HasFloor ? new FloorParameters { Ratio = FloorRatio, Basis = FloorBasis } : null,
    };

    /// <summary>The document as the API takes it (the same JSON the CLI reads).</summary>
    public string ToJson() => RunParametersReader.Write(ToParameters());
}

public sealed class WeightRow
{
    public string Column { get; set; } = string.Empty;
    public decimal Weight { get; set; }
}

/// <summary>A what-if: the allocation the server would compute, or every reason it would refuse the input.</summary>
public sealed record WhatIfResult(AllocationResult? Allocation, IReadOnlyList<ValidationError> Errors, TimeSpan Elapsed);

/// <summary>
/// What-if allocations in the browser with GrantFlow.Domain, the very engine the server runs (same validation, same
/// arithmetic, same rounding), so the numbers on screen are the numbers the run will record.
/// </summary>
public static class WhatIf
{
    public static WhatIfResult Compute(ParameterSet set, ProvinceTable? table, RecipientLevel level = RecipientLevel.Province)
    {
        ArgumentNullException.ThrowIfNull(set);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (table is null)
        {
            return new WhatIfResult(null, [new ValidationError("provinces", null, "no data: upload a CSV or use the bundled data.")], TimeSpan.Zero);
        }

        try
        {
            var parameters = set.ToParameters();
            var errors = RunInputValidator.Validate(parameters, table, level);
            if (errors.Count > 0)
            {
                return new WhatIfResult(null, errors, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }

            return new WhatIfResult(GrantAllocator.AllocateValidated(parameters, table.Rows), [], System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (InputValidationException ex)
        {
            return new WhatIfResult(null, ex.Errors, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (InfeasibleFloorsException ex)
        {
            return new WhatIfResult(null, [new ValidationError("floor", null, ex.Message)], System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Reads a CSV file's bytes as the server does (UTF-8 with or without BOM, UTF-16, GB18030/GBK).</summary>
    public static (ProvinceTable? Table, string? Text, IReadOnlyList<ValidationError> Errors) ReadCsv(byte[] bytes, string field = "provinces")
    {
        try
        {
            var (text, _) = CsvText.Decode(bytes, field);
            using var reader = new StringReader(text);
            var (table, errors) = ProvinceCsvReader.Parse(reader);
            return (errors.Count > 0 ? null : table, text, errors);
        }
        catch (InputValidationException ex)
        {
            return (null, null, ex.Errors);
        }
    }

    /// <summary>The assemblies reading a workbook needs, loaded on the first .xlsx upload (lazy in the project file).</summary>
    public static readonly string[] WorkbookAssemblies =
    [
        "MiniExcel.wasm", "System.Private.Xml.wasm", "System.Private.Xml.Linq.wasm", "System.Xml.Linq.wasm", "System.Xml.XDocument.wasm",
        "System.Xml.ReaderWriter.wasm", "System.Data.Common.wasm", "Microsoft.CSharp.wasm", "System.Drawing.wasm", "System.Drawing.Primitives.wasm",
        "System.IO.Compression.wasm",
    ];

    /// <summary>
    /// A workbook (.xlsx) read from its first sheet as the same table a CSV gives; its errors name the sheet, the row and
    /// the column. Call only after <see cref="WorkbookAssemblies"/> are loaded (kept apart from <see cref="ReadCsv"/> so a
    /// CSV never needs them).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static (ProvinceTable? Table, string? Text, IReadOnlyList<ValidationError> Errors) ReadWorkbook(byte[] bytes, string field = "provinces")
    {
        try
        {
            var sheet = XlsxTable.Read(bytes, field);
            using var reader = new StringReader(sheet.Csv);
            var (table, errors) = ProvinceCsvReader.Parse(reader);
            return (errors.Count > 0 ? null : table, sheet.Csv, sheet.Locate(errors));
        }
        catch (InputValidationException ex)
        {
            return (null, null, ex.Errors);
        }
    }

    /// <summary>The example data bundled with GrantFlow (embedded in the app; nothing is fetched).</summary>
    public static string Bundled(string name)
    {
        using var stream = typeof(WhatIf).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"no bundled file {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static ParameterSet BundledParameters(string program)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"data/runs/{program}-2026.json");
        return ParameterSet.From(RunParametersReader.Parse(Bundled(name)));
    }
}
