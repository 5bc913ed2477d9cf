using System.Text.Json;

namespace NotifyHub.DevHost.Config;

/// <summary>
/// worker.config.json, written by the Worker SDK beside the app: how the host starts the worker
/// (<c>{defaultExecutablePath} {arguments} {app dir}/{defaultWorkerPath} {workerArguments}</c>).
/// </summary>
internal sealed record WorkerConfig(string Language, string Executable, string WorkerPath, IReadOnlyList<string> Arguments, IReadOnlyList<string> WorkerArguments)
{
    public const string FileName = "worker.config.json";

    public static WorkerConfig Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
            throw new DevHostConfigurationException(
                $"{appDirectory} has no {FileName}: it is not the build output of an isolated-worker function app (Microsoft.Azure.Functions.Worker.Sdk writes it).");
        using var doc = ConfigJson.ParseFile(path);
        var description = doc.RootElement.Property("description")
            ?? throw new DevHostConfigurationException($"{path} has no \"description\".");
        var executable = description.String("defaultExecutablePath");
        var workerPath = description.String("defaultWorkerPath");
        if (string.IsNullOrWhiteSpace(executable) || string.IsNullOrWhiteSpace(workerPath))
            throw new DevHostConfigurationException($"{path}: description.defaultExecutablePath and description.defaultWorkerPath are required.");
        var language = description.String("language") ?? "dotnet-isolated";
        if (language != "dotnet-isolated")
            throw new DevHostConfigurationException($"{path}: language '{language}' is not supported; the DevHost runs dotnet-isolated apps.");
        return new WorkerConfig(language, executable, workerPath, Strings(description, "arguments"), Strings(description, "workerArguments"));
    }

    private static string[] Strings(JsonElement description, string name) =>
        description.Property(name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray()
            : [];
}
