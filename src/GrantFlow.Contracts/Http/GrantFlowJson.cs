using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrantFlow.Contracts;

/// <summary>The JSON of the API's answers (and of GrantFlow's stored documents and queue messages), read the same way by every client.</summary>
public static class GrantFlowJson
{
    /// <summary>camelCase names, enums as camelCase strings ("recorded", never 0; numbers are still read), nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
