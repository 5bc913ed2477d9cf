using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NotifyHub.DevHost.Handler;

namespace NotifyHub.DevHost.Timers;

/// <summary>
/// The status blob <c>azure-webjobs-hosts/timers/{hostId}/Host.Functions.{name}/status</c>
/// (StorageScheduleMonitorV2), read with its ETag and written only if nobody wrote it since.
/// </summary>
internal sealed class ScheduleStatusStore(BlobContainerClient container, string hostId, string function)
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };
    private readonly BlobClient _blob = container.GetBlobClient($"timers/{hostId}/Host.Functions.{function}/status");

    public async Task<(ScheduleStatus? Status, ETag? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var download = await _blob.DownloadContentAsync(cancellationToken);
            var status = JsonSerializer.Deserialize<ScheduleStatus>(download.Value.Content.ToString(), ReadOptions);
            return (status, download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
        catch (JsonException)
        {
            // An unreadable status counts as none; the conditional write below replaces it.
            return (null, null);
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
