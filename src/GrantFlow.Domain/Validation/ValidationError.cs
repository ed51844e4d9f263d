namespace GrantFlow.Domain.Validation;

/// <summary>
/// One problem with the input: the field (JSON path or CSV column), the CSV line when it is about a row, what is
/// wrong in English, and the same as a stable <see cref="Code"/> (<see cref="ErrorCodes"/>) with its arguments, from
/// which a client says it in its user's language.
/// </summary>
public sealed record ValidationError(string Field, int? Line, string Message)
{
    public string? Code { get; init; }

    public IReadOnlyDictionary<string, string>? Args { get; init; }

    /// <summary>For a row of an Excel workbook: the sheet it is on (the row is <see cref="Line"/>).</summary>
    public string? Sheet { get; init; }

    /// <summary>For a cell of an Excel workbook: its column letter ("C").</summary>
    public string? Column { get; init; }

    /// <summary>The longest argument value kept (a 100 KB value is quoted by its start, as the message quotes it).</summary>
    public const int MaxArgLength = 200;

    /// <summary>This error with its code and arguments (values written invariantly: 1234567.5, not 1,234,567.5).</summary>
    public ValidationError With(string code, params (string Name, object? Value)[] args) => this with
    {
        Code = code,
        Args = args.Length == 0 ? null : Arguments(args),
    };

    /// <summary>Arguments as invariant text, each at most <see cref="MaxArgLength"/> characters.</summary>
    public static IReadOnlyDictionary<string, string> Arguments(params (string Name, object? Value)[] args) =>
        args.ToDictionary(
            a => a.Name,
            a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture) is { } text ? (text.Length > MaxArgLength ? text[..MaxArgLength] + "…" : text) : string.Empty,
            StringComparer.Ordinal);

    public override string ToString() =>
        Sheet is { } sheet ? $"sheet '{sheet}'{(Line is { } row ? $" row {row}" : string.Empty)}{(Column is { } column ? $" column {column}" : string.Empty)}, {Field}: {Message}"
        : Line is { } line ? $"line {line}, {Field}: {Message}" : $"{Field}: {Message}";
}

/// <summary>Thrown when input is invalid; carries every error found, never a partial result.</summary>
public sealed class InputValidationException : Exception
{
    public InputValidationException(IReadOnlyList<ValidationError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public InputValidationException()
        : this([])
    {
    }

    public InputValidationException(string message)
        : this([new ValidationError("input", null, message)])
    {
    }

    public InputValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ValidationError("input", null, message)];
    }

    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>The most errors a message lists (the count is always given).</summary>
    public const int MaxListed = 100;

    private static string Describe(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 0
            ? "The input is invalid."
            : $"The input has {errors.Count} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Take(MaxListed).Select(e => "  - " + e))
                + (errors.Count > MaxListed ? $"{Environment.NewLine}  ... and {errors.Count - MaxListed} more." : string.Empty);
}
