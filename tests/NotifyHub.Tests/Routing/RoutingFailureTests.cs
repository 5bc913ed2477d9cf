using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using NotifyHub.Incidents;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Routing;

/// <summary>
/// A hub that gives up on a message after two attempts, with no delay between them, and whose reconciliation
/// (run by the tests, not by its timer) re-queues an incident once, one second after it was last queued.
/// Each test starts one of its own.
/// </summary>
public sealed class FailingRoutingHubFixture : HubFixture
{
    public const int MaxDequeueCount = 2;

    /// <summary>Without delivery: the tests count what routing queued.</summary>
    protected override IReadOnlyList<string>? Functions => AllFunctionsExcept("DeliverNotification");

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Reconcile__After"] = "00:00:01",
        ["Reconcile__MaxRequeues"] = "1",
        ["ReconcileIncidentsSchedule"] = "0 0 0 1 1 *",
    };

    protected override Action<System.Text.Json.Nodes.JsonObject>? ChangeHostJson => host =>
    {
        host["extensions"]!["queues"]!["maxDequeueCount"] = MaxDequeueCount;
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.500";
    };
}

/// <summary>
/// Routing when storage fails. Each test has a hub of its own (its own Azurite and DevHost; xunit makes a new
/// instance of this class for every test), so the tables one test deletes, the messages it poisons and the incidents
/// it leaves stuck are never another's, and their order does not matter.
/// </summary>
public class RoutingFailureTests : IAsyncLifetime
{
    private readonly FailingRoutingHubFixture hub = new();

    public Task InitializeAsync() => hub.InitializeAsync();

    public Task DisposeAsync() => hub.DisposeAsync();

    [Fact]
    public async Task When_storage_fails_routing_is_retried_then_the_message_is_poisoned_intact_and_can_be_replayed_without_loss()
    {
        await hub.SeedDemoDirectoryAsync();
        // A table the router writes goes away: every routing attempt fails.
        var history = hub.Tables.GetTableClient(StorageNames.ChildHistoryTable);
        await history.DeleteAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);

        var poison = hub.Queues.GetQueueClient(StorageNames.IncidentsQueue + "-poison");
        var poisoned = await Eventually.UntilAsync(async () =>
            await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList() : [],
            texts => texts.Count > 0, "the incident's message in the poison queue");

        var message = JsonSerializer.Deserialize<IncidentQueued>(Assert.Single(poisoned), JsonSerializerOptions.Web);
        Assert.Equal(new IncidentQueued(incidentId, force, reference), message);
        var status = await RouteIncidentTests.StatusAsync(hub, force, key, reference);
        Assert.Equal("queued", status.GetProperty("status").GetString());
        Assert.Empty(NotifyHub.Tests.Routing.RouteIncidentTests.Shares(status));

        // Operations see it: the hub reports itself degraded, with the poisoned message counted.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/health"))
        {
            request.Headers.Add("X-Api-Key", hub.AdminKey);
            var health = await (await hub.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            var incidentsQueue = health.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == StorageNames.IncidentsQueue);
            Assert.Equal(1, incidentsQueue.GetProperty("poisoned").GetInt32());
        }

