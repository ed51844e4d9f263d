using System.Text.Json;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Runs;

/// <summary>Reads a correction request: every field checked, every error named.</summary>
public static class CorrectionRequests
{
    public static CorrectionRequest Parse(string json)
    {
        CorrectionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CorrectionRequest>(json, Http.ApiJson.Strict);
        }
        catch (JsonException ex)
        {
            throw new InputValidationException([new ValidationError(Http.ApiJson.FieldOf(ex), null, ex.Message)]);
        }

        var errors = new List<ValidationError>();
        if (request is null || string.IsNullOrWhiteSpace(request.CorrectsRunId))
        {
            errors.Add(new("correctsRunId", null, "the run whose entry is corrected is required."));
        }
        else if (!Identifiers.IsRunId(request.CorrectsRunId))
        {
            errors.Add(new("correctsRunId", null, $"{Identifiers.Quote(request.CorrectsRunId)} is not a run id (32 lowercase hexadecimal digits)."));
        }

        if (request is null || string.IsNullOrWhiteSpace(request.ProvinceCode))
        {
            errors.Add(new("provinceCode", null, "the province whose entry is corrected is required."));
        }
        else if (!Domain.Programs.ProvinceCodes.IsKnown(request.ProvinceCode))
        {
            errors.Add(new("provinceCode", null, $"{Identifiers.Quote(request.ProvinceCode)} is not one of the 31 provincial codes."));
        }

        if (request is { AmountYuan: < 0 })
        {
            errors.Add(new("amountYuan", null, "the corrected amount cannot be negative."));
        }
        else if (request is { AmountYuan: > RunInputValidator.MaxAmountYuan })
        {
            errors.Add(new("amountYuan", null, $"{request.AmountYuan:N0} yuan is more than any amount GrantFlow holds (at most {RunInputValidator.MaxAmountYuan:N0})."));
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new("reason", null, "a correction needs a reason."));
        }
        else if (request.Reason.Length > Http.ApiLimits.MaxReasonLength)
        {
            errors.Add(new("reason", null, $"{request.Reason.Length:N0} characters; a reason has at most {Http.ApiLimits.MaxReasonLength:N0}."));
        }

        return errors.Count > 0 ? throw new InputValidationException(errors) : request!;
    }
}
