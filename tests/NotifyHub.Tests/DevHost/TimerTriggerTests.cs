using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using NotifyHub.DevHost.Timers;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>Timer triggers: the host's schedule monitor, singleton lock and past-due rules, delivering a TimerInfo to a real worker.</summary>
public class TimerTriggerTests
{
    private static readonly Dictionary<string, string?> EverySecond = new() { ["TickSchedule"] = "* * * * * *" };

    private static async Task<BlobClient> StatusBlobAsync(string hostId, string function)
    {
        var container = new BlobServiceClient(await TestStorage.ConnectionStringAsync()).GetBlobContainerClient("azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync();
        return container.GetBlobClient($"timers/{hostId}/Host.Functions.{function}/status");
    }

    [Fact]
    public async Task Two_DevHost_instances_sharing_storage_fire_each_timer_occurrence_once()
    {
        var hostId = TestStorage.UniqueName("shared");
        await using var hubA = await TestWorkerHost.StartAsync(["Tick"], settings: EverySecond, hostId: hostId);
        await using var hubB = await TestWorkerHost.StartAsync(["Tick"], settings: EverySecond, hostId: hostId);

        // Run both for a few occurrences, then stop whichever holds the lock so the other takes over.
        await Eventually.UntilAsync(() => hubA.Recorded("Tick").Count + hubB.Recorded("Tick").Count, n => n >= 3, "three occurrences while both run");
        var (holder, other) = hubA.Recorded("Tick").Count > 0 ? (hubA, hubB) : (hubB, hubA);
        await holder.Host.DisposeAsync();
        await Eventually.UntilAsync(() => other.Recorded("Tick").Count, n => n >= 3, "three occurrences after the hand-over");
        await other.Host.DisposeAsync();

        // Each invocation carries the status recorded by the run before it: its Next is the occurrence being fired.
        var runs = hubA.Recorded("Tick").Concat(hubB.Recorded("Tick")).ToList();
        var occurrences = runs.Where(r => r["next"] is not null).Select(r => r["next"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.True(occurrences.Count >= 4, $"expected several occurrences, got {occurrences.Count}");
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
        Assert.Single(runs, r => r["next"] is null); // only the very first run had no status
    }

    [Fact]
    public async Task A_timer_with_runOnStartup_receives_a_TimerInfo_when_the_host_starts_and_leaves_the_schedule_status_alone()
    {
        var hostId = TestStorage.UniqueName("startup");
        await using var hub = await TestWorkerHost.StartAsync(["StartupTick"], hostId: hostId);

        var run = (await Eventually.UntilAsync(() => hub.Recorded("StartupTick"), r => r.Count > 0, "the start-up run"))[0];

        Assert.False(run["isPastDue"]!.GetValue<bool>());
        Assert.False(await (await StatusBlobAsync(hostId, "StartupTick")).ExistsAsync());
    }

    [Fact]
    public async Task A_timer_whose_stored_Next_has_passed_fires_at_start_as_past_due_and_its_next_occurrence_is_computed_from_now()
    {
        var hostId = TestStorage.UniqueName("pastdue");
        var statusBlob = await StatusBlobAsync(hostId, "Tick");
        await statusBlob.UploadAsync(BinaryData.FromString(
            """{"Last":"2020-01-01T00:00:00+00:00","Next":"2021-01-01T00:00:00+00:00","LastUpdated":"2020-01-01T00:00:05+00:00"}"""));

        await using var hub = await TestWorkerHost.StartAsync(["Tick"], hostId: hostId); // yearly: 0 0 0 1 1 *

        var run = (await Eventually.UntilAsync(() => hub.Recorded("Tick"), r => r.Count > 0, "the past-due run"))[0];
        Assert.True(run["isPastDue"]!.GetValue<bool>());
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), run["next"]!.GetValue<DateTimeOffset>());

        var recorded = await Eventually.UntilAsync(async () => JsonNode.Parse((await statusBlob.DownloadContentAsync()).Value.Content.ToString())!,
            s => s["Last"]!.GetValue<DateTimeOffset>().Year == 2021, "the run to be recorded");
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new DateTimeOffset(now.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), recorded["Next"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task An_unreadable_schedule_status_is_replaced_and_reported_instead_of_silently_stopping_the_timer()
    {
        var hostId = TestStorage.UniqueName("garbled");
        var statusBlob = await StatusBlobAsync(hostId, "Tick");
        await statusBlob.UploadAsync(BinaryData.FromString("{ this is not a schedule status"));
        var logs = new CollectedLogs();

        await using var hub = await TestWorkerHost.StartAsync(["Tick"], settings: EverySecond, hostId: hostId, loggers: logs.Factory);

        await Eventually.UntilAsync(() => hub.Recorded("Tick").Count, n => n >= 2, "the timer to keep firing");
        var status = JsonNode.Parse((await statusBlob.DownloadContentAsync()).Value.Content.ToString())!;
        Assert.True(status["Last"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.EventId == 405);
    }

    [Fact]
    public async Task Only_one_of_two_racing_instances_can_claim_an_occurrence()
    {
        var container = new BlobServiceClient(await TestStorage.ConnectionStringAsync()).GetBlobContainerClient("azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync();
        var hostId = TestStorage.UniqueName("race");
        var a = new ScheduleStatusStore(container, hostId, "Tick");
        var b = new ScheduleStatusStore(container, hostId, "Tick");
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // No blob yet: both saw "nothing", only one create wins.
        var readA = await a.ReadAsync(default);
        var readB = await b.ReadAsync(default);
        var first = await Task.WhenAll(
            a.TryWriteAsync(new ScheduleStatus(t, t.AddSeconds(1), t), readA.ETag, default),
            b.TryWriteAsync(new ScheduleStatus(t, t.AddSeconds(1), t), readB.ETag, default));
        Assert.Single(first, won => won);

        // Both read the same version: only one conditional update wins.
        readA = await a.ReadAsync(default);
        readB = await b.ReadAsync(default);
        var next = t.AddSeconds(1);
        var second = await Task.WhenAll(
            a.TryWriteAsync(new ScheduleStatus(next, next.AddSeconds(1), next), readA.ETag, default),
            b.TryWriteAsync(new ScheduleStatus(next, next.AddSeconds(1), next), readB.ETag, default));
        Assert.Single(second, won => won);
    }
}
