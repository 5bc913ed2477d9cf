namespace NotifyHub.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = NotifyHub.DevHost.Config.RepoRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Could not find the repository root (NotifyHub.sln) above " + AppContext.BaseDirectory);

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
}
