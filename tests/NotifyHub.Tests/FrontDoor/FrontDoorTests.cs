using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Decisions;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.FrontDoor;

/// <summary>
/// Sharing through the LA front door (issue 22, docs/routing.md): in an area whose schools are told through its MASH, the
/// school's share waits until the MASH reviews it and releases it (or withholds it), both hops with receipts, due times,
/// lateness and escalation, on a real hub, Azurite, webhooks and SMTP. The lateness monitor's timer is off: tests run it with
/// <c>asOf</c>. Every scene has an LA of its own, so a run that judges another test's deliveries changes nothing a test looks at.
/// </summary>
public sealed class FrontDoorTests(FollowUpHubFixture hub) : IClassFixture<FollowUpHubFixture>
{
    private static int _nextLa = 520;

    private sealed record Scene(
        string La, string Relay, string RelayKey, string RelayEmail, string School, string SchoolKey, string SchoolUrn, string SchoolEmail, WebhookReceiver Receiver,
        string Force, string ForceKey, string Reference, string IncidentId, string LeadKey, string LeadEmail)
    {
        public string ShareId => $"{IncidentId}.{School}";
        public string ReviewId => $"{IncidentId}.{Relay}~v1";
    }

    /// <summary>
    /// An LA of its own whose schools are told through its MASH (the relay, on webhooks), a school on webhooks with a contact's
    /// email, a lead with an escalation contact, and the example incident (medium risk) with both children at that school.
    /// </summary>
    private async Task<Scene> SceneAsync(WebhookReceiver receiver, bool autoRelease, string relayType = "mash")
    {
        var la = Interlocked.Increment(ref _nextLa).ToString();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var relay = $"{relayType}-{la}-{tag}";
        var relayEmail = $"{relay}@example.invalid";
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = relay, type = relayType, name = "Synthetic Front Door " + la, laCode = la, channel = new { kind = "webhook", url = receiver.Url },
            contacts = new[] { new { name = "Duty Manager", role = "Team manager", email = relayEmail } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await RotateSecretAsync(hub, relay);
        var (school, urn, schoolEmail) = await TimelinessApi.NewSchoolAsync(hub, channel: new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        var (_, leadKey, leadEmail) = await TimelinessApi.NewLeadAsync(hub, [la]);
        var paths = await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{la}/paths", hub.AdminKey,
            new { paths = new[] { new { recipientType = "school", via = relay, autoReleaseWhenLate = autoRelease } } });
        Assert.True(paths.StatusCode == HttpStatusCode.OK, await paths.Content.ReadAsStringAsync());

        var (force, forceKey) = await hub.NewForceAsync();
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[1].schoolUrn", urn)
            .With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var submitted = await RouteIncidentTests.SubmitAsync(hub, incident, force, forceKey);
        await RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        return new Scene(la, relay, await IssueKeyAsync(hub, relay), relayEmail, school, await IssueKeyAsync(hub, school), urn, schoolEmail, receiver, force, forceKey,
            submitted.Reference, submitted.IncidentId, leadKey, leadEmail);
    }

    private async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(Scene s, Func<IReadOnlyList<JsonElement>, bool> done, string what) =>
        await Eventually.UntilAsync(async () =>
            (await RouteIncidentTests.StatusAsync(hub, s.Force, s.ForceKey, s.Reference)).GetProperty("deliveries").EnumerateArray().ToList(), l => done(l), what);

    private static JsonElement? Find(IReadOnlyList<JsonElement> deliveries, string notificationId) =>
        deliveries.Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("notificationId").GetString() == notificationId);

    private static string? State(IReadOnlyList<JsonElement> deliveries, string notificationId) =>
        Find(deliveries, notificationId) is { } d && d.TryGetProperty("frontDoor", out var f) && f.ValueKind == JsonValueKind.Object ? f.GetProperty("state").GetString() : null;

