using System.Text.Json;

namespace GrantFlow.Workflows.Storage;

/// <summary>JSON settings for stored documents, queue messages and API answers: the API's own (<see cref="GrantFlowJson"/>).</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options => GrantFlowJson.Options;
}
