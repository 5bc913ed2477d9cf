using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Handler;
using NotifyHub.DevHost.Timers;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class TimerTriggerTests
{
    private const string Yearly = "0 0 0 1 1 *";

    [Fact]
    public async Task Two_DevHost_instances_sharing_storage_fire_each_timer_occurrence_once()
    {
        var hostId = TestStorage.UniqueName("shared");
        using var root = new ScriptRootBuilder().TimerFunction("Tick", "* * * * * *", useMonitor: true);
        await using var handlerA = await FakeHandler.StartAsync();
        await using var handlerB = await FakeHandler.StartAsync();
        await using var hostA = await TestDevHost.StartAsync(root, handlerA, hostId);
        await using var hostB = await TestDevHost.StartAsync(root, handlerB, hostId);

        // Run both for a few occurrences, then stop whichever holds the lock so the other takes over.
        await Eventually.UntilAsync(() => handlerA.InvocationsOf("Tick").Count + handlerB.InvocationsOf("Tick").Count,
            n => n >= 3, "three occurrences while both instances run");
        var firstHolder = handlerA.InvocationsOf("Tick").Count > 0 ? handlerA : handlerB;
        var otherHolder = firstHolder == handlerA ? handlerB : handlerA;
        if (firstHolder == handlerA) await hostA.DisposeAsync();
        else await hostB.DisposeAsync();
        await Eventually.UntilAsync(() => otherHolder.InvocationsOf("Tick").Count, n => n >= 3, "three occurrences after the hand-over");
        await hostA.DisposeAsync();
        await hostB.DisposeAsync();

        // Each invocation carries the status recorded by the run before it: its Next is the occurrence being fired.
        var invocations = handlerA.InvocationsOf("Tick").Concat(handlerB.InvocationsOf("Tick")).ToList();
        var occurrences = invocations
            .Select(i => i["Data"]!["timer"]!["ScheduleStatus"])
            .Where(s => s is not null)
            .Select(s => DateTimeOffset.Parse(s!["Next"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(occurrences.Count >= 4, $"expected several occurrences, got {occurrences.Count}");
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
        Assert.Single(invocations, i => i["Data"]!["timer"]!["ScheduleStatus"] is null); // only the very first run had no status
    }

    [Fact]
    public async Task A_timer_with_runOnStartup_fires_when_the_host_starts()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Digest", Yearly, runOnStartup: true);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);

        var invocation = (await Eventually.UntilAsync(() => handler.InvocationsOf("Digest"), i => i.Count > 0, "the start-up run"))[0];
        var timer = invocation["Data"]!["timer"]!;
        Assert.False(timer["IsPastDue"]!.GetValue<bool>());
        Assert.True(timer["Schedule"]!["AdjustForDST"]!.GetValue<bool>());
        Assert.Equal("Digest", invocation["Metadata"]!["sys"]!["MethodName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_timer_whose_stored_Next_has_passed_fires_at_start_with_IsPastDue_and_records_the_run()
    {
        var hostId = TestStorage.UniqueName("pastdue");
        var container = new BlobServiceClient(await TestStorage.ConnectionStringAsync()).GetBlobContainerClient("azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync();
        var statusBlob = container.GetBlobClient($"timers/{hostId}/Host.Functions.Digest/status");
        await statusBlob.UploadAsync(BinaryData.FromString(
            """{"Last":"2020-01-01T00:00:00+00:00","Next":"2021-01-01T00:00:00+00:00","LastUpdated":"2020-01-01T00:00:05+00:00"}"""));

        using var root = new ScriptRootBuilder().TimerFunction("Digest", Yearly);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler, hostId);

        var invocation = (await Eventually.UntilAsync(() => handler.InvocationsOf("Digest"), i => i.Count > 0, "the past-due run"))[0];
        var timer = invocation["Data"]!["timer"]!;
        Assert.True(timer["IsPastDue"]!.GetValue<bool>());
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), timer["ScheduleStatus"]!["Next"]!.GetValue<DateTimeOffset>());

        var recorded = JsonNode.Parse((await statusBlob.DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), recorded["Last"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), recorded["Next"]!.GetValue<DateTimeOffset>());
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
        var (_, etagA) = await a.ReadAsync(default);
        var (_, etagB) = await b.ReadAsync(default);
        var first = await Task.WhenAll(
            a.TryWriteAsync(new ScheduleStatus(t, t.AddSeconds(1), t), etagA, default),
            b.TryWriteAsync(new ScheduleStatus(t, t.AddSeconds(1), t), etagB, default));
        Assert.Single(first, won => won);

        // Both read the same version: only one conditional update wins.
        (_, etagA) = await a.ReadAsync(default);
        (_, etagB) = await b.ReadAsync(default);
        var next = t.AddSeconds(1);
        var second = await Task.WhenAll(
            a.TryWriteAsync(new ScheduleStatus(next, next.AddSeconds(1), next), etagA, default),
            b.TryWriteAsync(new ScheduleStatus(next, next.AddSeconds(1), next), etagB, default));
        Assert.Single(second, won => won);
    }
}
