using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace NotifyHub.DevHost.Timers;

/// <summary>What the status blob held: the status (null when absent or unreadable), its ETag, and whether it was unreadable.</summary>
internal readonly record struct StoredStatus(ScheduleStatus? Status, ETag? ETag, bool Unreadable);

/// <summary>
/// The status blob <c>azure-webjobs-hosts/timers/{hostId}/Host.Functions.{name}/status</c>
/// (StorageScheduleMonitorV2), read with its ETag and written only if nobody wrote it since.
/// </summary>
internal sealed class ScheduleStatusStore(BlobContainerClient container, string hostId, string function)
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };
    private readonly BlobClient _blob = container.GetBlobClient($"timers/{hostId}/Host.Functions.{function}/status");

    public string BlobName => _blob.Name;

    public async Task<StoredStatus> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var download = await _blob.DownloadContentAsync(cancellationToken);
            var etag = download.Value.Details.ETag;
            try
            {
                var status = JsonSerializer.Deserialize<ScheduleStatus>(download.Value.Content.ToString(), ReadOptions);
                return status is null ? new StoredStatus(null, etag, true) : new StoredStatus(status, etag, false);
            }
            catch (JsonException)
            {
                // Keep the ETag: the next conditional write replaces the unreadable blob instead of losing to it forever.
                return new StoredStatus(null, etag, true);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new StoredStatus(null, null, false);
        }
    }

    /// <summary>Writes <paramref name="status"/> if the blob is still at <paramref name="etag"/> (or still absent).</summary>
    public async Task<bool> TryWriteAsync(ScheduleStatus status, ETag? etag, CancellationToken cancellationToken)
    {
        var conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await _blob.UploadAsync(
                BinaryData.FromObjectAsJson(status),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
