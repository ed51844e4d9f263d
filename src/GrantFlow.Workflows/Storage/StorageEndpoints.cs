using Microsoft.Extensions.Configuration;

namespace GrantFlow.Workflows.Storage;

/// <summary>
/// How to reach the storage account: a connection string (Azurite, local development), or service URIs with a
/// managed identity (Azure: <c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c>,
/// <c>__tableServiceUri</c>, <c>__credential=managedidentity</c>, <c>__clientId</c>), with no keys anywhere.
/// </summary>
public sealed record StorageEndpoints(string? ConnectionString, Uri? BlobServiceUri, Uri? QueueServiceUri, Uri? TableServiceUri, string? ManagedIdentityClientId)
{
    public static StorageEndpoints FromConnectionString(string connectionString) => new(connectionString, null, null, null, null);

    /// <summary>Reads a Functions-style connection (a value, or a section of service URIs) from configuration.</summary>
    public static StorageEndpoints FromConfiguration(IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[name] is { Length: > 0 } connectionString)
        {
            return FromConnectionString(connectionString);
        }

        var section = configuration.GetSection(name);
        var blob = section["blobServiceUri"];
        var queue = section["queueServiceUri"];
        var table = section["tableServiceUri"];
        if (blob is null || queue is null || table is null)
        {
            throw new InvalidOperationException(
                $"Storage connection '{name}' needs a connection string or {name}__blobServiceUri, __queueServiceUri and __tableServiceUri.");
        }

        return new StorageEndpoints(null, new Uri(blob), new Uri(queue), new Uri(table), section["clientId"]);
    }
}
