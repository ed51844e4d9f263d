using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>
/// The public container of published releases: in Azure a container of its own storage account that anyone may read
/// and only GrantFlow's identity may write (infra/core/storage/public-storage.bicep); locally a container of Azurite
/// that the API serves read-only at <c>/api/public/...</c>. A release is written once (If-None-Match: *); the year's
/// index and the feed are merged under their ETags, so two releases published at once both appear.
/// </summary>
public sealed partial class DisclosureStore(BlobContainerClient container)
{
    private volatile bool _created;

    /// <summary>Whether <paramref name="path"/> is one of the published paths (nothing else of the container is served).</summary>
    public static bool IsPublishedPath(string? path) => path is { Length: <= 80 } && PublishedPath().IsMatch(path);

    [GeneratedRegex(@"^(feed\.atom|index/([0-9]{4}|latest)\.json|releases/[0-9a-f]{32}\.(json|csv))$")]
    private static partial Regex PublishedPath();

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created = true;
        }
    }

    /// <summary>Writes a file unless it exists; false when it existed (it is left as it was).</summary>
    public async Task<bool> CreateAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            await Blob(path).UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = Headers(path) },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Reads of a file that keeps changing under the reader before it gives up (the 412 then stands).</summary>
    private const int MaxReads = 20;

    /// <summary>A published file (null: none), refused beyond <see cref="ReleaseDocuments.MaxDocumentBytes"/>.</summary>
    public async Task<(byte[] Content, ETag ETag)?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var blob = Blob(path);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
                if (properties.Value.ContentLength > ReleaseDocuments.MaxDocumentBytes)
                {
                    throw new InvalidOperationException($"published file {path} is {properties.Value.ContentLength} bytes, more than {ReleaseDocuments.MaxDocumentBytes}.");
                }

                var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.Value.ETag } }, cancellationToken);
                return (content.Value.Content.ToArray(), content.Value.Details.ETag);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxReads)
            {
                // Changed between the two calls (another publication merged the index): read it again, a bounded number of times.
            }
        }
    }

    /// <summary>
    /// Rewrites a file from what it holds (null: nothing yet) under its ETag, again from the newer content when another
    /// writer came first. <paramref name="change"/> returns null when the file needs no change.
    /// </summary>
    public async Task MergeAsync(string path, Func<byte[]?, Task<byte[]?>> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(path, cancellationToken);
            var next = await change(current?.Content);
            if (next is null)
            {
                return;
            }

            try
            {
                var conditions = current is { } found ? new BlobRequestConditions { IfMatch = found.ETag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
                await Blob(path).UploadAsync(BinaryData.FromBytes(next), new BlobUploadOptions { Conditions = conditions, HttpHeaders = Headers(path) }, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken); // another publisher wrote it first
            }
        }
    }

    private BlobClient Blob(string path) => IsPublishedPath(path) ? container.GetBlobClient(path) : throw new ArgumentException($"{path} is not a published path.", nameof(path));

    private static BlobHttpHeaders Headers(string path) => new()
    {
        ContentType = ReleaseDocuments.ContentType(path),
        CacheControl = path.StartsWith("releases/", StringComparison.Ordinal) ? "public, max-age=86400" : "public, max-age=60",
    };
}
