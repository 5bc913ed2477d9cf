namespace NotifyHub.DevHost.Config;

internal static class RepoRoot
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds NotifyHub.sln.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NotifyHub.sln"))) return dir.FullName;
        }
        return null;
    }
}
