using Microsoft.Extensions.Logging;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// Retries a proxied request that could not reach the worker's HTTP server, as the host's own proxy does:
/// the worker reports its HttpUri before its Kestrel is sure to be listening, so the first requests after a
/// (re)start can meet a refused connection. Up to 10 attempts, 50 ms apart doubling to at most 250 ms.
/// </summary>
internal sealed class RetryWorkerHandler(HttpMessageHandler inner, ILogger logger) : DelegatingHandler(inner)
{
    public const int MaxAttempts = 10;
    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaximumDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var delay = InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                Log.ProxyRetry(logger, e.Message, attempt, MaxAttempts, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
                delay = delay * 2 < MaximumDelay ? delay * 2 : MaximumDelay;
            }
        }
    }
}
