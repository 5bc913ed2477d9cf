namespace NotifyHub.DevHost.Config;

/// <summary>Finds the repository root; shared by the DevHost, the tests and the benchmarks.</summary>
public static class RepoRoot
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
