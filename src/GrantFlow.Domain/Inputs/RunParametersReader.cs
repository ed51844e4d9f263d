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
        MaxDepth = 16,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static RunParameters Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new InputValidationException([new ValidationError("params", null, "The run parameters are empty.")]);
        }

        try
        {
            return JsonSerializer.Deserialize<RunParameters>(json, JsonOptions)
                ?? throw new InputValidationException([new ValidationError("params", null, "The run parameters are null.")]);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "params" : ex.Path;
            throw new InputValidationException([new ValidationError(field, null, $"invalid run parameters: {ex.Message}")]);
        }
    }

    public static string Write(RunParameters parameters) => JsonSerializer.Serialize(parameters, JsonOptions);
}
