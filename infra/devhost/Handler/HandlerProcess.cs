using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;

namespace NotifyHub.DevHost.Handler;

/// <summary>
/// The custom handler as a child process, started the way the Functions host starts it: a free
/// loopback port, the host's environment variables plus the app settings, then GET / every 25 ms
/// until any HTTP answer.
/// </summary>
internal sealed class HandlerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadinessInterval = TimeSpan.FromMilliseconds(25);
    private const int RecentLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private volatile bool _stopping;

    private HandlerProcess(Process process, Uri address, ILogger logger)
    {
        _process = process;
        Address = address;
        _logger = logger;
    }

    public Uri Address { get; }
    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code if the process exits without being asked to.</summary>
    public Task<int> UnexpectedExit => _exited.Task;

    public string RecentOutput
    {
        get { lock (_recent) return string.Join(Environment.NewLine, _recent); }
    }

    public static async Task<HandlerProcess> StartAsync(
        ScriptRoot root, int port, string storageConnectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var handler = root.Host.CustomHandler;
        port = port == 0 ? FreeTcpPort() : port;
        var workerId = Guid.NewGuid().ToString();

        var environment = new Dictionary<string, string?>(root.Settings.Values, StringComparer.OrdinalIgnoreCase)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_HTTPWORKER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId,
            ["FUNCTIONS_HTTPWORKER_ID"] = workerId,
            ["FUNCTIONS_APP_ROOT_PATH"] = root.Path,
            ["FUNCTIONS_WORKER_RUNTIME"] = "Custom",
            ["AzureWebJobsStorage"] = storageConnectionString,
        };

        var executable = ResolveExecutable(root.Path, handler.DefaultExecutablePath!);
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = handler.WorkingDirectory is { Length: > 0 } wd ? Path.GetFullPath(wd, root.Path) : root.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in handler.Arguments)
        {
            info.ArgumentList.Add(root.Settings.Expand(argument, "host.json customHandler.description.arguments"));
        }
        foreach (var (name, value) in environment) info.Environment[name] = value;

        Log.HandlerStarting(logger, executable, port);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DevHostConfigurationException(
                $"Could not start the handler '{executable}' (host.json customHandler.description.defaultExecutablePath): {e.Message}", e);
        }

        var running = new HandlerProcess(process, new Uri($"http://127.0.0.1:{port}"), logger);
        running.Attach();
        try
        {
            await running.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
        return running;
    }

    private void Attach()
    {
        void Relay(string? line)
        {
            if (line is null) return;
            lock (_recent)
            {
                _recent.Enqueue(line);
                if (_recent.Count > RecentLines) _recent.Dequeue();
            }
            Log.HandlerOutput(_logger, line);
        }

        _process.OutputDataReceived += (_, e) => Relay(e.Data);
        _process.ErrorDataReceived += (_, e) => Relay(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            if (!_stopping) _exited.TrySetResult(_process.ExitCode);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (_process.HasExited && !_stopping) _exited.TrySetResult(_process.ExitCode);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_exited.Task.IsCompleted)
            {
                // Let the output readers drain what the process printed before it died.
                await Task.Delay(200, CancellationToken.None);
                throw new InvalidOperationException(
                    $"The handler exited with code {_exited.Task.Result} before it answered on {Address}. Its last output:{Environment.NewLine}{RecentOutput}");
            }
            try
            {
                using var response = await client.GetAsync(Address, cancellationToken);
                Log.HandlerReady(_logger, Address, started.ElapsedMilliseconds);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: any HTTP answer, even 404, means ready.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request that hangs is not an answer; keep polling.
            }

            if (started.Elapsed > ReadinessTimeout)
                throw new TimeoutException(
                    $"The handler did not answer GET {Address} within {ReadinessTimeout.TotalSeconds:0} s. " +
                    $"It must listen on 127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT. Its last output:{Environment.NewLine}{RecentOutput}");
            await Task.Delay(ReadinessInterval, cancellationToken);
        }
    }

    private static string ResolveExecutable(string scriptRoot, string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var local = Path.GetFullPath(path, scriptRoot);
        if (File.Exists(local)) return local;
        if (OperatingSystem.IsWindows() && File.Exists(local + ".exe")) return local + ".exe";
        // Not a file in the script root: the host treats it as a command on the PATH.
        return path;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Nothing more can be done; the OS will reap it.
        }
        _process.Dispose();
    }
}
