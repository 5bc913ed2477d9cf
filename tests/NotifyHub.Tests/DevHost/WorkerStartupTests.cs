using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Worker;

namespace NotifyHub.Tests.DevHost;

/// <summary>How the worker is started and restarted, and which host.json log levels apply (pure).</summary>
public class WorkerStartupTests
{
    private static AppDirectory App(WorkerConfig worker) =>
        new("/app", new HostConfig("api", QueuesConfig.Default, null, new LogLevels(new Dictionary<string, LogLevel>(), LogLevel.Information)), worker,
            new AppSettings(new Dictionary<string, string?> { ["Routing__Key"] = "k", ["ASPNETCORE_URLS"] = "http://+:80" }));

    [Fact]
    public void The_worker_gets_worker_config_arguments_then_the_hosts_start_up_arguments()
    {
        var app = App(new WorkerConfig("dotnet-isolated", "dotnet", "App.dll", ["--roll-forward", "Major"], ["--extra"]));

        var arguments = WorkerProcess.Arguments(app, new Uri("http://127.0.0.1:5005/"), "w-1", "r-1");

        Assert.Equal(
            ["--roll-forward", "Major", "/app/App.dll", "--extra",
             "--host", "127.0.0.1", "--port", "5005", "--workerId", "w-1", "--requestId", "r-1", "--grpcMaxMessageLength", "2147483647",
             "--functions-uri", "http://127.0.0.1:5005/", "--functions-worker-id", "w-1", "--functions-request-id", "r-1",
             "--functions-grpc-max-message-length", "2147483647"],
            arguments);
    }

    [Fact]
    public void The_workers_environment_has_the_app_settings_and_the_hosts_variables_and_no_inherited_urls()
    {
        var environment = WorkerProcess.Environment(App(new WorkerConfig("dotnet-isolated", "dotnet", "App.dll", [], [])), "UseDevelopmentStorage=true");

        Assert.Equal("k", environment["Routing__Key"]);
        Assert.Equal("UseDevelopmentStorage=true", environment["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", environment["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("/app", environment["FUNCTIONS_APPLICATION_DIRECTORY"]);
        Assert.Equal("Development", environment["AZURE_FUNCTIONS_ENVIRONMENT"]);
        Assert.Null(environment["ASPNETCORE_URLS"]);
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    [InlineData(6, 30000)]
    [InlineData(1000, 30000)]
    public void A_dead_worker_is_restarted_after_a_delay_that_doubles_up_to_30_seconds(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WorkerSupervisor.RestartDelay(attempt, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData("NotifyHub.Functions.RouteIncident", LogLevel.Debug)]
    [InlineData("NotifyHub.Other", LogLevel.Warning)]
    [InlineData("Microsoft.AspNetCore.Routing", LogLevel.Error)]
    [InlineData("Microsoft.AspNetCoreX", LogLevel.Information)]
    [InlineData("Worker", LogLevel.Information)]
    public void The_most_specific_host_json_log_level_applies_to_a_worker_log_category(string category, LogLevel expected)
    {
        var levels = new LogLevels(new Dictionary<string, LogLevel>
        {
            ["NotifyHub"] = LogLevel.Warning,
            ["NotifyHub.Functions"] = LogLevel.Debug,
            ["Microsoft.AspNetCore"] = LogLevel.Error,
        }, LogLevel.Information);

        Assert.Equal(expected, levels.For(category));
    }
}