    private static async Task<JsonElement> WebhookAsync(WebhookReceiver receiver, string notificationId, string what) =>
        JsonDocument.Parse((await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == notificationId).ToList()), l => l.Count >= 1, what))[0].Body)
            .RootElement;

    private Task<HttpResponseMessage> ReleaseAsync(Scene s, object body) => SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/release", s.RelayKey, body);

    private Task<HttpResponseMessage> WithholdAsync(Scene s, object body) => SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/withhold", s.RelayKey, body);

    private static readonly object Reviewer = new { name = "Sam Synthetic", role = "MASH social worker" };

    private async Task<JsonElement> FrontDoorReportAsync(Scene s, Func<JsonElement, bool> done, string what) =>
        await Eventually.UntilAsync(() => TimelinessApi.GetAsync(hub, "/api/reports/front-door", s.LeadKey), done, what);

    private static IReadOnlyList<string> Errors(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)];

    [Fact]
    public async Task In_an_area_that_relays_the_schools_share_waits_at_the_front_door_until_the_MASH_releases_it_with_a_note_and_less_in_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: false);

        // The MASH gets the review on its own channel: a relay.review event with the whole incident and what the school would be sent.
        var review = await WebhookAsync(receiver, s.ReviewId, "the relay's review webhook");
        Assert.Equal("relay.review", review.GetProperty("type").GetString());
        Assert.EndsWith("/release", review.GetProperty("links").GetProperty("acknowledge").GetString());
        Assert.EndsWith("/withhold", review.GetProperty("links").GetProperty("withhold").GetString());
        var content = review.GetProperty("content");
        Assert.Equal(s.School, content.GetProperty("review").GetProperty("recipientId").GetString());
        Assert.Contains("child.whatChildSaid", content.GetProperty("review").GetProperty("recipientFields").EnumerateArray().Select(f => f.GetString()));
        Assert.True(content.TryGetProperty("summary", out _), "the MASH sees the incident in full (its own projection)");
        var releaseDue = content.GetProperty("review").GetProperty("releaseDueAt").GetDateTimeOffset();
        Assert.Equal(content.GetProperty("review").GetProperty("recipientDueAt").GetDateTimeOffset() - TimeSpan.FromHours(1), releaseDue);

        // The force sees both hops: the school's share held, its review at the MASH due an hour before the school's due time.
        var held = await DeliveriesAsync(s, l => State(l, s.ShareId) == "held" && Find(l, s.ReviewId) is not null, "the share held and its review");
        Assert.Equal("relay-review", Find(held, s.ReviewId)!.Value.GetProperty("kind").GetString());
        Assert.Equal(s.ShareId, Find(held, s.ReviewId)!.Value.GetProperty("frontDoor").GetProperty("shareId").GetString());
        Assert.Equal(releaseDue, Find(held, s.ReviewId)!.Value.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(0, Find(held, s.ShareId)!.Value.GetProperty("attempts").GetInt32());

        // The school cannot see it yet, nor find it in its inbox; and it was not sent (the review arrived, the share did not).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.ShareId}", s.SchoolKey)).StatusCode);
        var inbox = await TimelinessApi.GetAsync(hub, "/api/inbox", s.SchoolKey);
        Assert.DoesNotContain(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("notificationId").GetString() == s.ShareId);
        Assert.DoesNotContain(receiver.Received, r => r.Id == s.ShareId);
        // A review is released, not acknowledged.
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/ack", s.RelayKey,
            new { acknowledgedBy = Reviewer })).StatusCode);

        const string note = "Synthetic note: children's services know the family; the key adult should speak to the MASH.";
        var released = await ReleaseAsync(s, new { releasedBy = Reviewer, note, remove = new[] { "child.whatChildSaid" } });
        Assert.True(released.StatusCode == HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        var answer = await released.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("released", answer.GetProperty("state").GetString());
        Assert.True(answer.GetProperty("byDue").GetBoolean());
        Assert.Equal(1, answer.GetProperty("fieldsRemoved").GetInt32());

        // The school now gets it on its own channel, with the note and without what the MASH took out.
        var share = await WebhookAsync(receiver, s.ShareId, "the school's webhook once released");
        Assert.Equal("notification.created", share.GetProperty("type").GetString());
        var frontDoor = share.GetProperty("content").GetProperty("frontDoor");
        Assert.True(frontDoor.GetProperty("reviewed").GetBoolean());
        Assert.Equal(note, frontDoor.GetProperty("note").GetString());
        Assert.Equal(s.Relay, frontDoor.GetProperty("via").GetString());
        Assert.All(share.GetProperty("content").GetProperty("children").EnumerateArray(), c => Assert.False(c.TryGetProperty("whatChildSaid", out _)));
        Assert.All(share.GetProperty("content").GetProperty("children").EnumerateArray(), c => Assert.True(c.TryGetProperty("givenName", out _)));

        // Decided once: a second release or a withholding is a conflict. The status and the report show the hop.
        Assert.Equal(HttpStatusCode.Conflict, (await ReleaseAsync(s, new { releasedBy = Reviewer })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await WithholdAsync(s, new { withheldBy = Reviewer, reason = "duplicate" })).StatusCode);
        var after = await DeliveriesAsync(s, l => State(l, s.ShareId) == "released" && Find(l, s.ShareId)!.Value.GetProperty("status").GetString() == "delivered",
            "the share released and delivered");
        Assert.Equal("acknowledged", Find(after, s.ReviewId)!.Value.GetProperty("status").GetString());
        Assert.Equal("MASH social worker", Find(after, s.ReviewId)!.Value.GetProperty("acknowledgedByRole").GetString());
        var report = await FrontDoorReportAsync(s, r => r.GetProperty("total").GetProperty("released").GetInt32() == 1, "the front-door report");
        var total = report.GetProperty("total");
        Assert.Equal(1, total.GetProperty("held").GetInt32());
        Assert.Equal(1, total.GetProperty("releasedOnTime").GetInt32());
        Assert.Equal(0, total.GetProperty("stillHeld").GetInt32());
        Assert.Equal(1, total.GetProperty("timeHeld").GetProperty("count").GetInt32());
        Assert.Equal(s.Relay, Assert.Single(report.GetProperty("byRelay").EnumerateArray()).GetProperty("key").GetString());

        var audit = await TimelinessApi.GetAsync(hub, "/api/admin/audit?action=front-door.released", hub.AdminKey);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.Relay);

        // The lead's dashboard shows the front door beside the other reports, accessible at every size.
        var link = await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", s.LeadKey);
        Assert.Equal(HttpStatusCode.Created, link.StatusCode);
        var url = (await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var seen = await BrowserPages.WalkAsync([
            new { @goto = new Uri(hub.Host.BaseAddress, new Uri(url).AbsolutePath).ToString() }, new { wait = "body[data-state=ready]" },
            new { text = "#front-door-summary", @as = "summary" }, new { text = "#front-door-relays", @as = "relays" }, .. BrowserPages.CheckAtEverySize("dashboard-front-door"),
        ]);
        BrowserPages.AssertAccessible(seen);
        Assert.Contains("Released in time100% (1 of 1 released)", seen.Texts["summary"]);
        Assert.Contains(s.Relay, seen.Texts["relays"]);
    }

    [Fact]
    public async Task A_relay_that_never_acts_is_late_and_escalated_to_its_escalation_contact_and_where_the_area_chose_the_share_goes_on_marked_not_reviewed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: true);
        var held = await DeliveriesAsync(s, l => State(l, s.ShareId) == "held" && Find(l, s.ReviewId) is not null, "the share held");
        var releaseDue = Find(held, s.ShareId)!.Value.GetProperty("frontDoor").GetProperty("releaseDueAt").GetDateTimeOffset();

        // Judged just after the release was due (and before the school's own due time): late at the front door, and sent on.
        await TimelinessApi.RunMonitorAsync(hub, releaseDue.AddMinutes(1));
        var share = await WebhookAsync(receiver, s.ShareId, "the school's webhook, sent on without review");
        Assert.False(share.GetProperty("content").GetProperty("frontDoor").GetProperty("reviewed").GetBoolean());
        var after = await DeliveriesAsync(s, l => State(l, s.ShareId) == "auto-released" && Find(l, s.ReviewId)!.Value.TryGetProperty("lateAt", out var late)
            && late.ValueKind == JsonValueKind.String, "the share sent on and the review late");
        Assert.Null(Find(after, s.ShareId)!.Value.GetProperty("lateAt").GetString());

        // The escalation: the MASH is reminded and the partnership's escalation contact alerted, each about the review.
        await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(s.LeadEmail), m => m.Any(e => e.GetProperty("text").GetString()!.Contains(s.Reference)),
            "the alert to the escalation contact");
        await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(s.RelayEmail), m => m.Any(e => e.GetProperty("text").GetString()!.Contains(s.Reference)),
            "the reminder to the MASH");

        // Too late to release it now; the report counts it as sent on without review.
        Assert.Equal(HttpStatusCode.Conflict, (await ReleaseAsync(s, new { releasedBy = Reviewer })).StatusCode);
        var report = await FrontDoorReportAsync(s, r => r.GetProperty("total").GetProperty("autoReleased").GetInt32() == 1, "the report's auto-released share");
        Assert.Equal(0, report.GetProperty("total").GetProperty("released").GetInt32());
        Assert.Equal(0, report.GetProperty("total").GetProperty("stillHeld").GetInt32());
        // Its late list holds no review the hub has already sent on.
        var late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("notificationId").GetString() == s.ReviewId);
    }

    [Fact]
    public async Task Without_automatic_release_a_share_the_relay_never_acts_on_stays_held_and_goes_late_with_no_reminder_to_a_school_that_never_had_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: false);
        await DeliveriesAsync(s, l => State(l, s.ShareId) == "held", "the share held");

        await TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(7));
        var after = await DeliveriesAsync(s, l => Find(l, s.ShareId)!.Value.GetProperty("lateAt").ValueKind == JsonValueKind.String
            && Find(l, s.ReviewId)!.Value.GetProperty("lateAt").ValueKind == JsonValueKind.String, "both hops late");
        Assert.Equal("held", State(after, s.ShareId));

        // Both are escalated to the partnership (the review and the share): once both alerts are in, the school has had no reminder.
        await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(s.LeadEmail),
            m => m.Count(e => e.GetProperty("text").GetString()!.Contains(s.Reference)) >= 2, "the alerts about the review and the share");
        await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(s.RelayEmail), m => m.Any(e => e.GetProperty("text").GetString()!.Contains(s.Reference)),
            "the reminder to the MASH");
        Assert.Empty(await hub.Mail.EmailsToAsync(s.SchoolEmail));
        Assert.DoesNotContain(receiver.Received, r => r.Id == s.ShareId);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.ShareId}", s.SchoolKey)).StatusCode);
        var report = await FrontDoorReportAsync(s, r => r.GetProperty("total").GetProperty("stillHeldOverdue").GetInt32() == 1, "the overdue held share");
        Assert.Equal(1, report.GetProperty("total").GetProperty("stillHeld").GetInt32());

        // Released late, it still goes, and counts as released late.
        Assert.Equal(HttpStatusCode.Created, (await ReleaseAsync(s, new { releasedBy = Reviewer })).StatusCode);
        await WebhookAsync(receiver, s.ShareId, "the school's webhook once released late");
        await FrontDoorReportAsync(s, r => r.GetProperty("total").GetProperty("releasedLate").GetInt32() == 1, "the share released late");
    }

    [Fact]
    public async Task A_withheld_share_is_never_sent_and_counts_as_withheld_not_as_late_or_missing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: true);
        await DeliveriesAsync(s, l => State(l, s.ShareId) == "held", "the share held");

        var withheld = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "sharing-would-increase-risk" });
        Assert.True(withheld.StatusCode == HttpStatusCode.Created, await withheld.Content.ReadAsStringAsync());
        Assert.Equal("withheld", (await withheld.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        var after = await DeliveriesAsync(s, l => State(l, s.ShareId) == "withheld", "the share withheld");
        Assert.Equal("sharing-would-increase-risk", Find(after, s.ShareId)!.Value.GetProperty("frontDoor").GetProperty("reason").GetString());

        // Judged a week on: neither hop is late, nothing was sent on, and the school never sees it.
        await TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(7));
        var judged = await DeliveriesAsync(s, l => State(l, s.ShareId) == "withheld", "the share still withheld");
        Assert.Equal(JsonValueKind.Null, Find(judged, s.ShareId)!.Value.GetProperty("lateAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, Find(judged, s.ReviewId)!.Value.GetProperty("lateAt").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.ShareId}", s.SchoolKey)).StatusCode);

        // The reports: withheld (by reason), not missing and not late.
        var report = await FrontDoorReportAsync(s, r => r.GetProperty("total").GetProperty("withheld").GetInt32() == 1, "the withheld share in the report");
        Assert.Equal(1, report.GetProperty("total").GetProperty("withheldByReason").GetProperty("sharing-would-increase-risk").GetInt32());
        var timeliness = await Eventually.UntilAsync(() => TimelinessApi.GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType", s.LeadKey),
            r => r.GetProperty("total").GetProperty("withheld").GetInt32() == 1, "the withheld share in the timeliness report");
        var school = Assert.Single(timeliness.GetProperty("groups").EnumerateArray(), g => g.GetProperty("key").GetString() == "school");
        Assert.Equal((0, 1, 0), (school.GetProperty("deliveries").GetInt32(), school.GetProperty("withheld").GetInt32(), school.GetProperty("late").GetInt32()));
        var missing = await TimelinessApi.GetAsync(hub, "/api/reports/missing", s.LeadKey);
        Assert.DoesNotContain(missing.GetProperty("items").EnumerateArray(), m => m.GetRawText().Contains(s.School, StringComparison.Ordinal));
        var late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("notificationId").GetString() == s.ShareId);
    }

    [Fact]
    public async Task A_child_who_has_moved_school_is_withheld_from_the_old_school_and_sent_to_the_new_one_once_its_URN_is_known()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: false);
        var (newSchool, newUrn, _) = await TimelinessApi.NewSchoolAsync(hub, channel: new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, newSchool);
        await DeliveriesAsync(s, l => State(l, s.ShareId) == "held", "the share held");

        // An unknown URN is named, and nothing changes.
        var unknown = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "child-moved-school", newSchoolUrn = "999999" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["newSchoolUrn"], Errors(await unknown.Content.ReadFromJsonAsync<JsonElement>()));

        var moved = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "child-moved-school", newSchoolUrn = newUrn });
        Assert.True(moved.StatusCode == HttpStatusCode.Created, await moved.Content.ReadAsStringAsync());
        Assert.Equal(newSchool, (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reroutedTo").GetString());

        var sent = await WebhookAsync(receiver, $"{s.IncidentId}.{newSchool}", "the new school's webhook");
        Assert.True(sent.GetProperty("content").GetProperty("frontDoor").GetProperty("reviewed").GetBoolean());
        Assert.Equal(2, sent.GetProperty("content").GetProperty("children").GetArrayLength());
        var after = await DeliveriesAsync(s, l => State(l, s.ShareId) == "withheld" && Find(l, $"{s.IncidentId}.{newSchool}") is not null, "the share withheld and rerouted");
        Assert.Equal("child-moved-school", Find(after, s.ShareId)!.Value.GetProperty("frontDoor").GetProperty("reason").GetString());
        Assert.DoesNotContain(receiver.Received, r => r.Id == s.ShareId);
    }

    [Fact]
    public async Task Paths_and_a_relays_decisions_are_validated_naming_each_bad_field_and_only_the_relay_a_review_was_sent_to_can_decide_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: false);

        // Paths: a relay's own type, a relay that is a school, a second path for a type, a relay of another LA, an unknown field; and the LA code.
        var otherLa = Interlocked.Increment(ref _nextLa).ToString();
        var bad = await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{otherLa}/paths", hub.AdminKey, new
        {
            paths = new object[]
            {
                new { recipientType = "mash", via = s.Relay },
                new { recipientType = "school", via = s.School },
                new { recipientType = "school", via = s.Relay },
                new { recipientType = "health-visiting-team", via = "no-such-organisation", speed = 1 },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["paths[0].recipientType", "paths[2].recipientType", "paths[3].speed"], Errors(await bad.Content.ReadFromJsonAsync<JsonElement>()).Order());
        var notRelays = await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{otherLa}/paths", hub.AdminKey, new
        {
            paths = new object[] { new { recipientType = "school", via = s.School }, new { recipientType = "health-visiting-team", via = s.Relay } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, notRelays.StatusCode);
        var problem = await notRelays.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["paths[0].via", "paths[1].via"], Errors(problem));
        Assert.Contains("does not cover LA " + otherLa, problem.GetProperty("errors").GetProperty("paths[1].via")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(hub, HttpMethod.Get, "/api/admin/areas/84x/paths", hub.AdminKey)).StatusCode);
        // Paths are replaced whole: a type left out goes direct again.
        var two = await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{s.La}/paths", hub.AdminKey, new
        {
            paths = new object[] { new { recipientType = "school", via = s.Relay }, new { recipientType = "yos-team", via = s.Relay, autoReleaseWhenLate = true } },
        });
        Assert.Equal(2, (await two.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paths").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{s.La}/paths", hub.AdminKey,
            new { paths = new[] { new { recipientType = "school", via = s.Relay, autoReleaseWhenLate = false } } })).StatusCode);
        var shown = await TimelinessApi.GetAsync(hub, $"/api/admin/areas/{s.La}/paths", hub.AdminKey);
        Assert.Contains("yos-team", shown.GetProperty("direct").EnumerateArray().Select(t => t.GetString()));
        var path = Assert.Single(shown.GetProperty("paths").EnumerateArray());
        Assert.Equal(("school", s.Relay), (path.GetProperty("recipientType").GetString(), path.GetProperty("via").GetString()));
        Assert.DoesNotContain("school", shown.GetProperty("direct").EnumerateArray().Select(t => t.GetString()));
        var audit = await TimelinessApi.GetAsync(hub, "/api/admin/audit?action=directory.area-paths-changed", hub.AdminKey);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("targets").EnumerateArray().Any(t => t.GetString() == s.La));

        await DeliveriesAsync(s, l => State(l, s.ShareId) == "held", "the share held");
        // Release: a field a school is never sent, one that says which incident it is, a note too long, no reviewer.
        var badRelease = await ReleaseAsync(s, new { note = new string('x', 2001), remove = new[] { "child.nhsNumber", "incidentReference", "child.whatChildSaid" } });
        Assert.Equal(HttpStatusCode.BadRequest, badRelease.StatusCode);
        Assert.Equal(["note", "releasedBy", "remove[0]", "remove[1]"], Errors(await badRelease.Content.ReadFromJsonAsync<JsonElement>()).Order());
        // Withhold: a reason not in the list, a URN with a reason that is not a move, a URN that is not one.
        var badReason = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "busy" });
        Assert.Equal(["reason"], Errors(await badReason.Content.ReadFromJsonAsync<JsonElement>()));
        var urnWithoutMove = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "duplicate", newSchoolUrn = "123456" });
        Assert.Equal(["newSchoolUrn"], Errors(await urnWithoutMove.Content.ReadFromJsonAsync<JsonElement>()));
        var notUrn = await WithholdAsync(s, new { withheldBy = Reviewer, reason = "child-moved-school", newSchoolUrn = "12a" });
        Assert.Equal(["newSchoolUrn"], Errors(await notUrn.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/release", s.RelayKey, "[1,2]")).StatusCode);

        // Only the relay it was sent to decides it: the school's key and another relay's find nothing; the school's own share is no review.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/release", s.SchoolKey,
            new { releasedBy = Reviewer })).StatusCode);
        await using var otherReceiver = await WebhookReceiver.StartAsync();
        var other = await SceneAsync(otherReceiver, autoRelease: false);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ReviewId}/release", other.RelayKey,
            new { releasedBy = Reviewer })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.ShareId}/withhold", s.SchoolKey,
            new { withheldBy = Reviewer, reason = "duplicate" })).StatusCode);
        var still = await DeliveriesAsync(s, l => Find(l, s.ShareId) is not null, "the share");
        Assert.Equal("held", State(still, s.ShareId));
    }

    [Fact]
    public async Task An_area_without_paths_sends_its_shares_direct_and_a_relay_deactivated_since_the_path_was_set_is_passed_by()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, autoRelease: false);
        var deactivated = await SendAsync(hub, HttpMethod.Post, $"/api/admin/organisations/{s.Relay}/deactivate", hub.AdminKey);
        Assert.True(deactivated.IsSuccessStatusCode, await deactivated.Content.ReadAsStringAsync());
        var shown = await TimelinessApi.GetAsync(hub, $"/api/admin/areas/{s.La}/paths", hub.AdminKey);
        Assert.Contains("deactivated", Assert.Single(shown.GetProperty("paths").EnumerateArray()).GetProperty("problem").GetString());

        var incident = ExampleIncident.For(s.Force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", s.La)
            .With("children[0].schoolUrn", s.SchoolUrn).With("children[1].schoolUrn", s.SchoolUrn)
            .With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var submitted = await RouteIncidentTests.SubmitAsync(hub, incident, s.Force, s.ForceKey);
        var share = await WebhookAsync(receiver, $"{submitted.IncidentId}.{s.School}", "the school's share, sent direct");
        Assert.False(share.GetProperty("content").TryGetProperty("frontDoor", out _));
        var status = await RouteIncidentTests.StatusAsync(hub, s.Force, s.ForceKey, submitted.Reference);
        Assert.DoesNotContain(status.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("kind").GetString() == "relay-review");
    }
}
