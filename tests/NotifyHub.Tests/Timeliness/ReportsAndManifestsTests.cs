using System.Globalization;
using System.Net;
using System.Text.Json;
using CsvHelper;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>Manifests and missing shares, the timeliness report and its CSV, the rollups' rebuild, and who sees what.</summary>
public class ReportsAndManifestsTests(TimelinessHubFixture hub) : IClassFixture<TimelinessHubFixture>
{
    private static readonly string Today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reference_in_a_forces_manifest_that_never_arrived_is_missing_at_source_until_the_incident_comes()
    {
        var (school, urn, _) = await NewSchoolAsync(hub);
        var la = Random.Shared.Next(600, 699).ToString();
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        var (_, otherLeadKey, _) = await NewLeadAsync(hub, ["842"]);
        var received = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow, la: la);
        var late = "LATE-" + Guid.NewGuid().ToString("N")[..8];

        var manifest = new
        {
            forceCode = received.Force, date = Today,
            incidents = new object[] { new { incidentReference = received.Reference, laCode = la }, new { incidentReference = late, laCode = la } },
        };
        var answer = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", received.Key, manifest));
        Assert.Equal(2, answer.GetProperty("listed").GetInt32());
        Assert.Equal(1, answer.GetProperty("received").GetInt32());
        Assert.Equal([late], answer.GetProperty("missingAtSource").EnumerateArray().Select(m => m.GetProperty("incidentReference").GetString()));

        Assert.Contains(late, MissingReferences(await GetAsync(hub, "/api/reports/missing", received.Key)));
        Assert.Contains(late, MissingReferences(await GetAsync(hub, "/api/reports/missing", leadKey)));
        Assert.DoesNotContain(late, MissingReferences(await GetAsync(hub, "/api/reports/missing", otherLeadKey)));
        var (_, otherForceKey) = await hub.NewForceAsync();
        Assert.DoesNotContain(late, MissingReferences(await GetAsync(hub, "/api/reports/missing", otherForceKey)));
        var report = await GetAsync(hub, $"/api/reports/timeliness?groupBy=la", leadKey);
        Assert.Equal(1, report.GetProperty("total").GetProperty("missingAtSource").GetInt32());

        // The force sends it after all; sending the manifest again reconciles it.
        var incident = ExampleIncident.For(received.Force, late, DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        (await TimelinessApi.SendRawAsync(hub, HttpMethod.Post, "/api/incidents", received.Key, incident.ToJsonString(), "application/json")).EnsureSuccessStatusCode();
        var again = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", received.Key, manifest));
        Assert.Empty(again.GetProperty("missingAtSource").EnumerateArray());
        Assert.DoesNotContain(late, MissingReferences(await GetAsync(hub, "/api/reports/missing", leadKey)));
        _ = school;
    }

