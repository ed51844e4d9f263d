using GrantFlow.Contracts;
using System.Text;
using System.Text.Json;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Http;

/// <summary>A request body as a host received it: its declared content type and its bytes (not yet read).</summary>
public sealed record ApiRequestBody(string? ContentType, Stream Content, long? ContentLength = null)
{
    /// <summary>A UTF-8 JSON body from text (tests, tools).</summary>
    public static ApiRequestBody Json(string json) => new("application/json", new MemoryStream(Encoding.UTF8.GetBytes(json)));

    /// <summary>
    /// Reads a JSON body: the content type must be application/json (415 otherwise), the size at most
    /// <see cref="ApiLimits.MaxBodyBytes"/> (413), the bytes valid UTF-8 (400). Returns the text, or the problem.
    /// </summary>
    public async Task<(string? Text, ApiResult? Problem)> ReadJsonAsync(CancellationToken cancellationToken)
    {
        if (!IsJson(ContentType))
        {
            return (null, ApiResult.Problem(415, "Unsupported media type", $"the body must be application/json (UTF-8); got '{Shorten(ContentType ?? "no Content-Type")}'.", [new ValidationError("Content-Type", null, "expected application/json.").With(ErrorCodes.NotOneOf, ("value", Shorten(ContentType ?? string.Empty)), ("allowed", "application/json"))]));
        }

        if (ContentLength > ApiLimits.MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await Content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ApiLimits.MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (bytes.StartsWith(Encoding.UTF8.Preamble))
            {
                bytes = bytes[Encoding.UTF8.Preamble.Length..];
            }

            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiResult.Problem(400, "Invalid request", "the body is not valid UTF-8 JSON.", [new ValidationError("body", null, "not valid UTF-8.").With(ErrorCodes.FileEncoding)]));
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ApiResult TooLarge() => ApiResult.Problem(
        413, "Request body too large", $"the body exceeds {ApiLimits.MaxBodyBytes:N0} bytes; nothing was written.", [new ValidationError("body", null, $"at most {ApiLimits.MaxBodyBytes} bytes.").With(ErrorCodes.FileTooLarge, ("limit", ApiLimits.MaxBodyBytes))], ProblemCodes.BodyTooLarge, ApiResult.Args(("limit", ApiLimits.MaxBodyBytes)));

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        if (!parts[0].Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A charset, when given, must be UTF-8 (RFC 8259: JSON exchanged between systems is UTF-8).
        return parts.Skip(1).All(p => !p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase)
            || p["charset=".Length..].Trim('"').Replace("-", string.Empty, StringComparison.Ordinal).Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "...";
}

/// <summary>
/// JSON settings for request bodies: strict (unknown members are errors, <c>null</c> is refused where the contract
/// has no null, numbers are numbers), so a malformed body is a 400 naming the field, never a null deeper down.
/// </summary>
public static class ApiJson
{
    /// <summary>The run-parameters document's strict settings, used for every request body.</summary>
    public static JsonSerializerOptions Strict => Domain.Inputs.RunParametersReader.JsonOptions;

    /// <summary>Deserializes a body; a JSON error becomes a validation error naming the path.</summary>
    public static T Parse<T>(string json, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Strict)
                ?? throw new InputValidationException([new ValidationError("body", null, $"the {what} is null.").With(ErrorCodes.Required)]);
        }
        catch (JsonException ex)
        {
            throw new InputValidationException([new ValidationError(FieldOf(ex), null, $"invalid {what}: {ex.Message}").With(ErrorCodes.Invalid)]);
        }
    }

    /// <summary>The JSON path of an error without the "$." prefix ("parameters.program"), or "body".</summary>
    public static string FieldOf(JsonException ex) => Domain.Inputs.RunParametersReader.FieldOf(ex, "body");
}
