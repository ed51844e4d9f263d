using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrantFlow.Workflows.Storage;

/// <summary>JSON settings for stored documents, queue messages and API answers.</summary>
public static class WorkflowJson
{
    /// <summary>camelCase names, enums as camelCase strings ("recorded", never 0; numbers are still read), nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
