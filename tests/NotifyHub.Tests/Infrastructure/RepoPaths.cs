namespace NotifyHub.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The function app's build output: a complete script root (host.json, function folders, handler).</summary>
    public static string FunctionsScriptRoot { get; } =
        Path.Combine(Root, "artifacts", "bin", "NotifyHub.Functions", Configuration);

    /// <summary>The function folders as they stand in the source tree.</summary>
    public static string FunctionsSource { get; } = Path.Combine(Root, "functions");

    private static string Configuration =>
#if DEBUG
        "debug";
#else
        "release";
#endif

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NotifyHub.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Could not find the repository root (NotifyHub.sln) above " + AppContext.BaseDirectory);
    }
}
