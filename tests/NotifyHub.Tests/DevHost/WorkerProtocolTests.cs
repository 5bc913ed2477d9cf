using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>The DevHost starts, indexes, supervises and stops a real isolated worker over the FunctionRpc protocol.</summary>
public class WorkerProtocolTests
{
    private static IReadOnlyList<string> DeclaredFunctions() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.TestWorkerRoot, "functions.metadata")))!.AsArray()
            .Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task The_worker_is_started_as_the_host_starts_it_and_every_function_it_declares_is_indexed_and_loaded()
    {
        await using var hub = await TestWorkerHost.StartAsync(functions: null);

        Assert.Equal(DeclaredFunctions(), hub.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Contains(hub.Host.Functions, f => f.Name == "Echo" && f.Description == "[GET,POST] /api/echo/{kind}/{id:int}");
        Assert.Contains(hub.Host.Functions, f => f.Name == "Record" && f.Description == "queueTrigger " + hub.RecordQueueName);
        Assert.Contains(hub.Host.Functions, f => f.Name == "Tick" && f.Description == "timerTrigger 0 0 0 1 1 *");
        Assert.NotNull(hub.Host.WorkerHttpUri);

        if (OperatingSystem.IsLinux())
        {
            var pid = hub.Host.WorkerProcessId!.Value;
            var arguments = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0');
            Assert.Equal(Path.Combine(RepoPaths.TestWorkerRoot, "NotifyHub.TestWorker.dll"), arguments[1]);
            foreach (var flag in new[] { "--functions-uri", "--functions-worker-id", "--functions-request-id", "--functions-grpc-max-message-length", "--host", "--port", "--workerId" })
                Assert.Contains(flag, arguments);
            var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
            Assert.Contains($"FUNCTIONS_APPLICATION_DIRECTORY={RepoPaths.TestWorkerRoot}", environment);
            Assert.Contains("FUNCTIONS_WORKER_RUNTIME=dotnet-isolated", environment);
            Assert.Contains($"AzureWebJobsStorage={hub.Connection}", environment);
            Assert.Contains($"RecordQueue={hub.RecordQueueName}", environment);
            Assert.Equal(RepoPaths.TestWorkerRoot, new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(true)!.FullName);
        }
    }

    [Fact]
    public async Task Stopping_the_DevHost_sends_WorkerTerminate_so_the_worker_exits_by_itself_and_no_process_is_left_behind()
    {
        var logs = new CollectedLogs();
        var hub = await TestWorkerHost.StartAsync(["Ping"], loggers: logs.Factory);
        var pid = hub.Host.WorkerProcessId!.Value;
        (await hub.Http.DeleteAsync("api/Ping")).EnsureSuccessStatusCode(); // the worker is up, HTTP server and all

        await hub.DisposeAsync();

        Assert.True(HasExited(pid), "the worker process should be gone once the DevHost has stopped");
        Assert.True(hub.Host.Completion.IsCompletedSuccessfully);
        var stopped = Assert.Single(logs.Entries, e => e.EventId == 111);
        Assert.Equal(pid, stopped.State["ProcessId"]);
        Assert.Equal(0, stopped.State["ExitCode"]);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 112);
    }

    [Fact]
    public async Task A_worker_that_exits_on_Ctrl_C_while_the_DevHost_stops_is_neither_reported_as_a_crash_nor_restarted()
    {
        var logs = new CollectedLogs();
        var hub = await TestWorkerHost.StartAsync(["Echo"], loggers: logs.Factory);
        var pid = hub.Host.WorkerProcessId!.Value;

        // Ctrl-C reaches the whole process group: the worker gets SIGINT as the DevHost starts to stop.
        var stopping = hub.DisposeAsync().AsTask();
        Assert.Equal(0, Interrupt(pid));
        await stopping;

        Assert.True(HasExited(pid));
        Assert.Equal(0, hub.Host.WorkerRestarts);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 103 || e.Level >= LogLevel.Error);
        Assert.True(hub.Host.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_worker_that_dies_is_restarted_and_the_DevHost_keeps_serving()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Ping"]);
        var first = hub.Host.WorkerProcessId!.Value;

        Process.GetProcessById(first).Kill();
        var second = await Eventually.UntilAsync(() => hub.Host.WaitForWorkerAsync(), pid => pid != first, "a new worker process");

        using var response = await hub.Http.DeleteAsync("api/Ping");
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, hub.Host.WorkerRestarts);
        Assert.True(HasExited(first));
        Assert.False(hub.Host.Completion.IsCompleted);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_worker_that_cannot_be_restarted_stops_the_DevHost_with_its_last_output_after_five_attempts()
    {
        var crash = Path.Combine(Path.GetTempPath(), "crash-flag-" + Guid.NewGuid().ToString("N"));
        await using var hub = await TestWorkerHost.StartAsync(["Ping"], settings: new Dictionary<string, string?> { ["CrashOnStartIfExists"] = crash });
        try
        {
            await File.WriteAllTextAsync(crash, "");
            Process.GetProcessById(hub.Host.WorkerProcessId!.Value).Kill();

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Host.Completion.WaitAsync(TimeSpan.FromMinutes(1)));

            Assert.Contains("could not be restarted after 5 attempts", failure.Message, StringComparison.Ordinal);
            Assert.Contains("crashing on start, as the test asked", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(crash);
        }
    }

    [Fact]
    public async Task The_workers_logs_become_DevHost_logs_tagged_with_the_function_and_invocation()
    {
        var logs = new CollectedLogs();
        await using var hub = await TestWorkerHost.StartAsync(["Record"], loggers: logs.Factory);
        await hub.Queue(hub.RecordQueueName).SendMessageAsync("hello");

        var recorded = (await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count > 0, "the invocation"))[0];
        var invocationId = recorded["invocationId"]!.GetValue<string>();
        var line = await Eventually.UntilAsync(
            () => logs.Entries.FirstOrDefault(e => e.Message.Contains("Record received attempt 1", StringComparison.Ordinal)),
            e => e is not null, "the worker's log line");

        Assert.Equal("NotifyHub.TestWorker.QueueFunctions", line!.Category);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("Record", line.State["Function"]);
        Assert.Equal(invocationId, line.State["InvocationId"]);
        // The host logs "Executed" once the worker's answer is in, which may be a moment after the worker's own line.
        await Eventually.UntilAsync(() => logs.Entries.Any(e => e.Message.StartsWith("Executed 'Functions.Record' (Succeeded, Id=" + invocationId, StringComparison.Ordinal)),
            found => found, "the host's Executed line");
    }

    [Fact]
    public async Task A_worker_that_exits_before_it_connects_fails_the_start_with_its_output()
    {
        var folder = Path.Combine(Path.GetTempPath(), "devhost-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "host.json"), """{"version":"2.0"}""");
            await File.WriteAllTextAsync(Path.Combine(folder, "crash.sh"), "echo boom-$0 >&2\nexit 3\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "worker.config.json"),
                """{"description":{"language":"dotnet-isolated","defaultExecutablePath":"sh","defaultWorkerPath":"crash.sh"}}""");

            var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await DevHostApp.StartAsync(new DevHostOptions
            {
                ScriptRoot = folder,
                HttpPort = 0,
                StorageConnectionString = await TestStorage.ConnectionStringAsync(),
            }));

            Assert.Contains("exited with code 3 before it connected", failure.Message, StringComparison.Ordinal);
            Assert.Contains("boom-", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does to every process of the foreground group.</summary>
    private static int Interrupt(int pid) => Kill(pid, 2);

    internal static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
