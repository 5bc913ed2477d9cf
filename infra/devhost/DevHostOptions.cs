namespace NotifyHub.DevHost;

/// <summary>How to run the DevHost. Validated by <see cref="DevHostApp.StartAsync"/> before anything starts.</summary>
public sealed record DevHostOptions
{
    /// <summary>The function app folder (its build or publish output): host.json, worker.config.json, the worker's assemblies.</summary>
    public required string ScriptRoot { get; init; }

    /// <summary>The front door's port on 127.0.0.1 (HTTP functions and /admin). 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 7071;

    /// <summary>AzureWebJobsStorage. Null: use the app setting of that name, and failing that start Azurite.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Where a DevHost-started Azurite keeps its data. Null: &lt;repo root&gt;/.azurite.</summary>
    public string? AzuriteFolder { get; init; }

    /// <summary>
    /// Ports (blob, queue, table) of a DevHost-started Azurite. The default is Azurite's own, so
    /// <c>UseDevelopmentStorage=true</c> tools see the same data; 0 picks free ports.
    /// </summary>
    public (int Blob, int Queue, int Table) AzuritePorts { get; init; } = (10000, 10001, 10002);

    /// <summary>Names the timer status and lock blobs, as the Functions host id does.</summary>
    public string HostId { get; init; } = "notifyhub-devhost";

    /// <summary>App settings passed to the worker after local.settings.json's Values (these win).</summary>
    public IReadOnlyDictionary<string, string?> AppSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>When set, /admin requires it in the x-functions-key header.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Run only these functions (like <c>func start --functions</c>). Null runs all.</summary>
    public IReadOnlyList<string>? Functions { get; init; }

    /// <summary>The clock behind timers, polling and leases.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long in-flight invocations may run on after a stop is asked for, and how long the worker then has to exit.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first delay before a dead worker is restarted; it doubles on each failed start, up to 30 s.</summary>
    public TimeSpan WorkerRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Tests only: a policy put first on the DevHost's own storage clients (its queues and the timers' blobs), ahead
    /// of the SDK's retries, so that a test can make one storage request fail as an outage or a timeout would and
    /// watch what the DevHost does about it. A failure the DevHost handles wrongly is rare and hard to cause on
    /// demand with Azurite alone.
    /// </summary>
    internal Azure.Core.Pipeline.HttpPipelinePolicy? StorageFaults { get; init; }
}
