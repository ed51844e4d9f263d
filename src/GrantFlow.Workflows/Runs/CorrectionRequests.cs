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
            throw new InputValidationException([new ValidationError(Http.ApiJson.FieldOf(ex), null, ex.Message).With(ErrorCodes.Invalid)]);
        }

        var errors = new List<ValidationError>();
        if (request is null || string.IsNullOrWhiteSpace(request.CorrectsRunId))
        {
            errors.Add(new ValidationError("correctsRunId", null, "the run whose entry is corrected is required.").With(ErrorCodes.Required));
        }
        else if (!Identifiers.IsRunId(request.CorrectsRunId))
        {
            errors.Add(new ValidationError("correctsRunId", null, $"{Identifiers.Quote(request.CorrectsRunId)} is not a run id (32 lowercase hexadecimal digits).").With(ErrorCodes.NotARunId, ("value", request.CorrectsRunId)));
        }

        if (request is null || string.IsNullOrWhiteSpace(request.ProvinceCode))
        {
            errors.Add(new ValidationError("provinceCode", null, "the province whose entry is corrected is required.").With(ErrorCodes.Required));
        }
        else if (!Domain.Programs.ProvinceCodes.IsKnown(request.ProvinceCode))
        {
            errors.Add(new ValidationError("provinceCode", null, $"{Identifiers.Quote(request.ProvinceCode)} is not one of the 31 provincial codes.").With(ErrorCodes.UnknownProvince, ("value", request.ProvinceCode)));
        }

        if (request is { AmountYuan: < 0 })
        {
            errors.Add(new ValidationError("amountYuan", null, "the corrected amount cannot be negative.").With(ErrorCodes.Negative, ("value", request.AmountYuan)));
        }
        else if (request is { AmountYuan: > RunInputValidator.MaxAmountYuan })
        {
            errors.Add(new ValidationError("amountYuan", null, $"{request.AmountYuan:N0} yuan is more than any amount GrantFlow holds (at most {RunInputValidator.MaxAmountYuan:N0}).").With(ErrorCodes.EnvelopeTooLarge, ("value", request.AmountYuan), ("limit", RunInputValidator.MaxAmountYuan)));
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new ValidationError("reason", null, "a correction needs a reason.").With(ErrorCodes.Required));
        }
        else if (request.Reason.Length > Http.ApiLimits.MaxReasonLength)
        {
            errors.Add(new ValidationError("reason", null, $"{request.Reason.Length:N0} characters; a reason has at most {Http.ApiLimits.MaxReasonLength:N0}.").With(ErrorCodes.TooLong, ("length", request.Reason.Length), ("limit", Http.ApiLimits.MaxReasonLength)));
        }

        return errors.Count > 0 ? throw new InputValidationException(errors) : request!;
    }
}
