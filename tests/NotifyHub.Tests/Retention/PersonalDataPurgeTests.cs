using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Retention;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;

namespace NotifyHub.Tests.Retention;

public sealed class RetentionHubFixture : HubFixture;

/// <summary>
/// The purge run in-process against the hub's own storage, with an injected clock, after the hub (DevHost, real
/// routing) has stored and routed a real incident.
/// </summary>
public class PersonalDataPurgeTests(RetentionHubFixture hub) : IClassFixture<RetentionHubFixture>
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    private PersonalDataPurge PurgeAt(DateTimeOffset now)
    {
        var clock = new FixedTime(now);
        return new PersonalDataPurge(new IncidentStore(hub.Tables, hub.Queues, clock), TestStores.LedgerWriter(hub.Tables, hub.Queues, clock),
            new ChildHistoryStore(hub.Tables), new DirectoryStore(hub.Tables, clock), new NotifyHub.Strategy.MinutesStore(new Azure.Storage.Blobs.BlobServiceClient(hub.Storage)),
            Options.Create(new RetentionOptions { PersonalDataAfter = Period }), clock);
    }

    private async Task<TableEntity> IncidentRowAsync(string force, string reference) =>
        (await hub.Tables.GetTableClient(StorageNames.IncidentsTable).GetEntityAsync<TableEntity>(force, "i:" + reference)).Value;

    private async Task<int> HistoryRowsAsync(string incidentId) =>
        await hub.Tables.GetTableClient(StorageNames.ChildHistoryTable).QueryAsync<TableEntity>(e => e.RowKey == incidentId).CountAsync();

    [Fact]
    public async Task Personal_data_is_kept_until_the_period_has_passed_then_purged_keeping_the_facts_timeliness_needs()
    {
        await hub.SeedDemoDirectoryAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        var routed = await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var recipients = RouteIncidentTests.Shares(routed).Select(d => d.GetProperty("recipientId").GetString()!).ToList();
        var routedAt = DateTimeOffset.UtcNow;

        await PurgeAt(routedAt + Period - TimeSpan.FromDays(1)).RunAsync(default);

        Assert.NotNull(LargeBinary.Read(await IncidentRowAsync(force, reference), "Payload"));
        foreach (var recipient in recipients) Assert.NotNull(await TestStores.ContentAsync(hub.Tables, incidentId, recipient));

        var report = await PurgeAt(routedAt + Period + TimeSpan.FromDays(1)).RunAsync(default);

        Assert.True(report.Incidents >= 1 && report.Deliveries >= recipients.Count, $"{report}");
        var row = await IncidentRowAsync(force, reference);
        Assert.DoesNotContain(row.Keys, k => k.StartsWith("Payload", StringComparison.Ordinal) || k == "Fingerprint");
        Assert.NotNull(row.GetDateTimeOffset("PersonalDataPurgedAt"));
        foreach (var recipient in recipients) Assert.Null(await TestStores.ContentAsync(hub.Tables, incidentId, recipient));

        // What timeliness needs is still there, through the same API as before.
        var after = await RouteIncidentTests.StatusAsync(hub, force, key, reference);
        Assert.Equal("routed", after.GetProperty("status").GetString());
        Assert.Equal("medium", after.GetProperty("riskLevel").GetString());
        Assert.Equal(recipients.Order(), RouteIncidentTests.Shares(after).Select(d => d.GetProperty("recipientId").GetString()!).Order());
        // Cumulative risk still counts it for a year; a second run purges nothing more of it.
        Assert.True(await HistoryRowsAsync(incidentId) > 0);
        await PurgeAt(routedAt + Period + TimeSpan.FromDays(2)).RunAsync(default);
        Assert.Equal("routed", (await RouteIncidentTests.StatusAsync(hub, force, key, reference)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Child_history_is_kept_for_the_twelve_months_cumulative_risk_counts_then_removed()
    {
        await hub.SeedDemoDirectoryAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var occurredAt = DateTimeOffset.Parse((await IncidentOccurredAtAsync(force, reference))!);
        Assert.True(await HistoryRowsAsync(incidentId) > 0);

        await PurgeAt(occurredAt + TimeSpan.FromDays(365)).RunAsync(default);
        Assert.True(await HistoryRowsAsync(incidentId) > 0);

        await PurgeAt(occurredAt + RetentionOptions.ChildHistoryAtLeast + TimeSpan.FromDays(1)).RunAsync(default);
        Assert.Equal(0, await HistoryRowsAsync(incidentId));
    }

    private async Task<string?> IncidentOccurredAtAsync(string force, string reference)
    {
        var payload = LargeBinary.Read(await IncidentRowAsync(force, reference), "Payload")!;
        return JsonDocument.Parse(payload).RootElement.GetProperty("occurredAt").GetString();
    }
}

/// <summary>The purge never touches an incident that is not routed yet: that would lose a share.</summary>
public class PersonalDataPurgeOfUnroutedIncidentsTests
{
    [Fact]
    public async Task An_incident_not_yet_routed_keeps_its_personal_data_however_old_it_is()
    {
        var tables = new TableServiceClient(await TestStorage.ConnectionStringAsync());
        var queues = new Azure.Storage.Queues.QueueServiceClient(await TestStorage.ConnectionStringAsync());
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
        var code = "R" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var clock = new FixedTime(ExampleIncident.Now);
        var directory = new DirectoryStore(tables, clock);
        await directory.CreateAsync(new Organisation("force-" + code.ToLowerInvariant(), OrganisationTypes.PoliceForce, "Synthetic force", true, ForceCode: code), "test", default);
        var incident = RoutingFixtures.Validated(ExampleIncident.For(code, "OLD-1", ExampleIncident.Now));
        var store = new IncidentStore(tables, queues, clock);
        Assert.Equal(StoreResult.Created, (await store.StoreAsync(incident, "test", default)).Result);

        var late = new FixedTime(ExampleIncident.Now.AddYears(5));
        await new PersonalDataPurge(new IncidentStore(tables, queues, late), TestStores.LedgerWriter(tables, queues, late), new ChildHistoryStore(tables),
            new DirectoryStore(tables, late), new NotifyHub.Strategy.MinutesStore(new Azure.Storage.Blobs.BlobServiceClient(await TestStorage.ConnectionStringAsync())), Options.Create(new RetentionOptions { PersonalDataAfter = TimeSpan.FromDays(1) }), late).RunAsync(default);

        var stored = await store.LoadAsync(code, "OLD-1", default);
        Assert.NotNull(stored!.Incident);
        Assert.Equal("P-SYN-0001", stored.Incident.Children[0].PolicePersonReference);
    }
}

/// <summary>The timer function, run by the DevHost with a one-second period, purges and puts what it did on the audit trail.</summary>
public sealed class ShortRetentionHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?> { ["Retention__PersonalDataAfter"] = "00:00:01" };
}

public class PurgePersonalDataFunctionTests(ShortRetentionHubFixture hub) : IClassFixture<ShortRetentionHubFixture>
{
    [Fact]
    public async Task The_PurgePersonalData_timer_purges_what_is_past_the_configured_period_and_audits_the_counts()
    {
        await hub.SeedDemoDirectoryAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        await RouteIncidentTests.RoutedAsync(hub, force, key, reference);

        // The timer purges what is past the one-second period: run it until that has passed for this incident.
        var row = await Eventually.UntilAsync(async () =>
        {
            await hub.RunFunctionAsync("PurgePersonalData");
            return (await hub.Tables.GetTableClient(StorageNames.IncidentsTable).GetEntityAsync<TableEntity>(force, "i:" + reference)).Value;
        }, r => !r.Keys.Any(k => k.StartsWith("Payload", StringComparison.Ordinal)), "the incident's payload to be purged");
        Assert.DoesNotContain(row.Keys, k => k.StartsWith("Payload", StringComparison.Ordinal));
        Assert.Null(await TestStores.ContentAsync(hub.Tables, incidentId, "school-999001"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/audit?action=retention.personal-data-purged&actor=function:PurgePersonalData");
        request.Headers.Add("X-Api-Key", hub.AdminKey);
        var audit = await (await hub.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.True(entry.GetProperty("details").GetProperty("incidents").GetInt32() >= 1);
    }
}

/// <summary>The MASH's decisions under the retention purge: the free text goes, the outcome and the dates stay.</summary>
public class DecisionRetentionTests(ShortRetentionHubFixture hub) : IClassFixture<ShortRetentionHubFixture>
{
    [Fact]
    public async Task The_purge_clears_a_decisions_rationale_and_next_step_actions_and_a_challenges_text_and_keeps_outcomes_owners_dates_and_receipts()
    {
        await hub.SeedDemoDirectoryAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var mashKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, "demo-mash");
        var path = $"/api/notifications/{incidentId}.demo-mash/decisions";
        var dueOn = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var recorded = await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Post, path, mashKey, new
        {
            outcome = "early-help", decidedAt = DateTimeOffset.UtcNow, joint = false, rationale = "Synthetic rationale naming nobody real.",
            nextSteps = new[] { new { owner = "demo-health-visiting-team", action = "Synthetic visit", dueOn } },
        });
        Assert.True(recorded.StatusCode == System.Net.HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        // The health visiting team challenges the decision it was sent: the challenge's text is personal data too.
        var hvKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, "demo-health-visiting-team");
        var raised = await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{incidentId}.demo-health-visiting-team~d1/challenge", hvKey,
            new { reason = "Synthetic reason naming nobody real.", asks = "Synthetic ask." });
        Assert.Equal(System.Net.HttpStatusCode.Created, raised.StatusCode);
        var challengeId = (await raised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        var before = await (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, $"/api/notifications/{challengeId}", mashKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Synthetic reason naming nobody real.", before.GetProperty("content").GetProperty("reason").GetString());

        var decision = await Eventually.UntilAsync(async () =>
        {
            await hub.RunFunctionAsync("PurgePersonalData");
            var list = await (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, path, mashKey)).Content.ReadFromJsonAsync<JsonElement>();
            return list.GetProperty("latest");
        }, d => d.GetProperty("rationale").ValueKind == JsonValueKind.Null, "the decision's rationale to be purged");
        Assert.Equal("early-help", decision.GetProperty("outcome").GetString());
        Assert.True(decision.TryGetProperty("rationalePurgedAt", out _));
        var step = Assert.Single(decision.GetProperty("nextSteps").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, step.GetProperty("action").ValueKind);
        Assert.Equal("demo-health-visiting-team", step.GetProperty("owner").GetString());
        Assert.Equal(dueOn, step.GetProperty("dueOn").GetString());

        var challenge = await Eventually.UntilAsync(async () =>
        {
            await hub.RunFunctionAsync("PurgePersonalData");
            return await (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, $"/api/notifications/{challengeId}", mashKey)).Content.ReadFromJsonAsync<JsonElement>();
        }, c => c.GetProperty("contentPurged").GetBoolean(), "the challenge's text to be purged");
        Assert.Equal(JsonValueKind.Null, challenge.GetProperty("content").ValueKind);
        Assert.Equal("challenge", challenge.GetProperty("kind").GetString());
        Assert.NotEqual(JsonValueKind.Null, challenge.GetProperty("dueAt").ValueKind);
    }
}

/// <summary>A strategy discussion under the retention purge: what invitees sent, the minutes (text and PDF) and the joining details go; the times stay.</summary>
public class StrategyRetentionTests(ShortRetentionHubFixture hub) : IClassFixture<ShortRetentionHubFixture>
{
    private async Task<HttpResponseMessage> PostAsync(string path, string key, object body) => await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Post, path, key, body);

    [Fact]
    public async Task The_purge_clears_a_discussions_information_joining_details_and_minutes_pdf_and_keeps_when_it_met_and_who_attended()
    {
        await hub.SeedDemoDirectoryAsync();
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub);
        await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var mashKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, "demo-mash");
        var npsKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, "demo-nps-spoc");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await PostAsync($"/api/notifications/{incidentId}.demo-mash/decisions", mashKey, new
        {
            outcome = "strategy-discussion", decidedAt = DateTimeOffset.UtcNow, joint = false, rationale = "Synthetic.",
        })).StatusCode);
        var due = $"{incidentId}.demo-mash~s1";
        var invitation = $"{incidentId}.demo-nps-spoc~i1";
        Assert.Equal(System.Net.HttpStatusCode.Created, (await PostAsync($"{"/api/notifications/"}{due}/schedule", mashKey,
            new { at = DateTimeOffset.UtcNow.AddHours(1), how = "phone", joiningDetails = "Synthetic dial-in 0000" })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await PostAsync($"/api/notifications/{invitation}/information", npsKey, new { text = "Synthetic: known to the NPS." })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await PostAsync($"/api/notifications/{due}/held", mashKey,
            new { heldAt = DateTimeOffset.UtcNow, attended = new[] { "demo-nps-spoc" }, outcome = "no-further-action" })).StatusCode);
        using (var pdf = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{due}/minutes") { Content = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray()) })
        {
            pdf.Content.Headers.ContentType = new("application/pdf");
            pdf.Headers.Add("X-Api-Key", mashKey);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await hub.Http.SendAsync(pdf)).StatusCode);
        }
        var minutes = $"{incidentId}.demo-nps-spoc~m1";
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, $"/api/notifications/{minutes}/minutes", npsKey)).StatusCode);

        var view = await Eventually.UntilAsync(async () =>
        {
            await hub.RunFunctionAsync("PurgePersonalData");
            return await (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, $"/api/notifications/{invitation}/strategy", npsKey)).Content.ReadFromJsonAsync<JsonElement>();
        }, v => v.GetProperty("textPurgedAt").ValueKind != JsonValueKind.Null, "the discussion's text to be purged");
        Assert.Equal(JsonValueKind.Null, view.GetProperty("information")[0].GetProperty("text").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("meeting").GetProperty("joiningDetails").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("meeting").GetProperty("at").ValueKind);
        Assert.Equal(["demo-nps-spoc"], view.GetProperty("held").GetProperty("attended").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Delivery.DeliveryApi.SendAsync(hub, HttpMethod.Get, $"/api/notifications/{minutes}/minutes", npsKey)).StatusCode);
    }
}
