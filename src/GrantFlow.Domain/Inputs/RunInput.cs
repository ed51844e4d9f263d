using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Inputs;

/// <summary>A run's validated input: its parameters and its province data.</summary>
public sealed record RunInput(RunParameters Parameters, ProvinceTable Provinces)
{
    /// <summary>
    /// Parses and validates the run-parameters JSON and the province CSV together, reporting every error of both at
    /// once (<see cref="InputValidationException"/>). Returns only input that is fit to allocate.
    /// </summary>
    public static RunInput Parse(string parametersJson, TextReader provincesCsv, RecipientLevel? level = RecipientLevel.Province)
    {
        var errors = new List<ValidationError>();
        RunParameters? parameters = null;
        try
        {
            parameters = RunParametersReader.Parse(parametersJson);
        }
        catch (InputValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        var (table, csvErrors) = ProvinceCsvReader.Parse(provincesCsv);
        errors.AddRange(csvErrors);
        if (parameters is not null)
        {
            errors.AddRange(RunInputValidator.Validate(parameters, table, level ?? InferLevel(table)));
        }

        return errors.Count > 0 ? throw new InputValidationException(errors) : new RunInput(parameters!, table);
    }

    /// <summary>For what-if tools: county level when the first row has a 6-digit code, prefecture level for 4 digits, else province level.</summary>
    public static RecipientLevel InferLevel(ProvinceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Rows.Count == 0 ? RecipientLevel.Province : table.Rows[0].Code.Length switch
        {
            6 => RecipientLevel.County,
            4 => RecipientLevel.Prefecture,
            _ => RecipientLevel.Province,
        };
    }
}
