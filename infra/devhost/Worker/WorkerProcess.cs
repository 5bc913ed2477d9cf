using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;

namespace NotifyHub.DevHost.Worker;

/// <summary>
/// The worker as a child process, started the way the Functions host starts a dotnet-isolated worker:
/// <c>worker.config.json</c>'s executable and worker path, the <c>--functions-*</c> start-up arguments
/// (and the older ones the host still passes), the app settings and the host's variables in its
/// environment, and the app folder as its working directory.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int RecentLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
    }

    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code when the process has exited, however that came about.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last lines the process wrote to stdout and stderr (the worker logs over gRPC; this is what it printed before or outside that).</summary>
    public string RecentOutput
    {
        get { lock (_recent) return string.Join(System.Environment.NewLine, _recent); }
    }

    /// <summary>The start-up arguments, in the host's order (pure, so it can be tested).</summary>
    public static IReadOnlyList<string> Arguments(AppDirectory app, Uri hostUri, string workerId, string requestId)
    {
        var maxMessageLength = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var arguments = new List<string>(app.Worker.Arguments) { Path.Combine(app.Path, app.Worker.WorkerPath) };
        arguments.AddRange(app.Worker.WorkerArguments);
        arguments.AddRange([
            "--host", hostUri.Host, "--port", hostUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxMessageLength,
            "--functions-uri", hostUri.ToString(), "--functions-worker-id", workerId, "--functions-request-id", requestId,
            // Without it the worker's gRPC client refuses the host's first message (ResourceExhausted).
            "--functions-grpc-max-message-length", maxMessageLength,
        ]);
        return arguments;
    }

    /// <summary>The worker's environment on top of the DevHost's own: app settings, then what the host always sets.</summary>
    public static IReadOnlyDictionary<string, string?> Environment(AppDirectory app, string storageConnectionString)
    {
        var environment = new Dictionary<string, string?>(app.Settings.Values, StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["FUNCTIONS_WORKER_RUNTIME"] = app.Worker.Language,
            // Without the application directory every function load fails.
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Path,
            ["FUNCTIONS_WORKER_DIRECTORY"] = app.Path,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = app.Settings.Get("AZURE_FUNCTIONS_ENVIRONMENT") ?? "Development",
            // The worker picks its own HTTP port (HttpUri capability); inherited ASP.NET Core URLs must not override it.
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_HTTPS_PORTS"] = null,
        };
        return environment;
    }

    public static WorkerProcess Start(AppDirectory app, Uri hostUri, string workerId, string storageConnectionString, ILogger logger)
    {
        var info = new ProcessStartInfo(app.Worker.Executable)
        {
            WorkingDirectory = app.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(app, hostUri, workerId, Guid.NewGuid().ToString())) info.ArgumentList.Add(argument);
        foreach (var (name, value) in Environment(app, storageConnectionString))
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DevHostConfigurationException(
                $"Could not start the worker '{app.Worker.Executable}' ({WorkerConfig.FileName} defaultExecutablePath): {e.Message}", e);
        }
        var worker = new WorkerProcess(process, logger);
        worker.Attach();
        Log.WorkerStarted(logger, process.Id, workerId);
        return worker;
    }

    private void Attach()
    {
        void Relay(string? line, bool error)
        {
            if (line is null) return;
            lock (_recent)
            {
                _recent.Enqueue(line);
                if (_recent.Count > RecentLines) _recent.Dequeue();
            }
            // The worker logs over gRPC; what it writes to stderr is what it could not log that way (a crash, say).
            if (error) Log.WorkerError(_logger, line);
            else Log.WorkerOutput(_logger, line);
        }

        _process.OutputDataReceived += (_, e) => Relay(e.Data, error: false);
        _process.ErrorDataReceived += (_, e) => Relay(e.Data, error: true);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _exited.TrySetResult(SafeExitCode());
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (_process.HasExited) _exited.TrySetResult(SafeExitCode());
    }

    private int SafeExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>Kills the process (and anything it started) if it is still running, and waits for it.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Nothing more can be done; the OS will reap it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