    [Fact]
    public async Task A_bad_manifest_is_refused_naming_each_bad_field_and_a_force_cannot_send_another_forces_manifest()
    {
        var (force, key) = await hub.NewForceAsync();
        var bad = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", key, new
        {
            forceCode = force, date = "2026-02-30",
            incidents = new object[] { new { incidentReference = "A-1", laCode = "84" }, new { incidentReference = "", laCode = "840", extra = 1 } },
        });
        var problem = await JsonAsync(bad, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("date", fields);
        Assert.Contains("incidents[0].laCode", fields);
        Assert.Contains("incidents[1].incidentReference", fields);
        Assert.Contains("incidents[1].extra", fields);

        var duplicate = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", key, new
        {
            forceCode = force, date = Today, incidents = new object[] { new { incidentReference = "A-1", laCode = "840" }, new { incidentReference = "A-1", laCode = "840" } },
        });
        Assert.Contains("incidents", (await JsonAsync(duplicate, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var (otherForce, _) = await hub.NewForceAsync();
        var other = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", key, new { forceCode = otherForce, date = Today, incidents = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task A_partnership_lead_sees_the_report_of_its_own_LAs_only_with_NPS_and_CRC_apart_and_no_child_data_in_JSON_or_CSV()
    {
        var la = Random.Shared.Next(600, 699).ToString();
        var otherLa = Random.Shared.Next(500, 599).ToString();
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        foreach (var (type, id) in new[] { ("nps-spoc", "nps-" + la), ("crc-spoc", "crc-" + la) })
        {
            (await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
            {
                id, type, name = "Synthetic " + type + " " + la, laCode = la, channel = new { kind = "inbox" },
            })).EnsureSuccessStatusCode();
        }
        var (_, urn, _) = await NewSchoolAsync(hub, la: la);
        var (_, otherUrn, _) = await NewSchoolAsync(hub, la: otherLa);
        // The example's perpetrator is on NPS supervision; give the victim CRC supervision too: one share to each SPOC.
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow, la: la, change: i => i
            .With("adults[0].probation", JsonNodeOf(new { provider = "CRC", region = "North East", office = "Synthetic Office" })));
        var elsewhere = await SubmitAsync(hub, otherUrn, DateTimeOffset.UtcNow, la: otherLa);
        await NotifyHub.Tests.Routing.RouteIncidentTests.RoutedAsync(hub, elsewhere.Force, elsewhere.Key, elsewhere.Reference);
        await DeliveryApi.DeliveryAsync(hub, incident, "nps-" + la, d => d.GetProperty("attempts").GetInt32() >= 1, "the NPS share");
        await DeliveryApi.DeliveryAsync(hub, incident, "crc-" + la, d => d.GetProperty("attempts").GetInt32() >= 1, "the CRC share");

        var byLa = await GetAsync(hub, "/api/reports/timeliness?groupBy=la", leadKey);
        Assert.Equal([la], byLa.GetProperty("las").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([la], byLa.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));

        var byType = await GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", leadKey);
        var keys = byType.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToList();
        Assert.Contains("nps-spoc", keys);
        Assert.Contains("crc-spoc", keys);
        Assert.Contains("school", keys);
        Assert.Equal(1, byType.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "nps-spoc").GetProperty("deliveries").GetInt32());

        var admin = await GetAsync(hub, "/api/reports/timeliness?groupBy=la", hub.AdminKey);
        Assert.Contains(otherLa, admin.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));

        // The CSV says the same as the JSON.
        var csvResponse = await SendAcceptingAsync("/api/reports/timeliness?groupBy=recipientType", leadKey, "text/csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csvText = await csvResponse.Content.ReadAsStringAsync();
        var rows = CsvRows(csvText);
        foreach (var group in byType.GetProperty("groups").EnumerateArray())
        {
            var row = rows.Single(r => r["key"] == group.GetProperty("key").GetString());
            Assert.Equal(group.GetProperty("deliveries").GetInt32().ToString(CultureInfo.InvariantCulture), row["deliveries"]);
            Assert.Equal(group.GetProperty("unrouted").GetInt32().ToString(CultureInfo.InvariantCulture), row["unrouted"]);
        }
        Assert.Equal(byType.GetProperty("total").GetProperty("deliveries").GetInt32().ToString(CultureInfo.InvariantCulture), rows.Single(r => r["key"] == "all")["deliveries"]);

        // Nothing that identifies a child or an adult, in anything the lead reads.
        var names = (await ChildAndAdultNamesAsync(incident)).ToList();
        var late = await GetAsync(hub, "/api/reports/late", leadKey);
        var missing = await GetAsync(hub, "/api/reports/missing", leadKey);
        foreach (var text in new[] { byType.GetRawText(), byLa.GetRawText(), csvText, late.GetRawText(), missing.GetRawText() })
        {
            foreach (var name in names) Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase);
        }