        // Storage is back: an operator replays the poison message.
        await history.CreateIfNotExistsAsync();
        using (var replay = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/queues/{StorageNames.IncidentsQueue}/replay"))
        {
            replay.Headers.Add("X-Api-Key", hub.AdminKey);
            var replayed = await (await hub.Http.SendAsync(replay)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1, replayed.GetProperty("count").GetInt32());
        }

        var routed = await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        Assert.Equal(6, NotifyHub.Tests.Routing.RouteIncidentTests.Shares(routed).Count());

        // Health is also degraded while no bank holidays are loaded (due times would be guesses): load this year's and next.
        var year = Domain.UkTime.DateOf(DateTimeOffset.UtcNow).Year;
        await Timeliness.TimelinessApi.LoadBankHolidaysAsync(hub, year, year + 1);
        using var after = new HttpRequestMessage(HttpMethod.Get, "/api/admin/health");
        after.Headers.Add("X-Api-Key", hub.AdminKey);
        var healthy = await (await hub.Http.SendAsync(after)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", healthy.GetProperty("status").GetString());
        // Health names who consumes each queue and how much waits there (this hub runs without delivery, so the first attempts wait).
        var deliveries = healthy.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == StorageNames.DeliveriesQueue);
        Assert.True(deliveries.GetProperty("waiting").GetInt32() >= 1);
        Assert.Equal("DeliverNotification", deliveries.GetProperty("consumer").GetString());
        var incidents = healthy.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == StorageNames.IncidentsQueue);
        Assert.Equal("RouteIncident", incidents.GetProperty("consumer").GetString());
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", hub.AdminKey);
        var response = await hub.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<System.Net.HttpStatusCode> PostAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", hub.AdminKey);
        return (await hub.Http.SendAsync(request)).StatusCode;
    }

    /// <summary>
    /// Runs reconciliation until what <paramref name="probe"/> then finds is <paramref name="done"/>. Reconcile:After is
    /// one second and the runs before it has passed find nothing to do: the test waits for what reconciliation did,
    /// not for a second to pass.
    /// </summary>
    private Task<T> ReconcileUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) =>
        Eventually.UntilAsync(async () =>
        {
            await hub.RunFunctionAsync("ReconcileIncidents");
            return await probe();
        }, done, what);

    /// <summary>Whether the incident's message is back on the incidents queue, or already on to its poison queue.</summary>
    private async Task<bool> QueuedAgainAsync()
    {
        var waiting = 0;
        foreach (var name in new[] { StorageNames.IncidentsQueue, StorageNames.IncidentsQueue + "-poison" })
            waiting += (await hub.Queues.GetQueueClient(name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        return waiting > 0;
    }

    private async Task PoisonedThenDeletedAsync()
    {
        var poison = hub.Queues.GetQueueClient(StorageNames.IncidentsQueue + "-poison");
        await Eventually.UntilAsync(async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value.Length : 0,
            n => n > 0, "the incident's message in the poison queue");
        // Lost outright, as an expired or deleted message would be: only the stored state is left.
        await poison.ClearMessagesAsync();
        await hub.Queues.GetQueueClient(StorageNames.IncidentsQueue).ClearMessagesAsync();
    }

    [Fact]
    public async Task An_incident_whose_messages_are_lost_outright_is_queued_again_from_stored_state_then_marked_stuck_and_can_be_retried()
    {
        await hub.SeedDemoDirectoryAsync();
        var history = hub.Tables.GetTableClient(StorageNames.ChildHistoryTable);
        await history.DeleteAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        await PoisonedThenDeletedAsync();

        // Reconciliation queues it again from its pending row; routing still fails and the message is lost again.
        await ReconcileUntilAsync(QueuedAgainAsync, queued => queued, "reconciliation to queue the incident again");
        await PoisonedThenDeletedAsync();
        Assert.Equal("queued", (await RouteIncidentTests.StatusAsync(hub, force, key, reference)).GetProperty("status").GetString());

        // Its one re-queue used, it is given up on: stuck, with the reason, counted and listed — not dropped.
        var stuck = await ReconcileUntilAsync(() => RouteIncidentTests.StatusAsync(hub, force, key, reference),
            status => status.GetProperty("status").GetString() == "stuck", "reconciliation to give the incident up");
        Assert.Contains("queued 2 times", stuck.GetProperty("stuckReason").GetString(), StringComparison.Ordinal);
        var health = await GetAsync("/api/admin/health");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("stuckIncidents").GetInt32());
        var listed = Assert.Single((await GetAsync("/api/admin/incidents/stuck")).GetProperty("items").EnumerateArray());
        Assert.Equal(incidentId, listed.GetProperty("incidentId").GetString());
        Assert.Equal(reference, listed.GetProperty("incidentReference").GetString());
        // The give-up is on record, as the hub's own act, naming the incident by id only.
        var gaveUp = Assert.Single((await GetAsync("/api/admin/audit?action=incident.marked-stuck&actor=function:ReconcileIncidents")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("targets")[0].GetString() == incidentId);
        Assert.Equal("notifyhub", gaveUp.GetProperty("actor").GetProperty("organisationId").GetString());

        // The cause fixed, an operator retries it: routed, and no longer stuck.
        await history.CreateIfNotExistsAsync();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, await PostAsync($"/api/admin/incidents/{force}/{reference}/retry"));
        Assert.Single((await GetAsync("/api/admin/audit?action=incident.retried&actor=hub-administrators")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("targets")[0].GetString() == incidentId);
        var routed = await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        Assert.Equal(6, NotifyHub.Tests.Routing.RouteIncidentTests.Shares(routed).Count());
        Assert.Empty((await GetAsync("/api/admin/incidents/stuck")).GetProperty("items").EnumerateArray());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, await PostAsync($"/api/admin/incidents/{force}/{reference}/retry"));
    }

    [Fact]
    public async Task A_retried_routing_keeps_the_decision_it_first_recorded_and_queues_a_message_for_every_delivery_it_stored()
    {
        await hub.SeedDemoDirectoryAsync();
        var history = hub.Tables.GetTableClient(StorageNames.ChildHistoryTable);
        var directory = new NotifyHub.Organisations.DirectoryStore(hub.Tables, TimeProvider.System);
        await history.DeleteAsync();
        // The first attempts claim the incident and record the decision, then fail.
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        var poison = hub.Queues.GetQueueClient(StorageNames.IncidentsQueue + "-poison");
        await Eventually.UntilAsync(async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value.Length : 0,
            n => n > 0, "the incident's message in the poison queue");

        // The directory changes before the retry: the probation SPOC the decision named is deactivated.
        await directory.UpdateAsync("demo-nps-spoc", null, s => s.Organisation with { Active = false }, default);
        await history.CreateIfNotExistsAsync();
        await PostAsync($"/api/admin/queues/{StorageNames.IncidentsQueue}/replay");

        var routed = await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var recipients = NotifyHub.Tests.Routing.RouteIncidentTests.Shares(routed).Select(d => d.GetProperty("recipientId").GetString()).ToList();
        Assert.Contains("demo-nps-spoc", recipients);
        Assert.Equal(6, recipients.Count);
        var messages = await RouteIncidentTests.DeliveryMessagesAsync(hub, incidentId);
        Assert.Equal(recipients.Order(), messages.SelectMany(m => m.Recipients()).Distinct().Order());
    }

    [Fact]
    public async Task Replaying_is_for_administrators_and_for_the_hubs_own_queues_only()
    {
        var (_, forceKey) = await hub.NewForceAsync();
        using var asPolice = new HttpRequestMessage(HttpMethod.Post, "/api/admin/queues/incidents/replay");
        asPolice.Headers.Add("X-Api-Key", forceKey);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await hub.Http.SendAsync(asPolice)).StatusCode);

        using var unknown = new HttpRequestMessage(HttpMethod.Post, "/api/admin/queues/not-ours/replay");
        unknown.Headers.Add("X-Api-Key", hub.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await hub.Http.SendAsync(unknown)).StatusCode);

        using var nothing = new HttpRequestMessage(HttpMethod.Post, "/api/admin/queues/deliveries/replay");
        nothing.Headers.Add("X-Api-Key", hub.AdminKey);
        var replayed = await (await hub.Http.SendAsync(nothing)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, replayed.GetProperty("count").GetInt32());
    }
}
