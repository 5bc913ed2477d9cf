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

}
