using System.Text.Json;
using System.Text.Json.Serialization;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Inputs;

/// <summary>Reads the run-parameters JSON document strictly (unknown members are errors).</summary>
public static class RunParametersReader
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false, // {"program": "a", "program": "b"} is refused, never read as the last value
        MaxDepth = 16,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static RunParameters Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new InputValidationException([new ValidationError("params", null, "The run parameters are empty.").With(ErrorCodes.Required)]);
        }

        try
        {
            return JsonSerializer.Deserialize<RunParameters>(json, JsonOptions)
                ?? throw new InputValidationException([new ValidationError("params", null, "The run parameters are null.").With(ErrorCodes.Required)]);
        }
        catch (JsonException ex)
        {
            throw new InputValidationException([new ValidationError(FieldOf(ex, "params"), null, $"invalid run parameters: {ex.Message}").With(ErrorCodes.Invalid)]);
        }
    }

    public static string Write(RunParameters parameters) => JsonSerializer.Serialize(parameters, JsonOptions);

    /// <summary>
    /// The member a JSON error is about, without the "$." of its path ("formula.kind"); for a missing required member,
    /// the member named in the message; otherwise <paramref name="fallback"/>.
    /// </summary>
    public static string FieldOf(JsonException ex, string fallback)
    {
        ArgumentNullException.ThrowIfNull(ex);
        const string Missing = "missing required properties including: ";
        var message = ex.Message;
        var missing = message.IndexOf(Missing, StringComparison.Ordinal);
        var prefix = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        const string Duplicate = "Duplicate property '";
        if (message.StartsWith(Duplicate, StringComparison.Ordinal) && message[Duplicate.Length..].Split('\'') is [var twice, ..] && twice.Length is > 0 and <= 64)
        {
            // The path ends at the member itself, or (inside a nested document) at the object holding it.
            return prefix is null ? twice
                : prefix.Equals(twice, StringComparison.OrdinalIgnoreCase) || prefix.EndsWith("." + twice, StringComparison.OrdinalIgnoreCase) ? prefix
                : $"{prefix}.{twice}";
        }

        if (missing >= 0 && message[(missing + Missing.Length)..].Split('\'') is [_, var member, ..] && member.Length is > 0 and <= 64)
        {
            return prefix is null ? member : $"{prefix}.{member}";
        }

        if (prefix is not null)
        {
            return prefix;
        }

        // RespectNullableAnnotations names a null member in the message ("The property or field 'x' ...").
        return message.Split('\'') is [_, var named, ..] && named.Length is > 0 and <= 64 && !named.Contains('.', StringComparison.Ordinal) ? named : fallback;
    }
}
