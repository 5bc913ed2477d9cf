using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NotifyHub.Storage;

namespace NotifyHub.Strategy;

/// <summary>
/// Strategy discussions' minutes as PDFs, in blob container <c>strategy-minutes</c>: blob <c>{incidentId}/{discussion}.pdf</c>
/// — ids only, never a name. The one place the hub touches them: stored, read, and deleted by the retention purge.
/// </summary>
public sealed class MinutesStore(BlobServiceClient blobs)
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(StorageNames.MinutesContainer);

    public static string BlobName(string incidentId, int discussion) => $"{incidentId}/{discussion}.pdf";

    public async Task<string> SaveAsync(string incidentId, int discussion, byte[] pdf, CancellationToken ct)
    {
        var name = BlobName(incidentId, discussion);
        await Container.GetBlobClient(name).UploadAsync(new BinaryData(pdf),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" } }, ct);
        return name;
    }

    /// <summary>The PDF, or null when it is not there (purged).</summary>
    public async Task<Stream?> ReadAsync(string name, CancellationToken ct)
    {
        try { return (await Container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: ct)).Value.Content; }
        catch (Azure.RequestFailedException e) when (e.Status == 404) { return null; }
    }

    /// <summary>Deletes every minutes PDF of an incident (the retention purge); answers how many went.</summary>
    public async Task<int> DeleteForIncidentAsync(string incidentId, CancellationToken ct)
    {
        var deleted = 0;
        try
        {
            await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, incidentId + "/", ct))
            {
                if ((await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct)).Value) deleted++;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No container: no minutes were ever kept here.
        }
        return deleted;
    }
}
