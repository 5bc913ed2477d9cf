using System.ComponentModel.DataAnnotations;
using NotifyHub.Storage;

namespace NotifyHub.Organisations;

/// <summary>Settings of the directory (section <c>Directory</c>).</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>How many table requests the GIAS import keeps in flight (Table Storage scales out; Azurite is one process).</summary>
    [Range(1, 256)]
    public int ImportConcurrency { get; set; } = 32;

    /// <summary>The largest GIAS file accepted (the real extract is ~60 MB).</summary>
    [Range(1024, 1L << 31)]
    public long MaxImportBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>
    /// Demo mode (<c>Directory__DemoMode=true</c>): the demo seed endpoint may create the synthetic demo directory.
    /// Off by default, and never to be on in production: <c>local.settings.json</c> turns it on for local runs.
    /// </summary>
    public bool DemoMode { get; set; }

    /// <summary>
    /// How long routing keeps what it read of the directory (<c>Directory__RoutingCacheFor</c>, 5 s; <c>00:00:00</c> keeps
    /// nothing). A change made through the hub applies at once on the instance that made it; other instances see it
    /// within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RoutingCacheFor { get; set; } = TimeSpan.FromSeconds(5);
}
