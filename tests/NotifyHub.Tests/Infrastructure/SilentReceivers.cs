using System.Net;
using System.Net.Sockets;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// Webhook endpoints on loopback that accept the connection, read whatever is sent and never answer: each is its own
/// port (its own circuit breaker in the hub). Counts the connections they hold open at once, to see how many requests
/// the hub has in flight to them.
/// </summary>
public sealed class SilentReceivers : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private int _open;
    private int _mostOpen;
    private int _accepted;

    public IReadOnlyList<string> Urls { get; }

    /// <summary>The most connections that were open at the same moment.</summary>
    public int MostOpenAtOnce => Volatile.Read(ref _mostOpen);

    public int Accepted => Volatile.Read(ref _accepted);

    private SilentReceivers(int count)
    {
        var urls = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(backlog: 16);
            _listeners.Add(listener);
            urls.Add($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook");
            _loops.Add(AcceptAsync(listener));
        }
        Urls = urls;
    }

    public static SilentReceivers Start(int count) => new(count);

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = HoldAsync(client);
        }
    }

    private async Task HoldAsync(TcpClient client)
    {
        Interlocked.Increment(ref _accepted);
        var open = Interlocked.Increment(ref _open);
        int most;
        while (open > (most = Volatile.Read(ref _mostOpen)) && Interlocked.CompareExchange(ref _mostOpen, open, most) != most) { }
        try
        {
            var buffer = new byte[4096];
            using (client)
            {
                var stream = client.GetStream();
                // Never answer: read until the hub gives up and closes the connection.
                while (await stream.ReadAsync(buffer, _stop.Token) > 0) { }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners) listener.Stop();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
