using System.Globalization;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Http;

/// <summary>The checks handlers share on identifiers and query values (who may call is the operation's <see cref="ApiAccess"/>).</summary>
public static class ApiRequests
{
    /// <summary>400 unless <paramref name="runId"/> is a run id (so nothing else reaches a storage key).</summary>
    public static ApiResult? InvalidRunId(string? runId, string field = "runId") =>
        Identifiers.IsRunId(runId)
            ? null
            : ApiResult.Invalid("Invalid run id", [new ValidationError(field, null, $"{Identifiers.Quote(runId)} is not a run id (32 lowercase hexadecimal digits).").With(ErrorCodes.NotARunId, ("value", runId))]);

    /// <summary>400 unless <paramref name="code"/> is one of the 31 provincial codes.</summary>
    public static ApiResult? InvalidProvince(string? code) =>
        code is not null && ProvinceCodes.IsKnown(code)
            ? null
            : ApiResult.Invalid("Invalid province", [new ValidationError("code", null, $"{Identifiers.Quote(code)} is not one of the 31 provincial codes (GB/T 2260, 11-65).").With(ErrorCodes.UnknownProvince, ("value", code))]);

    /// <summary>A query value, or null when absent or empty; an overlong value is an error.</summary>
    public static string? Value(IReadOnlyDictionary<string, string?> query, string name, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        if (query.GetValueOrDefault(name) is not { Length: > 0 } value)
        {
            return null;
        }

        if (value.Length > ApiLimits.MaxQueryValueLength)
        {
            errors.Add(new ValidationError(name, null, $"{value.Length:N0} characters; at most {ApiLimits.MaxQueryValueLength:N0}.").With(ErrorCodes.TooLong, ("length", value.Length), ("limit", ApiLimits.MaxQueryValueLength)));
            return null;
        }

        return value;
    }

    /// <summary>An optional whole number in [min, max]; anything else is an error naming the parameter.</summary>
    public static int? WholeNumber(IReadOnlyDictionary<string, string?> query, string name, int min, int max, List<ValidationError> errors)
    {
        if (Value(query, name, errors) is not { } text)
        {
            return null;
        }

        // Digits only (a minus sign only where the range goes below 0): "+2026", " 2026" or "2026.0" are not years.
        var digits = min < 0 && text.StartsWith('-') ? text[1..] : text;
        if (digits.Length is > 0 and <= 10 && digits.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(new ValidationError(name, null, $"{Identifiers.Quote(text)} is not a whole number from {min} to {max}.").With(ErrorCodes.OutOfRange, ("value", text), ("min", min), ("max", max)));
        return null;
    }

    /// <summary>An optional value from a fixed set.</summary>
    public static string? OneOf(IReadOnlyDictionary<string, string?> query, string name, IReadOnlyList<string> allowed, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (Value(query, name, errors) is not { } text)
        {
            return null;
        }

        if (allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var listed = allowed.Count <= 20 ? string.Join(", ", allowed) : $"the {allowed.Count} allowed values, such as {string.Join(", ", allowed.Take(3))}";
        errors.Add(new ValidationError(name, null, $"{Identifiers.Quote(text)} is not one of {listed}.").With(ErrorCodes.NotOneOf, ("value", text), ("allowed", string.Join(",", allowed))));
        return null;
    }
}
