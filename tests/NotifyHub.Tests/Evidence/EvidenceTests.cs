using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Domain.Evidence;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Retention;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;

namespace NotifyHub.Tests.Evidence;

public sealed class EvidenceHubFixture : HubFixture;

/// <summary>
/// The evidence through the running hub and its Azurite: an incident routed for real, anchored, exported over HTTP and checked
/// with the hub's published key — and the same after someone with write access to the storage account changes what it holds.
/// </summary>
public class EvidenceTests(EvidenceHubFixture hub) : IClassFixture<EvidenceHubFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => hub.SeedDemoDirectoryAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The LA of the tests' incidents (the schools DeliveryApi makes are in it).</summary>
    private const string QuietLa = "840";

    private TableClient Ledger => hub.Tables.GetTableClient(StorageNames.LedgerTable);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await hub.Http.SendAsync(request);
    }

    private async Task<Dictionary<string, ECDsa>> PublishedKeyAsync()
    {
        var response = await hub.Http.GetAsync("/.well-known/notifyhub-evidence-key.pem");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (key, problem) = EvidenceSignature.ReadPublic(await response.Content.ReadAsStringAsync());
        Assert.True(key is not null, problem);
        Assert.Equal(EvidenceSignature.KeyId(key!), response.Headers.GetValues("Key-Id").Single());
        return new Dictionary<string, ECDsa> { [EvidenceSignature.KeyId(key!)] = key! };
    }

    private async Task<JsonObject> ExportAsync(string force, string reference, string key)
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}/evidence", key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<JsonObject> AnchorAsync()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/admin/evidence/anchors", hub.AdminKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// A routed incident, anchored until an export verifies (the views, and so the changes index, follow the commit a moment
    /// later). It is a quiet one — in LA 840, where only a school with an inbox takes shares — so nothing the hub does to it
    /// while a test changes its storage (a delivery attempt, a retry) comes between the change and the check.
    /// </summary>
    private async Task<(string Force, string Key, string Reference, string IncidentId, JsonObject Export)> AnchoredIncidentAsync(JsonObject? incident = null)
    {
        var (_, urn) = await Delivery.DeliveryApi.NewSchoolAsync(hub, new { kind = "inbox" });
        incident ??= ExampleIncident.For("X", "R", DateTimeOffset.UtcNow).WithUniqueChildren();
        incident = incident.With("location.laCode", QuietLa).With("children[0].schoolUrn", urn);
        var (force, key, reference, incidentId) = await RouteIncidentTests.SubmitAsync(hub, incident);
        await RouteIncidentTests.RoutedAsync(hub, force, key, reference);
        var trusted = await PublishedKeyAsync();
        var export = await Eventually.UntilAsync(async () =>
        {
            await AnchorAsync();
            return await ExportAsync(force, reference, key);
        }, e => EvidenceVerifier.Verify(e, trusted).Outcome == VerifyOutcome.Verified, $"incident {reference}'s evidence to be anchored");
        return (force, key, reference, incidentId, export);
    }

    private async Task<VerifyReport> VerifyAsync(string force, string reference, string key) =>
        EvidenceVerifier.Verify(await ExportAsync(force, reference, key), await PublishedKeyAsync());

    [Fact]
    public async Task A_routed_incidents_export_verifies_with_the_published_key_and_holds_no_personal_data()
    {
        var incident = ExampleIncident.For("X", "R", DateTimeOffset.UtcNow).WithUniqueChildren();
        var (_, _, _, incidentId, export) = await AnchoredIncidentAsync(incident);

        Assert.Equal(incidentId, export["incident"]!["id"]!.GetValue<string>());
        var events = export["events"]!.AsArray();
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "delivery.routed");
        Assert.NotEmpty(export["anchors"]!.AsArray());
        var text = export.ToJsonString();
        // The synthetic incident's people: none of their names, dates of birth or addresses are in the evidence.
        foreach (var child in incident["children"]!.AsArray()) Assert.DoesNotContain(child!["givenName"]!.GetValue<string>(), text, StringComparison.Ordinal);
        foreach (var person in incident["children"]!.AsArray().Concat(incident["adults"]!.AsArray()))
        {
            Assert.DoesNotContain(person!["policePersonReference"]!.GetValue<string>(), text, StringComparison.Ordinal);
            Assert.DoesNotContain(person["dateOfBirth"]!.GetValue<string>(), text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("pushed", text, StringComparison.Ordinal);
    }

    public static TheoryData<string> StorageTampering => ["edit one character", "delete", "reorder", "insert", "edit and recompute the chain"];

    [Theory]
    [MemberData(nameof(StorageTampering))]
    public async Task Changing_the_stored_events_fails_verification_naming_the_first_event_or_anchor_changed(string change)
    {
        var (force, key, reference, incidentId, _) = await AnchoredIncidentAsync();
        var rows = await Ledger.QueryAsync<TableEntity>(e => e.PartitionKey == incidentId && e.RowKey.CompareTo("ev|") >= 0 && e.RowKey.CompareTo("ev}") < 0).ToListAsync();
        Assert.True(rows.Count >= 4, $"{rows.Count} events");
        TableEntity Row(int version) => rows.Single(r => r.RowKey == "ev|" + version.ToString("D10", CultureInfo.InvariantCulture));

        long? expectedEvent = null;
        long? expectedAnchor = null;
        switch (change)
        {
            case "edit one character":
                var edited = Row(3);
                var data = edited.GetString("Data")!;
                var at = System.Text.RegularExpressions.Regex.Match(data, "\":\"[a-z]").Index + 3; // the first letter of a value
                edited["Data"] = data[..at] + (data[at] == 'x' ? 'y' : 'x') + data[(at + 1)..];
                await Ledger.UpdateEntityAsync(edited, ETag.All, TableUpdateMode.Replace);
                expectedEvent = 3;
                break;
            case "delete":
                await Ledger.DeleteEntityAsync(incidentId, Row(2).RowKey);
                expectedEvent = 2;
                break;
            case "reorder":
                var (two, three) = (Row(2), Row(3));
                foreach (var field in new[] { "Type", "At", "Subject", "Data", "Hash" }) (two[field], three[field]) = (three[field], two[field]);
                await Ledger.UpdateEntityAsync(two, ETag.All, TableUpdateMode.Replace);
                await Ledger.UpdateEntityAsync(three, ETag.All, TableUpdateMode.Replace);
                expectedEvent = 2;
                break;
            case "insert":
                // Every event from 3 moves up one, and a forged one takes its place: the forger cannot know the hash it should carry.
                foreach (var row in rows.Where(r => string.CompareOrdinal(r.RowKey, Row(3).RowKey) >= 0).OrderByDescending(r => r.RowKey, StringComparer.Ordinal))
                {
                    var version = int.Parse(row.RowKey[3..], CultureInfo.InvariantCulture);
                    var moved = new TableEntity(incidentId, "ev|" + (version + 1).ToString("D10", CultureInfo.InvariantCulture));
                    foreach (var (k, v) in row) if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")) moved[k] = v;
                    await Ledger.UpsertEntityAsync(moved, TableUpdateMode.Replace);
                }
                var forged = new TableEntity(incidentId, Row(3).RowKey);
                foreach (var (k, v) in Row(2)) if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")) forged[k] = v;
                forged["Type"] = "delivery.acknowledged";
                await Ledger.UpsertEntityAsync(forged, TableUpdateMode.Replace);
                expectedEvent = 3;
                break;
            case "edit and recompute the chain":
                // Whoever can write the table changes event 2 and recomputes every hash after it, and the head's: only the anchor
                // shows it. The hub may append to the incident meanwhile (chained on the hash it read): rewrite until nothing did.
                expectedAnchor = (await ExportAsync(force, reference, key))["inclusions"]!.AsArray().Min(x => x!["anchor"]!.GetValue<long>());
                await Eventually.UntilAsync(async () => await RechainAsync(incidentId), rewrote => rewrote, $"{incidentId}'s chain rewritten with nothing appended meanwhile");
                break;
        }

        var report = await VerifyAsync(force, reference, key);

        Assert.True(report.Outcome == VerifyOutcome.Failed, $"{change}: {report.Outcome} {report.Failure}");
        Assert.Equal(expectedEvent, report.FailedEvent);
        if (expectedAnchor is not null) Assert.Equal(expectedAnchor, report.FailedAnchor);
    }

    /// <summary>Event 2 changed and every hash after it recomputed, the head's too (conditional on it): whether nothing was appended meanwhile.</summary>
    private async Task<bool> RechainAsync(string incidentId)
    {
        var head = (await Ledger.GetEntityAsync<TableEntity>(incidentId, "head")).Value;
        var rows = await Ledger.QueryAsync<TableEntity>(e => e.PartitionKey == incidentId && e.RowKey.CompareTo("ev|") >= 0 && e.RowKey.CompareTo("ev}") < 0).ToListAsync();
        var all = rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        if (all.Count != head.GetInt64("Version")) return false;
        all[1]["Subject"] = "someone-else";
        var prev = EvidenceChain.Genesis;
        for (var v = 1; v <= all.Count; v++)
        {
            var r = all[v - 1];
            var e = new NotifyHub.Domain.Ledger.LedgerEvent(r.GetString("Type"), r.GetDateTimeOffset("At")!.Value, r.GetString("Subject"),
                NotifyHub.Domain.Ledger.LedgerEvent.ReadData(r.GetString("Data")));
            prev = EvidenceChain.Hash(incidentId, v, e, prev);
            r["Hash"] = prev;
            await Ledger.UpdateEntityAsync(r, ETag.All, TableUpdateMode.Replace);
        }
        head["ChainHash"] = prev;
        try
        {
            await Ledger.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false; // the hub appended meanwhile: go again over what it appended
        }
    }

    /// <summary>What a live incident's export can honestly give: verified, or verified as far as the latest anchor (the hub may have appended since).</summary>
    private static void AssertVerifiesAsFarAsAnchored(VerifyReport report) =>
        Assert.True(report.Outcome is VerifyOutcome.Verified or VerifyOutcome.NotYetAnchored, $"{report.Outcome}: {report.Failure}");

    [Fact]
    public async Task Changing_a_stored_anchor_fails_verification_naming_that_anchor()
    {
        var (force, key, reference, _, export) = await AnchoredIncidentAsync();
        var number = export["inclusions"]!.AsArray().Max(x => x!["anchor"]!.GetValue<long>());
        var blob = new BlobServiceClient(hub.Storage).GetBlobContainerClient(StorageNames.AnchorsContainer)
            .GetBlobClient($"anchors/{number.ToString("D8", CultureInfo.InvariantCulture)}.json");
        var stored = JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!;
        var leaves = stored["statement"]!["leaves"]!.GetValue<long>();
        stored["statement"]!["leaves"] = leaves + 1;
        await blob.UploadAsync(BinaryData.FromString(stored.ToJsonString()), overwrite: true);

        var report = await VerifyAsync(force, reference, key);

        Assert.Equal(VerifyOutcome.Failed, report.Outcome);
        Assert.Equal(number, report.FailedAnchor);
        Assert.Contains("signature does not verify", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purging_the_personal_data_adds_events_and_the_chain_still_verifies()
    {
        var (force, key, reference, incidentId, before) = await AnchoredIncidentAsync();
        var clock = new FixedTime(DateTimeOffset.UtcNow + TimeSpan.FromDays(31));
        var purge = new PersonalDataPurge(new IncidentStore(hub.Tables, hub.Queues, clock), TestStores.LedgerWriter(hub.Tables, hub.Queues, clock),
            new ChildHistoryStore(hub.Tables), new DirectoryStore(hub.Tables, clock), new NotifyHub.Strategy.MinutesStore(new BlobServiceClient(hub.Storage)),
            Options.Create(new RetentionOptions { PersonalDataAfter = TimeSpan.FromDays(30) }), clock);
        await purge.RunAsync(default);

        var trusted = await PublishedKeyAsync();
        var after = await Eventually.UntilAsync(async () =>
        {
            await AnchorAsync();
            return await ExportAsync(force, reference, key);
        }, e => EvidenceVerifier.Verify(e, trusted).Outcome == VerifyOutcome.Verified
            && e["events"]!.AsArray().Any(x => x!["type"]!.GetValue<string>() == "delivery.content-purged"), $"{incidentId}'s purge to be anchored");

        Assert.True(after["events"]!.AsArray().Count > before["events"]!.AsArray().Count);
        // The events before the purge are the same events, with the same hashes.
        foreach (var (old, now) in before["events"]!.AsArray().Zip(after["events"]!.AsArray()))
            Assert.Equal(old!["hash"]!.GetValue<string>(), now!["hash"]!.GetValue<string>());
    }

    private async Task<string> InspectorKeyAsync(params string[] las)
    {
        var response = await SendAsync(HttpMethod.Post, "/api/admin/inspector-keys", hub.AdminKey,
            new { inspection = "JTAI test inspection", laCodes = las, validForDays = 30 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal("inspector", body.GetProperty("role").GetString());
        var expires = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        return body.GetProperty("apiKey").GetString()!;
    }

    [Fact]
    public async Task An_inspector_reads_the_evidence_and_reports_of_its_LAs_and_nothing_else()
    {
        var (force, key, reference, _, _) = await AnchoredIncidentAsync();
        var inspector = await InspectorKeyAsync(QuietLa);
        var elsewhere = await InspectorKeyAsync("841");

        AssertVerifiesAsFarAsAnchored(EvidenceVerifier.Verify(await ExportAsync(force, reference, inspector), await PublishedKeyAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}/evidence", elsewhere)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/reports/timeliness", inspector)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/reports/decisions", inspector)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}", inspector)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/reports/late", inspector)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/admin/evidence/anchors", inspector)).StatusCode);
        // Another force's key is refused for this incident's evidence, as for its status.
        var (_, otherForceKey) = await hub.NewForceAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}/evidence", otherForceKey)).StatusCode);
    }

    [Fact]
    public async Task The_partnership_lead_of_the_incidents_LA_reads_its_evidence_and_a_lead_of_another_LA_does_not()
    {
        var (force, key, reference, _, _) = await AnchoredIncidentAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}/evidence", await LeadKeyAsync(QuietLa))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/incidents/{force}/{reference}/evidence", await LeadKeyAsync("841"))).StatusCode);
    }

    /// <summary>A key of a new partnership lead for <paramref name="la"/>.</summary>
    private async Task<string> LeadKeyAsync(string la)
    {
        var leadId = "lead-" + Guid.NewGuid().ToString("N")[..8];
        (await SendAsync(HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = leadId, type = "partnership-lead", name = "Partnership " + la, laCodes = new[] { la },
            contacts = new[] { new { name = "Lead", email = "lead@example.invalid" } },
        })).EnsureSuccessStatusCode();
        var response = await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{leadId}/keys", hub.AdminKey);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    [Fact]
    public async Task An_expired_inspector_key_is_refused_with_a_reason_and_a_revoked_one_too()
    {
        var issuedAt = DateTimeOffset.UtcNow - TimeSpan.FromDays(91);
        var expired = await new ApiKeyStore(hub.Tables, new FixedTime(issuedAt)).IssueInspectorAsync("Last quarter's inspection", ["999"], issuedAt.AddDays(90), default);

        var response = await SendAsync(HttpMethod.Get, "/api/reports/timeliness", expired.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var live = await new ApiKeyStore(hub.Tables, TimeProvider.System).IssueInspectorAsync("This inspection", ["999"], DateTimeOffset.UtcNow.AddDays(1), default);
        Assert.Equal(HttpStatusCode.NoContent,
            (await SendAsync(HttpMethod.Delete, $"/api/admin/organisations/{InspectorKeys.Organisation}/keys/{live.KeyId}", hub.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/reports/timeliness", live.Secret)).StatusCode);
    }

    [Theory]
    [InlineData("""{"laCodes":["999"],"validForDays":30}""", "inspection")]
    [InlineData("""{"inspection":"JTAI","laCodes":[],"validForDays":30}""", "laCodes")]
    [InlineData("""{"inspection":"JTAI","laCodes":["99"],"validForDays":30}""", "laCodes[0]")]
    [InlineData("""{"inspection":"JTAI","laCodes":["999"],"validForDays":91}""", "validForDays")]
    [InlineData("""{"inspection":"JTAI","laCodes":["999"],"validForDays":0}""", "validForDays")]
    [InlineData("""{"inspection":"JTAI","laCodes":["999"],"expires":"never"}""", "expires")]
    public async Task An_inspector_key_lasts_at_most_90_days_and_a_bad_request_is_refused_naming_the_field(string body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/inspector-keys") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", hub.AdminKey);
        var response = await hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Theory]
    [InlineData("demo", "REF-1", "force")]
    [InlineData("DEMO", "bad%27ref", "reference")]
    [InlineData("DEMO", "x%23y", "reference")]
    [InlineData("DEMO", "x%3Fy", "reference")]
    [InlineData("DEMO", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "reference")]
    public async Task A_force_or_reference_no_incident_can_have_is_refused_naming_it_before_any_lookup(string force, string reference, string field)
    {
        foreach (var path in new[] { $"/api/incidents/{force}/{reference}/evidence", $"/api/incidents/{force}/{reference}" })
        {
            var key = path.EndsWith("/evidence", StringComparison.Ordinal) ? hub.AdminKey : (await hub.NewForceAsync()).ApiKey;
            var response = await SendAsync(HttpMethod.Get, path, key);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        }
    }

    [Fact]
    public async Task Every_export_and_every_opening_of_its_timeline_is_on_the_audit_trail_with_who_did_it()
    {
        var (force, key, reference, incidentId, _) = await AnchoredIncidentAsync();
        var inspector = await InspectorKeyAsync(QuietLa);
        await ExportAsync(force, reference, inspector);

        var audit = await Eventually.UntilAsync(async () =>
        {
            var page = await (await SendAsync(HttpMethod.Get, "/api/admin/audit?action=evidence.exported&pageSize=200", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
            return page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("targets").EnumerateArray().Any(t => t.GetString() == incidentId)).ToList();
        }, entries => entries.Count >= 2, $"the exports of {incidentId} on the audit trail");
        Assert.Contains(audit, e => e.GetProperty("actor").GetProperty("organisationId").GetString() == InspectorKeys.Organisation);

        // Opening the printable timeline through the export's link is on the trail too.
        var timeline = (await ExportAsync(force, reference, key))["timeline"]!.GetValue<string>();
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri(timeline).PathAndQuery);
        page.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(page)).StatusCode);
        await Eventually.UntilAsync(async () =>
        {
            var opened = await (await SendAsync(HttpMethod.Get, "/api/admin/audit?action=evidence.timeline-opened&pageSize=200", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
            return opened.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("targets").EnumerateArray().Any(t => t.GetString() == incidentId));
        }, count => count >= 1, $"the opening of {incidentId}'s timeline on the audit trail");
        Assert.Contains(audit, e => e.GetProperty("actor").GetProperty("organisationId").GetString() == "force-" + force.ToLowerInvariant());
    }

    [Fact]
    public async Task An_anchoring_cut_short_after_writing_its_leaves_is_finished_by_the_next_from_those_leaves()
    {
        var (force, key, reference, incidentId, export) = await AnchoredIncidentAsync();
        var container = new BlobServiceClient(hub.Storage).GetBlobContainerClient(StorageNames.AnchorsContainer);
        var latest = await container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "anchors/", default).Select(b => b.Name).Where(n => !n.EndsWith(".leaves.json", StringComparison.Ordinal)).MaxAsync();
        var next = long.Parse(latest!["anchors/".Length..^".json".Length], CultureInfo.InvariantCulture) + 1;
        // What a run that died between its two blobs leaves behind: the leaves of the next anchor, holding this incident's head.
        var head = export["events"]!.AsArray()[^1]!;
        var leaves = new JsonObject
        {
            ["number"] = next, ["from"] = null, ["cutoff"] = NotifyHub.Domain.Ledger.LedgerEvent.Canonical(DateTimeOffset.UtcNow),
            ["leaves"] = new JsonArray(new JsonObject { ["incident"] = incidentId, ["force"] = force, ["reference"] = reference, ["version"] = head["version"]!.GetValue<long>(), ["hash"] = head["hash"]!.GetValue<string>() }),
        };
        try
        {
            await container.GetBlobClient($"anchors/{next.ToString("D8", CultureInfo.InvariantCulture)}.leaves.json").UploadAsync(BinaryData.FromString(leaves.ToJsonString()),
                new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All } });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another test's anchoring took that number first: its own run finishes it the same way.
        }

        var made = await AnchorAsync();

        Assert.True(made["number"]!.GetValue<long>() >= next);
        var after = await ExportAsync(force, reference, key);
        Assert.Contains(after["inclusions"]!.AsArray(), i => i!["anchor"]!.GetValue<long>() == next
            && i["version"]!.GetValue<long>() >= head["version"]!.GetValue<long>());
        AssertVerifiesAsFarAsAnchored(EvidenceVerifier.Verify(after, await PublishedKeyAsync()));
    }
}
