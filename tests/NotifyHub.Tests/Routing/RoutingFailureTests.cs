using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using NotifyHub.Incidents;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Routing;

/// <summary>A hub that gives up on a message after two attempts, with no delay between them.</summary>
public sealed class FailingRoutingHubFixture : HubFixture
{
    public const int MaxDequeueCount = 2;

    protected override Action<System.Text.Json.Nodes.JsonObject>? ChangeHostJson => host =>
    {
        host["extensions"]!["queues"]!["maxDequeueCount"] = MaxDequeueCount;
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.500";
    };
}

public class RoutingFailureTests(FailingRoutingHubFixture hub) : IClassFixture<FailingRoutingHubFixture>
{
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
        Assert.Empty(status.GetProperty("deliveries").EnumerateArray());

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
        Assert.Equal(6, routed.GetProperty("deliveries").GetArrayLength());

        using var after = new HttpRequestMessage(HttpMethod.Get, "/api/admin/health");
        after.Headers.Add("X-Api-Key", hub.AdminKey);
        var healthy = await (await hub.Http.SendAsync(after)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", healthy.GetProperty("status").GetString());
        // "ok" does not hide the deliveries that wait: until delivery is built, health says nothing consumes them.
        var deliveries = healthy.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == StorageNames.DeliveriesQueue);
        Assert.True(deliveries.GetProperty("waiting").GetInt32() >= 6);
        Assert.Equal(JsonValueKind.Null, deliveries.GetProperty("consumer").ValueKind);
        Assert.Contains("Nothing consumes this queue", deliveries.GetProperty("note").GetString(), StringComparison.Ordinal);
        var incidents = healthy.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == StorageNames.IncidentsQueue);
        Assert.Equal("RouteIncident", incidents.GetProperty("consumer").GetString());
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
