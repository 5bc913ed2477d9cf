namespace NotifyHub.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = NotifyHub.DevHost.Config.RepoRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Could not find the repository root (NotifyHub.sln) above " + AppContext.BaseDirectory);

    /// <summary>The function app's build output: what the Functions host runs (host.json, functions.metadata, worker.config.json, the worker).</summary>
    public static string FunctionsScriptRoot { get; } =
        Path.Combine(Root, "artifacts", "bin", "NotifyHub.Functions", Configuration);

    /// <summary>The function folders as they stand in the source tree.</summary>
    public static string FunctionsSource { get; } = Path.Combine(Root, "functions");

    /// <summary>The build output of tests/NotifyHub.TestWorker, the isolated-worker app the DevHost tests host.</summary>
    public static string TestWorkerRoot { get; } =
        Path.Combine(Root, "artifacts", "bin", "NotifyHub.TestWorker", Configuration);

    private static string Configuration =>
#if DEBUG
        "debug";
#else
        "release";
#endif
}