        // A school (a recipient key) sees no report.
        var schoolKey = await DeliveryApi.IssueKeyAsync(hub, "school-" + urn);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeliveryApi.SendAsync(hub, HttpMethod.Get, "/api/reports/timeliness", schoolKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeliveryApi.SendAsync(hub, HttpMethod.Get, "/api/reports/late", schoolKey)).StatusCode);
    }

    [Fact]
    public async Task Rebuilding_the_views_from_the_ledger_gives_the_report_the_live_updates_gave()
    {
        var la = Random.Shared.Next(600, 699).ToString();
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        var (school, urn, _) = await NewSchoolAsync(hub, la: la);
        var first = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow, la: la);
        await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-5), la: la, force: first.Force, key: first.Key);
        var delivery = await DeliveryApi.DeliveryAsync(hub, first, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var schoolKey = await DeliveryApi.IssueKeyAsync(hub, school);
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{delivery.GetProperty("notificationId").GetString()}/ack", schoolKey,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } })).EnsureSuccessStatusCode();
        var live = await Eventually.UntilAsync(() => GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", leadKey),
            r => r.GetProperty("total").GetProperty("acknowledgedByDue").GetInt32() == 1 && r.GetProperty("total").GetProperty("deliveries").GetInt32() >= 2,
            "the live report");

        var rebuilt = await ViewsApi.RebuildAsync(hub);
        Assert.True(rebuilt.GetProperty("incidents").GetInt32() >= 2);
        var after = await GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", leadKey);
        Assert.Equal(Stable(live), Stable(after));
    }

    [Fact]
    public async Task A_child_with_three_incidents_in_ninety_days_is_named_to_the_MASH_from_what_it_was_sent_audited_and_only_counted_for_the_partnership_lead()
    {
        var la = Random.Shared.Next(600, 699).ToString();
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        var mash = "mash-" + la;
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "inbox" },
        })).EnsureSuccessStatusCode();
        var mashKey = await DeliveryApi.IssueKeyAsync(hub, mash);
        var (school, urn, _) = await NewSchoolAsync(hub, la: la);

        // The same child (same police person reference, names and date of birth) in three incidents within 90 days.
        var (force, key) = await hub.NewForceAsync();
        var template = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var child = template["children"]![0]!["givenName"]!.GetValue<string>();
        foreach (var daysAgo in new[] { 60, 20, 0 })
        {
            var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow.AddDays(-daysAgo)).WithUniqueChildren().With("location.laCode", la)
                .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
            incident["children"]![0] = template["children"]![0]!.DeepClone();
            var submitted = await NotifyHub.Tests.Routing.RouteIncidentTests.SubmitAsync(hub, incident, force, key);
            await NotifyHub.Tests.Routing.RouteIncidentTests.RoutedAsync(hub, force, key, submitted.Reference);
        }

        var list = await GetAsync(hub, "/api/reports/repeat-children", mashKey);
        var named = Assert.Single(list.GetProperty("children").EnumerateArray(), c => c.GetProperty("givenName").GetString() == child);
        Assert.Equal(3, named.GetProperty("incidentsLast90Days").GetInt32());
        var counts = await GetAsync(hub, "/api/reports/repeat-children", leadKey);
        Assert.Equal(1, counts.GetProperty("total").GetInt32());
        Assert.DoesNotContain(child, counts.GetRawText(), StringComparison.Ordinal);
        var schoolKey = await DeliveryApi.IssueKeyAsync(hub, school);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeliveryApi.SendAsync(hub, HttpMethod.Get, "/api/reports/repeat-children", schoolKey)).StatusCode);

        // Each read of the named list is on the audit trail, under the MASH's key.
        var audit = await GetAsync(hub, $"/api/admin/audit?action=reports.repeat-children-read&actor={mash}", hub.AdminKey);
        Assert.NotEmpty(audit.GetProperty("items").EnumerateArray());

        // A fourth incident, standard risk, is not sent to the MASH: the child is still listed, but its name now comes only
        // from what the MASH was sent — nothing of an incident it never received.
        var fourth = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow.AddMinutes(5)).WithUniqueChildren().With("location.laCode", la).With("riskLevel", "standard")
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        fourth["children"]![0] = template["children"]![0]!.DeepClone();
        var latest = await NotifyHub.Tests.Routing.RouteIncidentTests.SubmitAsync(hub, fourth, force, key);
        await NotifyHub.Tests.Routing.RouteIncidentTests.RoutedAsync(hub, force, key, latest.Reference);
        var after = await GetAsync(hub, "/api/reports/repeat-children", mashKey);
        var unshared = Assert.Single(after.GetProperty("children").EnumerateArray(), c => c.GetProperty("latestIncidentId").GetString() == latest.IncidentId);
        Assert.False(unshared.GetProperty("sharedWithYou").GetBoolean());
        Assert.Equal(JsonValueKind.Null, unshared.GetProperty("givenName").ValueKind);
        Assert.DoesNotContain(child, after.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_queries_are_validated_naming_each_bad_parameter()
    {
        var (_, leadKey, _) = await NewLeadAsync(hub, ["840"]);
        var problem = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Get, "/api/reports/timeliness?from=2026-13-01&groupBy=child&period=day&format=xml", leadKey),
            HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Equal(["format", "from", "groupBy", "period"], fields.Order(StringComparer.Ordinal));
        var range = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Get, "/api/reports/timeliness?from=2026-06-01&to=2026-01-01", leadKey), HttpStatusCode.BadRequest);
        Assert.Contains("from", range.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task The_CSV_reports_period_column_says_all_for_the_whole_range_as_the_JSON_does_and_each_lines_Monday_when_split_by_week()
    {
        var la = Random.Shared.Next(600, 699).ToString();
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        var (school, urn, _) = await NewSchoolAsync(hub, la: la);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow, la: la);
        await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        await Eventually.UntilAsync(() => GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", leadKey),
            r => r.GetProperty("groups").EnumerateArray().Any(g => g.GetProperty("key").GetString() == "school"), "the share in the rollups");

        foreach (var query in new[] { "groupBy=recipientType", "groupBy=recipientType&period=week" })
        {
            var json = await GetAsync(hub, "/api/reports/timeliness?" + query, leadKey);
            var rows = CsvRows(await (await SendAcceptingAsync("/api/reports/timeliness?" + query, leadKey, "text/csv")).Content.ReadAsStringAsync());
            var lines = json.GetProperty("groups").EnumerateArray().Append(json.GetProperty("total")).ToList();
            Assert.Equal(lines.Count, rows.Count);
            foreach (var (line, row) in lines.Zip(rows))
            {
                Assert.Equal(line.GetProperty("key").GetString(), row["key"]);
                // A line's period in JSON is its Monday, or null for the whole range (a report's total, or every line of a
                // report not split by period) — which the report's own period calls "all".
                Assert.Equal(line.GetProperty("period").GetString() ?? "all", row["period"]);
            }
        }
        var whole = await GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", leadKey);
        Assert.Equal("all", whole.GetProperty("period").GetString());
        var wholeCsv = CsvRows(await (await SendAcceptingAsync("/api/reports/timeliness?groupBy=recipientType", leadKey, "text/csv")).Content.ReadAsStringAsync());
        Assert.All(wholeCsv, row => Assert.Equal("all", row["period"]));
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeOf(object value) => System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(value))!;

    private static IEnumerable<string?> MissingReferences(JsonElement missing) =>
        missing.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()!.Split(':').Last());

    /// <summary>The report without the clock-dependent parts (times of the run): what must be equal after a rebuild.</summary>
    private static string Stable(JsonElement report) => report.GetProperty("groups").GetRawText() + report.GetProperty("total").GetRawText();

    private async Task<HttpResponseMessage> SendAcceptingAsync(string path, string key, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Accept.ParseAdd(accept);
        return await hub.Http.SendAsync(request);
    }

    private static List<Dictionary<string, string>> CsvRows(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        return lines.Skip(1).Select(cells => lines[0].Zip(cells).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private async Task<IEnumerable<string>> ChildAndAdultNamesAsync((string Force, string Key, string Reference, string IncidentId) incident)
    {
        var stored = await hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.IncidentsTable)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>(incident.Force, "i:" + incident.Reference);
        var json = JsonDocument.Parse(NotifyHub.Storage.LargeBinary.Read(stored.Value, "Payload")!).RootElement;
        return json.GetProperty("children").EnumerateArray().Concat(json.GetProperty("adults").EnumerateArray())
            .SelectMany(p => new[] { p.GetProperty("givenName").GetString()!, p.GetProperty("familyName").GetString()! })
            .Where(n => n.Length > 3);
    }
}
