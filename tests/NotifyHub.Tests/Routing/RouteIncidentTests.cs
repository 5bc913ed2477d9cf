using NotifyHub.Delivery;
using NotifyHub.Domain.Routing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Incidents;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Routing;

/// <summary>The whole hub with the synthetic demo directory of LA 999.</summary>
/// <summary>The hub without delivery, so that what routing puts on the deliveries queue stays there to be inspected.</summary>
public sealed class RoutingHubFixture : HubFixture
{
    protected override IReadOnlyList<string>? Functions => AllFunctionsExcept("DeliverNotification");
}

public class RouteIncidentTests(RoutingHubFixture hub) : IClassFixture<RoutingHubFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => hub.SeedDemoDirectoryAsync(); // idempotent
    public Task DisposeAsync() => Task.CompletedTask;

    internal static async Task<(string Force, string Key, string Reference, string IncidentId)> SubmitAsync(HubFixture hub, JsonObject? incident = null, string? force = null, string? key = null)
    {
        if (force is null) (force, key) = await hub.NewForceAsync();
        var reference = "ROUTE-" + Guid.NewGuid().ToString("N")[..10];
        incident ??= ExampleIncident.For(force, reference, DateTimeOffset.UtcNow).WithUniqueChildren();
        incident["forceCode"] = force;
        incident["incidentReference"] = reference;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = new StringContent(incident.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        return (force, key!, reference, id);
    }

    internal static async Task<JsonElement> StatusAsync(HubFixture hub, string force, string key, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/incidents/{force}/{reference}");
        request.Headers.Add("X-Api-Key", key);
        var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static Task<JsonElement> RoutedAsync(HubFixture hub, string force, string key, string reference) =>
        Eventually.UntilAsync(() => StatusAsync(hub, force, key, reference), s => s.GetProperty("status").GetString() == "routed",
            $"incident {reference} to be routed");

    /// <summary>The incident's shares in its status, without the follow-ups of a MASH's decision (the decision due from the MASH is one from the start).</summary>
    internal static IEnumerable<JsonElement> Shares(JsonElement status) =>
        status.GetProperty("deliveries").EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "incident");

    private static string[] Deliveries(JsonElement status) =>
        Shares(status)
            .Select(d => $"{d.GetProperty("recipientId").GetString()} {d.GetProperty("rule").GetString()}")
            .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task The_202_reports_the_status_the_status_API_reports_queued_when_new_and_routed_on_a_retry_after_routing()
    {
        var (force, key) = await hub.NewForceAsync();
        var reference = "ROUTE-" + Guid.NewGuid().ToString("N")[..10];
        var body = ExampleIncident.For(force, reference, DateTimeOffset.UtcNow).WithUniqueChildren().ToJsonString();
        async Task<JsonElement> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", key);
            var response = await hub.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var first = await PostAsync();
        Assert.Equal("queued", first.GetProperty("status").GetString());
        await RoutedAsync(hub, force, key, reference);
        var retry = await PostAsync();
        Assert.Equal("routed", retry.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("incidentId").GetString(), retry.GetProperty("incidentId").GetString());
    }

    [Fact]
    public async Task The_example_incident_is_routed_to_every_recipient_the_routing_table_names_and_the_status_says_why()
    {
        var (force, key, reference, incidentId) = await SubmitAsync(hub);

        var status = await RoutedAsync(hub, force, key, reference);

        Assert.Equal(
        [
            "demo-health-visiting-team health-visiting",
            "demo-mash mash",
            "demo-midwifery-team midwifery",
            "demo-nps-spoc probation-nps",
            "demo-school-nursing-team school-nursing",
            "school-999001 operation-encompass",
        ], Deliveries(status));
        Assert.Empty(status.GetProperty("unrouted").EnumerateArray());
        Assert.All(Shares(status), d => Assert.Equal("pending", d.GetProperty("status").GetString()));
        var school = Shares(status).Single(d => d.GetProperty("recipientId").GetString() == "school-999001");
        Assert.Equal([0], school.GetProperty("children").EnumerateArray().Select(c => c.GetInt32()));

        // One message on the deliveries queue starts all six first attempts, carrying ids only.
        var queued = await Eventually.UntilAsync(async () => await DeliveryMessagesAsync(hub, incidentId), m => m.Count == 1, "the incident's delivery message");
        var message = Assert.Single(queued);
        Assert.Null(message.RecipientId);
        Assert.Equal(0, message.Sequence);
        Assert.Equal(Shares(status).Select(d => d.GetProperty("recipientId").GetString()!).Order(), message.RecipientIds!.Order());
    }

    [Fact]
    public async Task Several_messages_for_one_incident_at_once_route_it_once()
    {
        var (force, key, reference, incidentId) = await SubmitAsync(hub);
        var message = JsonSerializer.Serialize(new IncidentQueued(incidentId, force, reference), JsonSerializerOptions.Web);

        // The queue's own message and two more, all at the same moment.
        await Task.WhenAll(hub.RunFunctionAsync("RouteIncident", message), hub.RunFunctionAsync("RouteIncident", message));
        await RoutedAsync(hub, force, key, reference);
        await Eventually.UntilAsync(async () => (await hub.Queues.GetQueueClient(StorageNames.IncidentsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount,
            n => n == 0, "the queue's own message to be processed");

        var queued = Assert.Single(await DeliveryMessagesAsync(hub, incidentId));
        Assert.Equal(6, queued.Recipients().Distinct().Count());
    }

    [Fact]
    public async Task A_schools_delivery_content_has_its_pupil_and_no_adult_details()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren();
        var pupil = incident["children"]![0]!["givenName"]!.GetValue<string>();
        var sibling = incident["children"]![1]!["givenName"]!.GetValue<string>();
        var (_, _, reference, incidentId) = await SubmitAsync(hub, incident, force, key);
        await RoutedAsync(hub, force, key, reference);

        var content = (await TestStores.ContentAsync(hub.Tables, incidentId, "school-999001"))!;

        Assert.Contains(pupil, content, StringComparison.Ordinal);
        foreach (var absent in new[] { sibling, "Jordan", "Casey", "Sample", "NPS", "North East", "P-SYN-0004" })
            Assert.DoesNotContain(absent, content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Children_with_no_school_or_an_unknown_school_are_shared_with_the_la_education_team_and_listed_as_unrouted()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("children[0].schoolUrn", null)
            .With("children[1].schoolUrn", "999999")
            .With("children[1].dateOfBirth", "2014-01-01");
        var (_, _, reference, _) = await SubmitAsync(hub, incident, force, key);

        var status = await RoutedAsync(hub, force, key, reference);

        var reasons = status.GetProperty("unrouted").EnumerateArray()
            .Select(u => $"{u.GetProperty("child").GetInt32()} {u.GetProperty("reason").GetString()}").Order().ToArray();
        Assert.Equal(["0 no-urn", "1 urn-not-in-directory"], reasons);
        Assert.Contains(Deliveries(status), d => d.StartsWith("demo-la-education-safeguarding-team ", StringComparison.Ordinal));
        Assert.DoesNotContain(Deliveries(status), d => d.StartsWith("school-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Routing_the_same_message_again_after_a_crash_before_marking_it_routed_creates_no_duplicates_and_keeps_progress()
    {
        var (force, key, reference, incidentId) = await SubmitAsync(hub);
        var before = Deliveries(await RoutedAsync(hub, force, key, reference));

        // The state a crash between writing the deliveries and marking the incident routed leaves,
        // after one delivery has already progressed.
        var incidents = hub.Tables.GetTableClient(StorageNames.IncidentsTable);
        await incidents.UpdateEntityAsync(new TableEntity(force, "i:" + reference) { ["Status"] = "received" }, ETag.All, TableUpdateMode.Merge);
        var ledger = hub.Tables.GetTableClient(StorageNames.LedgerTable);
        await ledger.UpdateEntityAsync(new TableEntity(incidentId, "dl|school-999001") { ["Status"] = "sent" }, ETag.All, TableUpdateMode.Merge);

        var message = JsonSerializer.Serialize(new IncidentQueued(incidentId, force, reference), JsonSerializerOptions.Web);
        await hub.RunFunctionAsync("RouteIncident", message);

        var after = await StatusAsync(hub, force, key, reference);
        Assert.Equal("routed", after.GetProperty("status").GetString());
        Assert.Equal(before, Deliveries(after));
        var school = Shares(after).Single(d => d.GetProperty("recipientId").GetString() == "school-999001");
        Assert.Equal("sent", school.GetProperty("status").GetString());
        Assert.All(Shares(after), d => Assert.Equal(0, d.GetProperty("priorIncidentsLast12Months").GetInt32()));
    }

    [Fact]
    public async Task A_second_incident_for_the_same_child_counts_the_first_and_the_history_keys_hold_no_identifier_in_clear()
    {
        var (force, key) = await hub.NewForceAsync();
        var nhs = "4010232137";
        var first = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow.AddHours(-2)).WithUniqueChildren().With("children[0].nhsNumber", nhs);
        var (_, _, firstRef, _) = await SubmitAsync(hub, first, force, key);
        await RoutedAsync(hub, force, key, firstRef);

        // Another police reference and name spelling: the NHS number alone says it is the same child.
        var second = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("children[0].nhsNumber", "401 023 2137");
        var (_, _, secondRef, _) = await SubmitAsync(hub, second, force, key);
        var status = await RoutedAsync(hub, force, key, secondRef);

        var school = Shares(status).Single(d => d.GetProperty("recipientId").GetString() == "school-999001");
        Assert.Equal(1, school.GetProperty("priorIncidentsLast12Months").GetInt32());

        // The history rows of the first incident are keyed by exactly the HMACs of its children's identifiers under
        // the hub's secret key (local.settings.json's, in Development) — never by an identifier in clear.
        var hubKey = Convert.FromBase64String(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "functions", "local.settings.json")))!
            ["Values"]!["Routing__ChildIdentityKey"]!.GetValue<string>());
        var firstIncident = NotifyHub.Domain.Incidents.IncidentValidator.Validate(JsonDocument.Parse(first.ToJsonString()).RootElement, DateTimeOffset.UtcNow,
            new NotifyHub.Domain.Incidents.IncidentRules()).Value!;
        var expected = firstIncident.Children.SelectMany(c => ChildIdentity.Keys(c, force, hubKey)).Order(StringComparer.Ordinal);
        var firstId = (await StatusAsync(hub, force, key, firstRef)).GetProperty("incidentId").GetString()!;
        var history = hub.Tables.GetTableClient(StorageNames.ChildHistoryTable);
        var stored = await history.QueryAsync<TableEntity>(e => e.RowKey == firstId, select: ["PartitionKey"]).Select(e => e.PartitionKey).ToListAsync();
        Assert.Equal(expected, stored.Order(StringComparer.Ordinal));
    }

    internal static async Task<List<DeliveryMessage>> DeliveryMessagesAsync(HubFixture hub, string incidentId) =>
        (await QueueScan.MessagesAsync<DeliveryMessage>(hub.Queues.GetQueueClient(StorageNames.DeliveriesQueue)))
            .Where(m => m.IncidentId == incidentId).ToList();
}
