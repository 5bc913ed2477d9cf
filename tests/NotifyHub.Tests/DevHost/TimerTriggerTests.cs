using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using NotifyHub.DevHost.Timers;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>Timer triggers: the host's schedule monitor, singleton lock and past-due rules, delivering a TimerInfo to a real worker.</summary>
public class TimerTriggerTests
{
    private static readonly Dictionary<string, string?> EverySecond = new() { ["TickSchedule"] = "* * * * * *" };
    private static readonly NCrontab.CrontabSchedule Hourly = NCrontab.CrontabSchedule.Parse("0 0 * * * *", new() { IncludingSeconds = true });
    private static readonly NCrontab.CrontabSchedule Yearly = NCrontab.CrontabSchedule.Parse("0 0 0 1 1 *", new() { IncludingSeconds = true });

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
        Assert.True(occurrences.Count >= 6, $"expected several occurrences, got {occurrences.Count}");
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
        // As the host's schedule monitor, an initial status is recorded at start: even the very first run has one,
        // with no Last yet.
        Assert.All(runs, r => Assert.NotNull(r["next"]));
        Assert.Single(runs, r => r["last"]!.GetValue<DateTimeOffset>() == DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task A_timer_with_runOnStartup_runs_when_the_host_starts_with_the_initial_status_and_records_the_run()
    {
        var hostId = TestStorage.UniqueName("startup");
        var before = DateTimeOffset.UtcNow;
        await using var hub = await TestWorkerHost.StartAsync(["StartupTick"], hostId: hostId);

        var run = (await Eventually.UntilAsync(() => hub.Recorded("StartupTick"), r => r.Count > 0, "the start-up run"))[0];

        Assert.False(run["isPastDue"]!.GetValue<bool>());
        Assert.True(run["hasStatus"]!.GetValue<bool>()); // monitored (a yearly schedule): the status recorded at start
        var blob = await StatusBlobAsync(hostId, "StartupTick");
        var recorded = await Eventually.UntilAsync(async () => await blob.ExistsAsync() ? JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString()) : null,
            s => s is not null && s["Last"]!.GetValue<DateTimeOffset>() >= before, "the start-up run to be recorded");
        var last = recorded!["Last"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimerSchedule.NextOccurrence(Yearly, last), recorded["Next"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_timer_whose_recorded_Next_has_passed_fires_at_start_as_past_due_then_records_the_run_at_the_invocation_time()
    {
        // Recorded relative to now, so the test takes the same path whatever the date: last ran three hours ago,
        // its next occurrence two hours ago was missed.
        var hostId = TestStorage.UniqueName("pastdue");
        var statusBlob = await StatusBlobAsync(hostId, "Tick");
        var now = DateTimeOffset.UtcNow;
        var lastRun = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-3);
        var missed = lastRun.AddHours(1);
        await statusBlob.UploadAsync(BinaryData.FromString(
            $$"""{"Last":"{{lastRun:O}}","Next":"{{missed:O}}","LastUpdated":"{{lastRun:O}}"}"""));

        var before = DateTimeOffset.UtcNow;
        var logs = new CollectedLogs();
        await using var hub = await TestWorkerHost.StartAsync(["Tick"], settings: new Dictionary<string, string?> { ["TickSchedule"] = "0 0 * * * *" }, hostId: hostId,
            loggers: logs.Factory);

        var run = (await Eventually.UntilAsync(() => hub.Recorded("Tick"), r => r.Count > 0, "the past-due run"))[0];
        Assert.True(run["isPastDue"]!.GetValue<bool>());
        // The log names the missed occurrence as such, so that a run at start is not read as a run for hours ago.
        Assert.Contains(logs.Entries, e => e.EventId == 400
            && e.Message == $"Timer 'Tick' missed its run due at {missed.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (UTC) while no host was running; running it once now, then on schedule");
        Assert.Equal(missed, run["next"]!.GetValue<DateTimeOffset>()); // the status as it stood before the run
        Assert.Equal(lastRun, run["last"]!.GetValue<DateTimeOffset>());

        // Recorded as the host does: Last and LastUpdated are when it ran, Next the first occurrence after that —
        // one catch-up run, not one per missed occurrence.
        var recorded = await Eventually.UntilAsync(async () => JsonNode.Parse((await statusBlob.DownloadContentAsync()).Value.Content.ToString())!,
            s => s["Last"]!.GetValue<DateTimeOffset>() >= before, "the run to be recorded");
        var last = recorded["Last"]!.GetValue<DateTimeOffset>();
        Assert.InRange(last, before, DateTimeOffset.UtcNow);
        Assert.Equal(last, recorded["LastUpdated"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TimerSchedule.NextOccurrence(Hourly, last), recorded["Next"]!.GetValue<DateTimeOffset>());
        Assert.Single(hub.Recorded("Tick"));
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

    private static int LockAcquisitions(CollectedLogs logs) => logs.Entries.Count(e => e.EventId == 402);

    [Fact]
    public async Task A_timer_whose_lock_renewal_fails_in_a_storage_outage_lets_go_of_the_lock_says_so_and_takes_it_again_once_storage_is_back()
    {
        await using var storage = await OwnAzurite.StartAsync();
        var logs = new CollectedLogs();
        var hostId = TestStorage.UniqueName("outage");
        await using var hub = await TestWorkerHost.StartAsync(["Tick"], hostId: hostId, loggers: logs.Factory, storage: storage.ConnectionString);
        await Eventually.UntilAsync(() => LockAcquisitions(logs), n => n == 1, "the timer to take its lock");
        // Its start-up reads and writes are done once the initial status is there: from then on only the renewals use storage.
        var status = new BlobContainerClient(storage.ConnectionString, "azure-webjobs-hosts").GetBlobClient($"timers/{hostId}/Host.Functions.Tick/status");
        await Eventually.UntilAsync(async () => (bool)await status.ExistsAsync(), exists => exists, "the timer's initial status");

        await storage.StopAsync();

        // The SDK tries a renewal six times (about 25 s) before it gives up with an AggregateException, not a
        // RequestFailedException: the lock is lost all the same, and the timer must know it.
        var lost = await Eventually.UntilAsync(() => logs.Entries.Where(e => e.EventId == 403).ToList(), l => l.Count > 0,
            "the lost lock to be reported", TimeSpan.FromSeconds(90));
        Assert.NotNull(Assert.Single(lost).Exception);

        await storage.StartAgainAsync();
        await Eventually.UntilAsync(() => LockAcquisitions(logs), n => n == 2, "the timer to take its lock again", TimeSpan.FromSeconds(90));
        var lockBlob = new BlobContainerClient(storage.ConnectionString, "azure-webjobs-hosts").GetBlobClient($"locks/{hostId}/Host.Functions.Tick.Listener");
        Assert.Equal(Azure.Storage.Blobs.Models.LeaseState.Leased, (await lockBlob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task A_timer_whose_first_lock_request_times_out_tries_again_instead_of_ending()
    {
        var logs = new CollectedLogs();
        var faults = new StorageFaults();
        // The timer's first storage request is for its lock blob; it fails as a timed-out request can, with an
        // OperationCanceledException that is not the DevHost's stop.
        faults.FailNext(m => m.Request.Uri.Path.Contains("/locks/", StringComparison.Ordinal),
            () => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (a test's fault)."));
        await using var hub = await TestWorkerHost.StartAsync(["Tick"], loggers: logs.Factory, storageFaults: faults);

        await Eventually.UntilAsync(() => LockAcquisitions(logs), n => n == 1, "the timer to take its lock after the failed request");

        Assert.Equal(1, faults.Failed);
        Assert.Contains(logs.Entries, e => e.EventId == 404 && e.Exception is TaskCanceledException);
    }
}
