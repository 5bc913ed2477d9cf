using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Config;

// The DevHost: runs the isolated-worker function app locally the way the Azure Functions host would.
//   dotnet run --project infra/devhost -- [--script-root <dir>] [--port 7071] [--functions A,B]
// Configuration: AzureWebJobsStorage (unset: the DevHost starts Azurite), DevHost__HostId,
// DevHost__MasterKey, DevHost__AzuriteFolder, DevHost__ScriptRoot, DevHost__HttpPort.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("usage: NotifyHub.DevHost [--script-root <dir>] [--port <port>] [--functions <a,b>]");
    return 0;
}

var config = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args, new Dictionary<string, string>
    {
        ["--script-root"] = "DevHost:ScriptRoot",
        ["--port"] = "DevHost:HttpPort",
        ["--functions"] = "DevHost:Functions",
    })
    .Build();
var section = config.GetSection("DevHost");

using var loggerFactory = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
    .SetMinimumLevel(LogLevel.Information)
    // Per-request framework logs drown the function logs; the DevHost logs what it forwards and runs.
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
    .AddFilter("Yarp", LogLevel.Warning)
    .AddFilter("Grpc", LogLevel.Warning));

string scriptRoot;
if (section["ScriptRoot"] is { Length: > 0 } configured)
{
    scriptRoot = configured;
}
else if (RepoRoot.Find(Directory.GetCurrentDirectory()) is { } repoRoot)
{
    scriptRoot = Path.Combine(repoRoot, "artifacts", "bin", "NotifyHub.Functions", "debug");
}
else
{
    Console.Error.WriteLine("Run from inside the repository or pass --script-root <dir>.");
    return 2;
}

var options = new DevHostOptions
{
    ScriptRoot = scriptRoot,
    HttpPort = section.GetValue("HttpPort", 7071),
    StorageConnectionString = config["AzureWebJobsStorage"] is { Length: > 0 } storage ? storage : null,
    AzuriteFolder = section["AzuriteFolder"],
    HostId = section["HostId"] ?? "notifyhub-devhost",
    MasterKey = section["MasterKey"],
    Functions = section["Functions"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
};
if (!TimeSpan.TryParse(section["ShutdownGrace"] ?? "00:00:05", System.Globalization.CultureInfo.InvariantCulture, out var grace) || grace < TimeSpan.Zero)
{
    Console.Error.WriteLine("DevHost:ShutdownGrace must be a TimeSpan such as 00:00:05.");
    return 2;
}
options = options with { ShutdownGrace = grace };

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

RunningDevHost host;
try
{
    host = await DevHostApp.StartAsync(options, loggerFactory, stop.Token);
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception e)
{
    // Configuration, a busy port, a worker that would not start, unreachable storage: say it plainly.
    Console.Error.WriteLine("DevHost could not start: " + e.Message);
    return 1;
}

await using (host)
{
    Console.WriteLine();
    Console.WriteLine("Functions:");
    foreach (var function in host.Functions) Console.WriteLine($"  {function.Name}: {function.Description}");
    Console.WriteLine();
    Console.WriteLine($"Front door: {host.BaseAddress}  (admin: POST {host.BaseAddress}admin/functions/<name>[?wait=true])");
    Console.WriteLine($"Worker:     process {host.WorkerProcessId}, HTTP at {host.WorkerHttpUri}");
    Console.WriteLine("Press Ctrl+C to stop.");

    await Task.WhenAny(host.Completion, Task.Delay(Timeout.Infinite, stop.Token));
}

if (host.Completion.IsFaulted)
{
    Console.Error.WriteLine("DevHost stopped: " + host.Completion.Exception!.InnerException!.Message);
    return 1;
}
return 0;
