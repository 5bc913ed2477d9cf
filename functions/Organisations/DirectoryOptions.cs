using System.ComponentModel.DataAnnotations;
using NotifyHub.Storage;

namespace NotifyHub.Organisations;

/// <summary>Settings of the directory (section <c>Directory</c>).</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>
    /// Prepended to the directory's table names. Empty in production; tests give each hub its own
    /// prefix so that fixed ids such as <c>school-100001</c> never meet another test's rows.
    /// </summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,30})?$", ErrorMessage = "Directory:TablePrefix must be empty or start with a letter and hold only letters and digits.")]
    public string TablePrefix { get; set; } = "";

    /// <summary>How many table requests the GIAS import keeps in flight (Table Storage scales out; Azurite is one process).</summary>
    [Range(1, 256)]
    public int ImportConcurrency { get; set; } = 32;

    /// <summary>The largest GIAS file accepted (the real extract is ~60 MB).</summary>
    [Range(1024, 1L << 31)]
    public long MaxImportBytes { get; set; } = 200L * 1024 * 1024;

    public string OrganisationsTable => TablePrefix + StorageNames.OrganisationsTable;
    public string IndexTable => TablePrefix + StorageNames.DirectoryIndexTable;
    public string DeliveriesTable => TablePrefix + StorageNames.DeliveriesTable;
}
