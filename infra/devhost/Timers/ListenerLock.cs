using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace NotifyHub.DevHost.Timers;

/// <summary>
/// The host's listener singleton: a blob lease on
/// <c>azure-webjobs-hosts/locks/{hostId}/Host.Functions.{name}.Listener</c>. Whoever holds it runs the timer.
/// </summary>
internal sealed class ListenerLock(BlobContainerClient container, string hostId, string function)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AcquirePollingInterval = TimeSpan.FromSeconds(5);

    private readonly BlobClient _blob = container.GetBlobClient($"locks/{hostId}/Host.Functions.{function}.Listener");
    private BlobLeaseClient? _lease;

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        await EnsureBlobAsync(cancellationToken);
        var lease = _blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Period, cancellationToken: cancellationToken);
            _lease = lease;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Renews until cancelled; returns (never throws) when the lease is lost, with why.</summary>
    public async Task<Exception?> KeepRenewingAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewInterval, time, cancellationToken);
                await _lease!.RenewAsync(cancellationToken: cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            // Not only a refusal (RequestFailedException): an outage that outlasts the SDK's retries ends in an
            // AggregateException, and the lease lapses all the same. Thrown, it would fault a task nobody awaits
            // until the listener stops, and the timer would carry on as if it still held the lock.
            return e;
        }
    }

    public async Task ReleaseAsync()
    {
        if (_lease is not { } lease) return;
        _lease = null;
        try
        {
            // Bounded: storage may already be gone (Ctrl-C stops Azurite too), and the lease lapses by itself.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await lease.ReleaseAsync(cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            // It lapses by itself within Period.
        }
    }

    private async Task EnsureBlobAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there (and perhaps leased by another instance).
        }
    }
}
