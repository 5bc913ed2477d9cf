using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NotifyHub.Storage;

namespace NotifyHub.Strategy;

/// <summary>
/// Strategy discussions' minutes as PDFs, in blob container <c>strategy-minutes</c>: blob
/// <c>{incidentId}/{discussion}-{random}.pdf</c> — ids only, never a name; the random part makes each upload a blob of its
/// own, so two chairs sharing at once never overwrite the PDF a stored record already names (the loser's blob is an
/// orphan the retention purge deletes with the rest). The one place the hub touches them: stored, read, and deleted.
/// </summary>
public sealed class MinutesStore(BlobServiceClient blobs)
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(StorageNames.MinutesContainer);

    public async Task<string> SaveAsync(string incidentId, int discussion, byte[] pdf, CancellationToken ct)
    {
        var name = $"{incidentId}/{discussion}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}.pdf";
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
