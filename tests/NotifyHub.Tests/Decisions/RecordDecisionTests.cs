using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Decisions;

public sealed class DecisionsHubFixture : DeliveryHubFixture;

/// <summary>The MASH records its decision about an incident (issue 19, docs/decisions.md): versions kept, the force reads them.</summary>
public sealed class RecordDecisionTests(DecisionsHubFixture hub) : IClassFixture<DecisionsHubFixture>
{
    private static int _nextLa = 600;

    private sealed record Scene(string La, string Mash, string MashKey, string Notification, string School, string SchoolKey, string Force, string ForceKey, string Reference);

    /// <summary>An LA of its own with a MASH and a school, and the example incident (medium risk: the MASH gets it) routed to both.</summary>
    private async Task<Scene> SceneAsync()
    {
        // An LA no other scene of this hub has: routing sends an LA's incidents to one MASH.
        var la = Interlocked.Increment(ref _nextLa).ToString();
        var mash = "mash-" + la + "-" + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "inbox" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var (force, forceKey) = await hub.NewForceAsync();
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var submitted = await RouteIncidentTests.SubmitAsync(hub, incident, force, forceKey);
        await RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        return new Scene(la, mash, await IssueKeyAsync(hub, mash), $"{submitted.IncidentId}.{mash}", school, await IssueKeyAsync(hub, school),
            force, forceKey, submitted.Reference);
    }

    private static object Decision(string outcome = "strategy-discussion", object? nextSteps = null, bool joint = true) => new
    {
        outcome,
        children = new[] { 0 },
        decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        joint,
        jointWith = joint ? new[] { "police", "health" } : null,
        rationale = "Synthetic rationale: repeat incidents and the child's account.",
        nextSteps = nextSteps ?? Array.Empty<object>(),
    };

