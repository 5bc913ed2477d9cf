namespace NotifyHub.DevHost.Config;

/// <summary>
/// The function app as the host finds it: a folder with host.json, worker.config.json, the worker's
/// assemblies and (locally) local.settings.json. Which functions it has comes from the worker itself.
/// </summary>
internal sealed record AppDirectory(string Path, HostConfig Host, WorkerConfig Worker, AppSettings Settings)
{
    public static AppDirectory Load(DevHostOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ScriptRoot))
            throw new DevHostConfigurationException("DevHostOptions.ScriptRoot is required.");
        var root = System.IO.Path.GetFullPath(options.ScriptRoot);
        if (!Directory.Exists(root))
            throw new DevHostConfigurationException(
                $"The function app folder {root} does not exist. Build the function app first (dotnet build) or pass --script-root.");
        var hostJson = System.IO.Path.Combine(root, "host.json");
        if (!File.Exists(hostJson))
            throw new DevHostConfigurationException($"The function app folder {root} has no host.json: is it the function app's build output?");

        var host = HostConfig.Parse(hostJson);
        var worker = WorkerConfig.Load(root);
        var workerDll = System.IO.Path.Combine(root, worker.WorkerPath);
        if (!File.Exists(workerDll))
            throw new DevHostConfigurationException($"{root}: the worker {worker.WorkerPath} named by {WorkerConfig.FileName} is missing.");
        return new AppDirectory(root, host, worker, AppSettings.Load(root, options.AppSettings));
    }
}
