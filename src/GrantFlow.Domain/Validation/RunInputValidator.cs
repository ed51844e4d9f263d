using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Validation;

/// <summary>
/// Who a run allocates to: the 31 provinces (a central run), county-level divisions (6-digit codes) or
/// prefecture-level divisions (4-digit codes; a province passing down through its cities, 下达到市).
/// </summary>
public enum RecipientLevel
{
    Province,
    County,
    Prefecture,
}

/// <summary>Checks run parameters against province data; returns every error at once.</summary>
public static class RunInputValidator
{
    public const int MinFiscalYear = 2000;
    public const int MaxFiscalYear = 2100;

    /// <summary>
    /// The most any amount entering GrantFlow may be (an envelope, a corrected or disputed amount): 100 trillion yuan,
    /// several times the whole central budget. Bounded where it enters, so sums of stored entries (a year's ledger, a
    /// province's net) stay far inside a <see cref="long"/>.
    /// </summary>
    public const long MaxAmountYuan = 100_000_000_000_000;

    public static IReadOnlyList<ValidationError> Validate(RunParameters parameters, ProvinceTable table, RecipientLevel level = RecipientLevel.Province)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(table);
        var errors = new List<ValidationError>();
        ValidateParameters(parameters, errors);
        ValidateColumns(parameters, table, errors);
        ValidateRows(parameters, table, level, errors);
        return errors;
    }

    public static void ThrowIfInvalid(RunParameters parameters, ProvinceTable table, RecipientLevel level = RecipientLevel.Province)
    {
        var errors = Validate(parameters, table, level);
        if (errors.Count > 0)
        {
            throw new InputValidationException(errors);
        }
    }

    /// <summary>The CSV columns a run reads: formula inputs and the floor basis.</summary>
    public static IReadOnlyList<string> ColumnsUsed(RunParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var used = new List<string>();
        if (parameters.Formula.Kind == FormulaParameters.PerCapitaKind)
        {
            used.Add(ProvinceColumns.ResidentParticipants);
            used.Add(ProvinceColumns.CentralShare);
        }
        else if (parameters.Formula.Weights is { } weights)
        {
            used.AddRange(weights.Keys);
        }

        if (parameters.Floor is { } floor && !used.Contains(floor.Basis, StringComparer.Ordinal))
        {
            used.Add(floor.Basis);
        }

        return used;
    }

    private static void ValidateParameters(RunParameters p, List<ValidationError> errors)
    {
        if (!GrantProgramCatalog.TryGet(p.Program, out _))
        {
            errors.Add(new ValidationError("program", null, $"unknown program {Identifiers.Quote(p.Program)}; expected one of the catalog's {GrantProgramCatalog.All.Count} program ids, such as {string.Join(", ", GrantProgramCatalog.Seeds.Select(x => x.Id))}.").With(ErrorCodes.UnknownProgram, ("value", p.Program)));
        }

        if (p.FiscalYear is < MinFiscalYear or > MaxFiscalYear)
        {
            errors.Add(new ValidationError("fiscalYear", null, $"{p.FiscalYear} is not a plausible fiscal year ({MinFiscalYear}-{MaxFiscalYear}).").With(ErrorCodes.OutOfRange, ("value", p.FiscalYear), ("min", MinFiscalYear), ("max", MaxFiscalYear)));
        }

        if (p.EnvelopeYuan <= 0)
        {
            errors.Add(new ValidationError("envelopeYuan", null, $"the envelope must be more than 0 yuan, got {p.EnvelopeYuan}.").With(ErrorCodes.EnvelopeNotPositive, ("value", p.EnvelopeYuan)));
        }
        else if (p.EnvelopeYuan > MaxAmountYuan)
        {
            errors.Add(new ValidationError("envelopeYuan", null, $"{p.EnvelopeYuan:N0} yuan is more than any program's envelope can be (at most {MaxAmountYuan:N0} yuan).").With(ErrorCodes.EnvelopeTooLarge, ("value", p.EnvelopeYuan), ("limit", MaxAmountYuan)));
        }

        switch (p.Formula.Kind)
        {
            case FormulaParameters.PerCapitaKind:
                if (p.Formula.StandardYuan is not { } standard || standard <= 0)
                {
                    errors.Add(new ValidationError("formula.standardYuan", null, "a per-capita formula needs a standardYuan above 0.").With(ErrorCodes.StandardRequired));
                }

                if (p.Formula.Weights is not null)
                {
                    errors.Add(new ValidationError("formula.weights", null, "a per-capita formula takes no weights.").With(ErrorCodes.WeightsNotTaken));
                }

                break;
            case FormulaParameters.FactorKind:
                ValidateWeights(p.Formula, errors);
                break;
            default:
                errors.Add(new ValidationError("formula.kind", null, $"unknown formula kind {Identifiers.Quote(p.Formula.Kind)}; expected '{FormulaParameters.PerCapitaKind}' or '{FormulaParameters.FactorKind}'.").With(ErrorCodes.FormulaKindUnknown, ("value", p.Formula.Kind)));
                break;
        }

        if (p.Floor is { } floor)
        {
            if (floor.Ratio <= 0 || floor.Ratio > 1)
            {
                errors.Add(new ValidationError("floor.ratio", null, $"the floor ratio must be in (0, 1], got {floor.Ratio}.").With(ErrorCodes.FloorRatio, ("value", floor.Ratio)));
            }

            if (!ProvinceColumns.IsNumeric(floor.Basis))
            {
                errors.Add(new ValidationError("floor.basis", null, $"unknown column {Identifiers.Quote(floor.Basis)}.").With(ErrorCodes.ColumnUnknown, ("column", floor.Basis)));
            }
        }
    }

    private static void ValidateWeights(FormulaParameters formula, List<ValidationError> errors)
    {
        if (formula.Weights is not { Count: > 0 } weights)
        {
            errors.Add(new ValidationError("formula.weights", null, "a factor formula needs at least one weighted column.").With(ErrorCodes.WeightsRequired));
            return;
        }

        if (formula.StandardYuan is not null)
        {
            errors.Add(new ValidationError("formula.standardYuan", null, "a factor formula takes no standardYuan.").With(ErrorCodes.StandardNotTaken));
        }

        if (weights.Count > ProvinceColumns.Numeric.Count)
        {
            errors.Add(new ValidationError("formula.weights", null, $"{weights.Count} weighted columns; there are {ProvinceColumns.Numeric.Count} numeric columns.").With(ErrorCodes.WeightsTooMany, ("count", weights.Count), ("limit", ProvinceColumns.Numeric.Count)));
            return;
        }

        foreach (var (column, weight) in weights)
        {
            var field = column.Length <= 64 ? $"formula.weights.{column}" : "formula.weights";
            if (!ProvinceColumns.IsNumeric(column))
            {
                errors.Add(new ValidationError(field, null, $"unknown column {Identifiers.Quote(column)}.").With(ErrorCodes.ColumnUnknown, ("column", column)));
            }

            if (weight <= 0)
            {
                errors.Add(new ValidationError(field, null, $"weights must be above 0, got {weight}.").With(ErrorCodes.WeightNotPositive, ("value", weight)));
            }
        }

        var sum = weights.Values.Sum();
        if (sum != 1m)
        {
            errors.Add(new ValidationError("formula.weights", null, $"weights must sum to exactly 1, they sum to {sum}.").With(ErrorCodes.WeightsSum, ("sum", sum)));
        }
    }

    private static void ValidateColumns(RunParameters p, ProvinceTable table, List<ValidationError> errors)
    {
        if (table.Columns.Count == 0)
        {
            return; // an empty file is reported once, by the reader
        }

        foreach (var column in ColumnsUsed(p).Where(ProvinceColumns.IsNumeric))
        {
            if (!table.Columns.Contains(column, StringComparer.Ordinal))
            {
                errors.Add(new ValidationError(column, 1, $"missing column '{column}', which the run's {(p.Floor?.Basis == column ? "floor" : "formula")} uses.").With(ErrorCodes.ColumnMissing, ("column", column), ("usedBy", p.Floor?.Basis == column ? "floor" : "formula")));
            }
        }
    }

    private static void ValidateRows(RunParameters p, ProvinceTable table, RecipientLevel level, List<ValidationError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            if (level == RecipientLevel.Province && !ProvinceCodes.IsKnown(row.Code))
            {
                errors.Add(new ValidationError(ProvinceColumns.Code, row.Line, ProvinceCodes.IsRecipient(row.Code)
                    ? $"'{row.Code}' is a {(row.Code.Length == 4 ? "prefecture" : "county")}-level code; a central run allocates to the 31 provinces (GB/T 2260 codes 11-65) only."
                    : $"unknown province code {Identifiers.Quote(row.Code)}; expected one of the 31 provincial codes of GB/T 2260 (11-65).").With(ErrorCodes.UnknownProvince, ("value", row.Code)));
            }
            else if (level == RecipientLevel.Prefecture && !ProvinceCodes.IsPrefecture(row.Code))
            {
                errors.Add(new ValidationError(ProvinceColumns.Code, row.Line, $"unknown prefecture code {Identifiers.Quote(row.Code)}; expected a 4-digit GB/T 2260 prefecture-level code (the first four digits of its counties' codes).").With(ErrorCodes.UnknownPrefecture, ("value", row.Code)));
            }
            else if (level == RecipientLevel.County && !ProvinceCodes.IsCounty(row.Code))
            {
                errors.Add(new ValidationError(ProvinceColumns.Code, row.Line, $"unknown county code {Identifiers.Quote(row.Code)}; expected a 6-digit GB/T 2260 county-level code.").With(ErrorCodes.UnknownCounty, ("value", row.Code)));
            }
            else if (seen.TryGetValue(row.Code, out var firstLine))
            {
                errors.Add(new ValidationError(ProvinceColumns.Code, row.Line, $"duplicate province code '{row.Code}' (first on line {firstLine}).").With(ErrorCodes.DuplicateCode, ("value", row.Code), ("firstLine", firstLine)));
            }
            else
            {
                seen[row.Code] = row.Line;
            }

            if (p.Formula.Kind == FormulaParameters.PerCapitaKind
                && row.Values.TryGetValue(ProvinceColumns.CentralShare, out var share)
                && (share <= 0 || share > 1))
            {
                errors.Add(new ValidationError(ProvinceColumns.CentralShare, row.Line, $"central_share must be in (0, 1], got {share}.").With(ErrorCodes.OutOfRange, ("value", share), ("min", "0"), ("max", "1")));
            }
        }

        if (p.Formula.Kind == FormulaParameters.FactorKind && p.Formula.Weights is { } weights && table.Rows.Count > 0)
        {
            foreach (var column in weights.Keys.Where(c => table.Columns.Contains(c, StringComparer.Ordinal)))
            {
                var parsed = table.Rows.Where(r => r.Values.ContainsKey(column)).ToList();
                if (parsed.Count == table.Rows.Count && parsed.All(r => r.Values[column] == 0))
                {
                    errors.Add(new ValidationError(column, null, $"factor column '{column}' is zero for every province, so it cannot be normalised.").With(ErrorCodes.ColumnAllZero, ("column", column)));
                }
            }
        }
    }
}
