namespace GrantFlow.Domain.Validation;

/// <summary>One problem with the input: the field (JSON path or CSV column), the CSV line when it is about a row, and what is wrong.</summary>
public sealed record ValidationError(string Field, int? Line, string Message)
{
    public override string ToString() =>
        Line is { } line ? $"line {line}, {Field}: {Message}" : $"{Field}: {Message}";
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
