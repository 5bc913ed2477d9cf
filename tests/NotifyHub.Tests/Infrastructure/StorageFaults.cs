using Azure.Core;
using Azure.Core.Pipeline;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// Put first on a DevHost's own storage clients (<c>DevHostOptions.StorageFaults</c>): once a test arms it, the next
/// storage request that matches fails with the exception the test chose, as an outage or a timeout would, without
/// reaching Azurite. Every other request goes to Azurite as usual.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private (Func<HttpMessage, bool> Matches, Func<Exception> Failure)? _next;
    private int _failed;

    /// <summary>How many requests it has failed.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Fails the next request that <paramref name="matches"/> (one only) with <paramref name="failure"/>.</summary>
    public void FailNext(Func<HttpMessage, bool> matches, Func<Exception> failure)
    {
        lock (_gate) _next = (matches, failure);
    }

    /// <summary>A request to a message of <paramref name="queue"/> (a delete or an update of one message).</summary>
    public static Func<HttpMessage, bool> MessageRequest(RequestMethod method, string queue) =>
        m => m.Request.Method == method && m.Request.Uri.Path.Contains($"/{queue}/messages/", StringComparison.Ordinal);

    /// <summary>A receive from <paramref name="queue"/>.</summary>
    public static Func<HttpMessage, bool> Receive(string queue) =>
        m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.EndsWith($"/{queue}/messages", StringComparison.Ordinal)
             && !m.Request.Uri.Query.Contains("peekonly", StringComparison.OrdinalIgnoreCase);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfArmedFor(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfArmedFor(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfArmedFor(HttpMessage message)
    {
        Func<Exception> failure;
        lock (_gate)
        {
            if (_next is not { } next || !next.Matches(message)) return;
            _next = null;
            failure = next.Failure;
        }
        Interlocked.Increment(ref _failed);
        throw failure();
    }
}
