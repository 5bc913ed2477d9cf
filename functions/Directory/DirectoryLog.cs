namespace NotifyHub.Organisations;

/// <summary>Operational events of the directory: ids and counts only.</summary>
internal static partial class DirectoryLog
{
    [LoggerMessage(3001, LogLevel.Warning, "Repaired the directory index of {Count} organisations whose writes had not finished")]
    public static partial void IndexRepaired(ILogger logger, int count);
}
