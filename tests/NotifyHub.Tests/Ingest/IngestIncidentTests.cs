using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using NotifyHub.Domain.Incidents;
using NotifyHub.Incidents;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Ingest;

/// <summary>The hub without its router, so that what ingest puts on the incidents queue stays there to be inspected.</summary>
public sealed class IngestHubFixture : HubFixture
{
    protected override IReadOnlyList<string>? Functions =>
    [
        "IngestIncident", "GetIncidentStatus", "GetHealth", "ReplayPoisonMessages", "CreateOrganisation", "GetOrganisation", "IssueApiKey", "RevokeApiKey", "ReconcileIncidents",
    ];
}

public class IngestIncidentTests(IngestHubFixture hub) : IClassFixture<IngestHubFixture>
{
    private static HttpRequestMessage Post(string apiKey, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey.Length > 0) request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    private static HttpRequestMessage Get(string apiKey, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    private static JsonObject NewIncident(string force) =>
        ExampleIncident.For(force, "REF-" + Guid.NewGuid().ToString("N")[..12], DateTimeOffset.UtcNow);

    private async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private async Task<List<IncidentQueued>> QueuedAsync(string incidentId) =>
        (await QueueScan.MessagesAsync<IncidentQueued>(hub.Queues.GetQueueClient(StorageNames.IncidentsQueue)))
            .Where(m => m.IncidentId == incidentId).ToList();

    private async Task<int> StoredRowsAsync(string force, string reference)
    {
        var table = hub.Tables.GetTableClient(StorageNames.IncidentsTable);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {force} and RowKey eq {"i:" + reference}");
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter)) count++;
        return count;
    }

    [Fact]
    public async Task An_accepted_incident_is_stored_queued_once_and_answered_202_with_its_status_location()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = NewIncident(force);
        var reference = incident["incidentReference"]!.GetValue<string>();

        var response = await hub.Http.SendAsync(Post(key, incident.ToJsonString()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var incidentId = accepted.GetProperty("incidentId").GetString()!;
        Assert.Equal($"/api/incidents/{force}/{reference}", response.Headers.Location?.ToString());
        Assert.Equal(1, await StoredRowsAsync(force, reference));

        var queued = await QueuedAsync(incidentId);
        Assert.Equal(new IncidentQueued(incidentId, force, reference), Assert.Single(queued));

        var status = await hub.Http.SendAsync(Get(key, response.Headers.Location!.ToString()));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(incidentId, body.GetProperty("incidentId").GetString());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("childCount").GetInt32());
    }

    [Fact]
    public async Task The_queued_message_is_base64_encoded_as_host_json_tells_the_queue_trigger_to_expect()
    {
        var (force, key) = await hub.NewForceAsync();
        var response = await hub.Http.SendAsync(Post(key, NewIncident(force).ToJsonString()));
        var incidentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;

        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "host.json")))!;
        Assert.Equal("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
        var raw = new Azure.Storage.Queues.QueueClient(hub.Storage, StorageNames.IncidentsQueue); // no decoding: the text as stored
        var texts = await QueueScan.TextsAsync(raw);
        var decoded = texts.Select(t => Encoding.UTF8.GetString(Convert.FromBase64String(t))).ToList();
        Assert.Contains(decoded, d => d.Contains(incidentId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_telemetry_off_the_queued_message_holds_the_incidents_keys_and_nothing_else()
    {
        var (force, key) = await hub.NewForceAsync();
        var response = await hub.Http.SendAsync(Post(key, NewIncident(force).ToJsonString()));
        var incidentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;

        var texts = await QueueScan.TextsAsync(hub.Queues.GetQueueClient(StorageNames.IncidentsQueue));
        var message = JsonNode.Parse(Assert.Single(texts, t => t.Contains(incidentId, StringComparison.Ordinal)))!.AsObject();
        // No exporter is configured in this hub, so no trace context is stamped on it either.
        Assert.Equal(["forceCode", "incidentId", "incidentReference"], message.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task A_retried_identical_incident_returns_the_same_id_and_creates_nothing_new()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = NewIncident(force);
        var first = await hub.Http.SendAsync(Post(key, incident.ToJsonString()));
        // The same incident, laid out differently: still the same incident.
        var second = await hub.Http.SendAsync(Post(key, incident.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        Assert.Equal(firstId, secondId);
        Assert.Equal(1, await StoredRowsAsync(force, incident["incidentReference"]!.GetValue<string>()));
        Assert.Single(await QueuedAsync(firstId));
    }

    [Fact]
    public async Task Concurrent_duplicates_all_get_the_same_id_and_the_incident_is_stored_and_queued_once()
    {
        var (force, key) = await hub.NewForceAsync();
        var body = NewIncident(force).ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => hub.Http.SendAsync(Post(key, body))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!));
        var id = Assert.Single(ids.Distinct());
        Assert.Single(await QueuedAsync(id));
    }

    [Fact]
    public async Task The_same_reference_with_different_content_is_refused_with_409_and_the_original_is_kept()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = NewIncident(force);
        var first = await hub.Http.SendAsync(Post(key, incident.ToJsonString()));
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;

        var amended = incident.DeepClone().AsObject().With("riskLevel", "high");
        var problem = await ProblemOf(await hub.Http.SendAsync(Post(key, amended.ToJsonString())), HttpStatusCode.Conflict);

        Assert.Contains(firstId, problem.GetProperty("detail").GetString());
        Assert.Single(await QueuedAsync(firstId));
    }

    [Fact]
    public async Task An_invalid_incident_is_refused_with_problem_json_naming_each_bad_field_and_nothing_is_stored()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = NewIncident(force).With("riskLevel", "severe").With("children[0].nhsNumber", "9434765918");
        var reference = incident["incidentReference"]!.GetValue<string>();

        var problem = await ProblemOf(await hub.Http.SendAsync(Post(key, incident.ToJsonString())), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(["children[0].nhsNumber", "riskLevel"], errors);
        Assert.Equal(0, await StoredRowsAsync(force, reference));
        var status = await hub.Http.SendAsync(Get(key, $"/api/incidents/{force}/{reference}"));
        await ProblemOf(status, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{ not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_body_that_is_not_a_json_object_gets_a_clear_problem_never_a_500(string body, string contentType, HttpStatusCode expected)
    {
        var (_, key) = await hub.NewForceAsync();
        var problem = await ProblemOf(await hub.Http.SendAsync(Post(key, body, contentType)), expected);
        Assert.False(problem.TryGetProperty("stackTrace", out _));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413()
    {
        var (force, key) = await hub.NewForceAsync();
        var incident = NewIncident(force).With("summary", new string('x', 70 * 1024));
        await ProblemOf(await hub.Http.SendAsync(Post(key, incident.ToJsonString())), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_request_without_an_api_key_or_with_an_unknown_one_is_401()
    {
        var (force, _) = await hub.NewForceAsync();
        var body = NewIncident(force).ToJsonString();
        await ProblemOf(await hub.Http.SendAsync(Post("", body)), HttpStatusCode.Unauthorized);
        await ProblemOf(await hub.Http.SendAsync(Post("nh_notarealkey000000000000000000000000000000", body)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_force_cannot_submit_or_read_another_forces_incident()
    {
        var (forceA, keyA) = await hub.NewForceAsync();
        var (_, keyB) = await hub.NewForceAsync();
        var incident = NewIncident(forceA);

        var submitted = await ProblemOf(await hub.Http.SendAsync(Post(keyB, incident.ToJsonString())), HttpStatusCode.Forbidden);
        Assert.True(submitted.GetProperty("errors").TryGetProperty("forceCode", out _), "the 403 names the field that is wrong");

        var accepted = await hub.Http.SendAsync(Post(keyA, incident.ToJsonString()));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var read = await ProblemOf(await hub.Http.SendAsync(Get(keyB, accepted.Headers.Location!.ToString())), HttpStatusCode.Forbidden);
        Assert.True(read.GetProperty("errors").TryGetProperty("force", out _), "the 403 names the path parameter that is wrong");
    }

    [Fact]
    public async Task An_admin_key_cannot_submit_incidents_and_a_police_key_cannot_administer()
    {
        var (force, key) = await hub.NewForceAsync();
        await ProblemOf(await hub.Http.SendAsync(Post(hub.AdminKey, NewIncident(force).ToJsonString())), HttpStatusCode.Forbidden);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/organisations/force-" + force.ToLowerInvariant());
        request.Headers.Add("X-Api-Key", key);
        await ProblemOf(await hub.Http.SendAsync(request), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_revoked_key_stops_working()
    {
        var (force, key) = await hub.NewForceAsync();
        var orgId = "force-" + force.ToLowerInvariant();
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/organisations/{orgId}/keys");
        issue.Headers.Add("X-Api-Key", hub.AdminKey);
        var second = await (await hub.Http.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>();
        var secondKey = second.GetProperty("apiKey").GetString()!;

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/organisations/{orgId}/keys/{second.GetProperty("keyId").GetString()}");
        revoke.Headers.Add("X-Api-Key", hub.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.SendAsync(revoke)).StatusCode);

        // The key was never used, so no cached lookup can keep it alive.
        await ProblemOf(await hub.Http.SendAsync(Post(secondKey, NewIncident(force).ToJsonString())), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Http.SendAsync(Post(key, NewIncident(force).ToJsonString()))).StatusCode);
    }

    [Fact]
    public async Task An_incident_stored_when_the_process_died_before_enqueueing_is_queued_by_reconciliation_once()
    {
        var (force, _) = await hub.NewForceAsync();
        var reference = "CRASH-" + Guid.NewGuid().ToString("N")[..10];
        using var document = JsonDocument.Parse(ExampleIncident.For(force, reference, DateTimeOffset.UtcNow).ToJsonString());
        var incident = IncidentValidator.Validate(document.RootElement, DateTimeOffset.UtcNow, new IncidentRules()).Value!;

        // Exactly the state a crash between store and enqueue leaves: the ingest code path's store
        // step, ten minutes ago, and no enqueue.
        var tenMinutesAgo = new FixedTime(DateTimeOffset.UtcNow.AddMinutes(-10));
        var store = new IncidentStore(hub.Tables, hub.Queues, tenMinutesAgo);
        var stored = await store.StoreAsync(incident, "key_test", default);
        Assert.Equal("queued", (await store.GetStatusAsync(force, reference, default))!.Status);
        Assert.Empty(await QueuedAsync(stored.IncidentId));

        await hub.RunFunctionAsync("ReconcileIncidents");

        Assert.Equal(new IncidentQueued(stored.IncidentId, force, reference), Assert.Single(await QueuedAsync(stored.IncidentId)));

        // Queued again just now: the next run leaves it alone.
        await hub.RunFunctionAsync("ReconcileIncidents");
        Assert.Single(await QueuedAsync(stored.IncidentId));
    }

    [Fact]
    public async Task Reconciliation_leaves_alone_an_incident_queued_moments_ago()
    {
        var (force, _) = await hub.NewForceAsync();
        var reference = "FRESH-" + Guid.NewGuid().ToString("N")[..10];
        using var document = JsonDocument.Parse(ExampleIncident.For(force, reference, DateTimeOffset.UtcNow).ToJsonString());
        var incident = IncidentValidator.Validate(document.RootElement, DateTimeOffset.UtcNow, new IncidentRules()).Value!;
        var store = new IncidentStore(hub.Tables, hub.Queues, TimeProvider.System);
        var stored = await store.StoreAsync(incident, "key_test", default);

        await hub.RunFunctionAsync("ReconcileIncidents");

        Assert.Empty(await QueuedAsync(stored.IncidentId));
        Assert.Equal("queued", (await store.GetStatusAsync(force, reference, default))!.Status);
    }
}