    [Fact]
    public async Task A_MASH_records_its_decision_then_a_new_version_both_are_kept_the_latest_stands_and_the_force_reads_them()
    {
        var s = await SceneAsync();
        var first = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey,
            Decision(nextSteps: new[] { new { owner = s.School, action = "Offer the child a trusted adult", dueOn = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") } }));
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var recorded = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, recorded.GetProperty("version").GetInt32());
        Assert.Equal(s.School, recorded.GetProperty("nextSteps")[0].GetProperty("owner").GetString());

        var second = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey, Decision("early-help", joint: false));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var mine = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("early-help", mine.GetProperty("latest").GetProperty("outcome").GetString());
        Assert.Equal([2, 1], mine.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([true, false], mine.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("latest").GetBoolean()));
        Assert.Equal("strategy-discussion", mine.GetProperty("versions")[1].GetProperty("outcome").GetString());

        var forces = await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{s.Force}/{s.Reference}/decisions", s.ForceKey);
        Assert.Equal(HttpStatusCode.OK, forces.StatusCode);
        Assert.True(JsonElement.DeepEquals(mine, await forces.Content.ReadFromJsonAsync<JsonElement>()));

        var audit = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?action=decision.recorded", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, audit.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.Mash));
    }

    [Fact]
    public async Task An_incident_awaits_the_MASHs_decision_due_a_day_after_it_received_it_for_the_MASH_and_its_lead_until_one_is_recorded()
    {
        var s = await SceneAsync();
        var (_, leadKey, _) = await Timeliness.TimelinessApi.NewLeadAsync(hub, [s.La]);
        var otherMashKey = (await SceneAsync()).MashKey;

        async Task<JsonElement?> AwaitingAsync(string key) =>
            (await (await SendAsync(hub, HttpMethod.Get, "/api/decisions/awaiting", key)).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("notificationId").GetString() == s.Notification);

        var mine = await Eventually.UntilAsync<JsonElement?>(() => AwaitingAsync(s.MashKey), i => i is not null, "the incident on the MASH's awaiting list");
        var received = mine!.Value.GetProperty("receivedAt").GetDateTimeOffset();
        Assert.Equal(received.AddHours(24), mine.Value.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, mine.Value.GetProperty("overdueBySeconds").ValueKind);
        Assert.Equal(s.Reference, mine.Value.GetProperty("incidentReference").GetString());
        Assert.NotNull(await AwaitingAsync(leadKey));
        Assert.Null(await AwaitingAsync(otherMashKey));
        Assert.Null(await AwaitingAsync(s.SchoolKey));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey, Decision())).StatusCode);
        Assert.Null(await AwaitingAsync(s.MashKey));
        Assert.Null(await AwaitingAsync(leadKey));
    }

    [Fact]
    public async Task The_partnership_leads_decision_report_counts_its_LAs_decisions_by_outcome_joint_and_on_time_and_what_still_awaits_one()
    {
        var decided = await SceneAsync();
        var waiting = await SceneAsync();
        var (_, leadKey, _) = await Timeliness.TimelinessApi.NewLeadAsync(hub, [decided.La, waiting.La]);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{decided.Notification}/decisions", decided.MashKey,
            Decision())).StatusCode);

        var report = await Eventually.UntilAsync(async () =>
            await (await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions", leadKey)).Content.ReadFromJsonAsync<JsonElement>(),
            r => r.GetProperty("decided").GetInt32() == 1 && r.GetProperty("awaiting").GetInt32() == 1, "the decided incident and the waiting one in the report");
        Assert.Equal(1, report.GetProperty("byOutcome").GetProperty("strategy-discussion").GetInt32());
        Assert.Equal(0, report.GetProperty("byOutcome").GetProperty("early-help").GetInt32());
        Assert.Equal(1, report.GetProperty("joint").GetInt32());
        Assert.Equal(1.0, report.GetProperty("jointRate").GetDouble());
        Assert.Equal(0, report.GetProperty("awaitingOverdue").GetInt32());
        var medium = Assert.Single(report.GetProperty("byRiskLevel").EnumerateArray());
        Assert.Equal("medium", medium.GetProperty("riskLevel").GetString());
        Assert.Equal(1, medium.GetProperty("withinDue").GetInt32());
        Assert.Equal(1, medium.GetProperty("reportedToDecision").GetProperty("count").GetInt32());
        Assert.DoesNotContain("Synthetic rationale", report.GetRawText());

        // Another lead's report has none of these; a MASH may not read the report.
        var (_, otherLeadKey, _) = await Timeliness.TimelinessApi.NewLeadAsync(hub, ["851"]);
        var other = await (await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions", otherLeadKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, other.GetProperty("decided").GetInt32() + other.GetProperty("awaiting").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions", decided.MashKey)).StatusCode);
        var bad = await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions?from=2026-13-01", leadKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task Before_any_decision_the_MASH_and_the_force_read_none()
    {
        var s = await SceneAsync();
        var mine = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("latest").ValueKind);
        Assert.Equal(0, mine.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task A_bad_decision_is_refused_naming_each_bad_field_and_nothing_is_stored()
    {
        var s = await SceneAsync();
        var response = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey, new
        {
            outcome = "lock-them-up",
            children = new[] { 7 },
            decidedAt = DateTimeOffset.UtcNow.AddHours(2),
            joint = true,
            rationale = " ",
            nextSteps = new object[]
            {
                new { owner = "no-such-organisation", action = "Something", dueOn = "2026-01-01" },
                new { owner = s.School, dueOn = "not-a-date" },
            },
            extra = 1,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "outcome", "children[0]", "decidedAt", "jointWith", "rationale", "nextSteps[0].dueOn", "nextSteps[1].action", "nextSteps[1].dueOn", "extra" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} is not named: {errors}");

        // The owner is checked against the directory once the body is well formed.
        var unknownOwner = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey,
            Decision(nextSteps: new[] { new { owner = "no-such-organisation", action = "Something", dueOn = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd") } }));
        Assert.Equal(HttpStatusCode.BadRequest, unknownOwner.StatusCode);
        Assert.True((await unknownOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("nextSteps[0].owner", out _));

        var mine = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, mine.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_MASH_the_incident_was_sent_to_records_or_reads_its_decision_and_only_the_submitting_force_reads_it()
    {
        var s = await SceneAsync();
        var other = await SceneAsync();
        var schoolsOwn = s.Notification[..s.Notification.LastIndexOf('.')] + "." + s.School;
        // The school has a notification of the same incident, but it is not a MASH's; another MASH has none of this incident.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{schoolsOwn}/decisions", s.SchoolKey, Decision())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", other.MashKey, Decision())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", other.MashKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{s.Force}/{s.Reference}/decisions", other.ForceKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.ForceKey, Decision())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", null)).StatusCode);
    }
}
