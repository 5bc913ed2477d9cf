using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Evidence;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Evidence;

public sealed class EvidenceTimelineHubFixture : DeliveryHubFixture;

/// <summary>
/// The printable timeline of an incident's evidence, opened from the link in its export, in real headless Chromium (axe at
/// WCAG 2.2 AA at 1280 px, 320 px and 200 % zoom, and as printed): what it says of the record, who it names, what it never
/// shows, and what a link that does not open gets.
/// </summary>
public class EvidenceTimelinePageTests(EvidenceTimelineHubFixture hub) : IClassFixture<EvidenceTimelineHubFixture>
{
    private const string Role = "Designated safeguarding lead";

    /// <summary>An incident shared with a school and a health visiting team, both of which have it; the school acknowledged it.</summary>
    private sealed record Shared((string Force, string Key, string Reference, string IncidentId) Incident, JsonObject Submitted, string School,
        string SchoolName, string HealthTeamName, string Acknowledger);

    /// <summary>
    /// Submits the example incident in LA 840 to a new school and a new health visiting team (inbox channels, so nothing more
    /// happens once each has it), has the school fetch and acknowledge it, and waits until everything on the incident's
    /// record so far is held by a signed anchor.
    /// </summary>
    private async Task<Shared> SharedAndAnchoredAsync()
    {
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var district = "ZY" + Random.Shared.Next(10, 99);
        var healthTeamName = "Synthetic Health Visiting Team " + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = "hv-" + Guid.NewGuid().ToString("N")[..12], type = NotifyHub.Domain.Directory.OrganisationTypes.HealthVisitingTeam, name = healthTeamName,
            laCode = "840", channel = new { kind = "inbox" }, coverage = new { postcodeDistricts = new[] { district } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var (force, key) = await hub.NewForceAsync();
        var submitted = ExampleIncident.For(force, "X", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("location.postcodeDistrict", district)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var incident = await RouteIncidentTests.SubmitAsync(hub, submitted, force, key);
        await RouteIncidentTests.RoutedAsync(hub, force, key, incident.Reference);
        var status = await Eventually.UntilAsync(() => RouteIncidentTests.StatusAsync(hub, force, key, incident.Reference),
            s => RouteIncidentTests.Shares(s).All(d => d.GetProperty("attempts").GetInt32() >= 1 && d.GetProperty("nextAttemptAt").ValueKind == JsonValueKind.Null),
            "every share waiting in its recipient's inbox");
        var shares = RouteIncidentTests.Shares(status).ToList();
        Assert.Equal(2, shares.Count);

        var notification = shares.Single(d => d.GetProperty("recipientId").GetString() == school).GetProperty("notificationId").GetString()!;
        var schoolKey = await IssueKeyAsync(hub, school);
        (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{notification}", schoolKey)).EnsureSuccessStatusCode();
        var acknowledger = "Synthetic Acknowledger " + Guid.NewGuid().ToString("N")[..6];
        (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notification}/ack", schoolKey, new { acknowledgedBy = new { name = acknowledger, role = Role } }))
            .EnsureSuccessStatusCode();
        await DeliveryAsync(hub, incident, school, d => Status(d) == "acknowledged", "the school's acknowledgement");

        await Eventually.UntilAsync(async () =>
        {
            var anchored = await SendAsync(hub, HttpMethod.Post, "/api/admin/evidence/anchors", hub.AdminKey);
            Assert.Equal(HttpStatusCode.Created, anchored.StatusCode);
            var export = await ExportAsync(incident);
            if (!Covered(export)) await Task.Delay(500);
            return export;
        }, Covered, "an anchor holding every event of the incident");
        return new Shared(incident, submitted, school, "Synthetic School " + urn, healthTeamName, acknowledger);
    }

    private async Task<JsonObject> ExportAsync((string Force, string Key, string Reference, string IncidentId) incident)
    {
        var response = await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{incident.Force}/{incident.Reference}/evidence", incident.Key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Whether the export's newest event is held by an anchor in it.</summary>
    private static bool Covered(JsonObject export) =>
        export["events"]!.AsArray().Count > 0
        && export["inclusions"]!.AsArray().Select(i => i!["version"]!.GetValue<long>()).DefaultIfEmpty(0).Max() == export["events"]!.AsArray().Count;

    private string PageOf(string url) => new Uri(hub.Host.BaseAddress, new Uri(url).AbsolutePath).ToString();

    [Fact]
    public async Task The_exports_timeline_link_opens_a_page_saying_the_chain_verified_accessible_at_1280_px_320_px_and_200_percent_zoom_and_as_printed()
    {
        var shared = await SharedAndAnchoredAsync();
        var before = DateTimeOffset.UtcNow;
        var export = await ExportAsync(shared.Incident);

        // The link and its expiry are outside what the verifier checks: the export with them still verifies.
        var url = export["timeline"]!.GetValue<string>();
        Assert.Matches(@"^https?://[^/]+/api/evidence/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$", url);
        var expires = DateTimeOffset.Parse(export["timelineExpiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddHours(1).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1).AddMinutes(1));
        Assert.Equal(VerifyOutcome.Verified, EvidenceVerifier.Verify(export, null).Outcome);

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = PageOf(url) },
            new { text = "#verdict", @as = "verdict" },
            new { text = "#timeline tbody tr", @as = "timeline" },
            .. BrowserPages.CheckAtEverySize("evidence-timeline"),
            new { media = "print" },
            new { visible = ".govuk-service-navigation", @as = "navigation-printed" },
            new { visible = ".govuk-footer", @as = "footer-printed" },
            new { visible = "#timeline tbody tr:last-child", @as = "last-event-printed" },
            new { check = "evidence-timeline-printed" },
        ]);

        BrowserPages.AssertAccessible(seen);
        var page = seen.Checks["evidence-timeline"];
        Assert.Equal(200, page.Status);
        Assert.Equal($"Evidence for incident {shared.Incident.Force} {shared.Incident.Reference} – NotifyHub", page.Title);
        Assert.StartsWith("Chain verified", seen.Texts["verdict"]);
        Assert.Contains("Verified: every event is on the chain and held by a signed anchor", page.Main);
        Assert.Contains("verify-evidence", page.Main);
        // One line per event, every one of them, each with its number and the start of its hash.
        var events = export["events"]!.AsArray();
        Assert.Equal(events.Count, seen.Texts["timeline"].Split('\n').Length);
        var first = events[0]!;
        Assert.Contains(first["hash"]!.GetValue<string>()[..16], page.Main);
        Assert.Contains(UkTime.Describe(DateTimeOffset.Parse(first["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)), page.Main);
        // Printed: the navigation and footer go, the tables stay whole.
        Assert.Equal("false", seen.Texts["navigation-printed"]);
        Assert.Equal("false", seen.Texts["footer-printed"]);
        Assert.Equal("true", seen.Texts["last-event-printed"]);
    }

    [Fact]
    public async Task The_timeline_names_each_recipient_the_incident_was_shared_with_and_says_who_acknowledged_in_what_role_and_what_could_not_be_shared()
    {
        var shared = await SharedAndAnchoredAsync();
        var url = (await ExportAsync(shared.Incident))["timeline"]!.GetValue<string>();

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = PageOf(url) },
            new { text = $"#told tr[data-recipient='{shared.School}']", @as = "school" },
            new { text = "#told tbody tr", @as = "told" },
            new { text = "#timeline tbody tr", @as = "timeline" },
            new { check = "evidence-timeline" },
        ]);

        BrowserPages.AssertAccessible(seen);
        // Who was told: each recipient by name, with what it was told and when it had it.
        var told = seen.Texts["told"].Split('\n');
        Assert.Equal(2, told.Length);
        Assert.Contains(told, row => row.Contains(shared.SchoolName, StringComparison.Ordinal));
        Assert.Contains(told, row => row.Contains(shared.HealthTeamName, StringComparison.Ordinal));
        Assert.All(told, row => Assert.Contains("The incident", row));
        var school = seen.Texts["school"];
        Assert.Contains("delivered: fetched by the recipient's own system", school);
        Assert.Contains($"acknowledged (role {Role})", school);
        Assert.Contains("On time", school);
        var healthTeam = told.Single(r => r.Contains(shared.HealthTeamName, StringComparison.Ordinal));
        Assert.Contains("in its NotifyHub inbox since", healthTeam);
        Assert.Contains("Not acknowledged", healthTeam);
        Assert.Contains("Not yet due", healthTeam);
        // The timeline: shared, delivered, acknowledged, in words; and the shares the hub found no recipient for, with why.
        var timeline = seen.Texts["timeline"];
        Assert.Contains(shared.SchoolName + "Shared the incident", timeline);
        Assert.Contains(shared.HealthTeamName + "Shared the incident", timeline);
        Assert.Contains($"{shared.SchoolName}Acknowledged (role {Role}), in time", timeline);
        Assert.Contains("Could not be shared: No MASH in the directory for the local authority", timeline);
        Assert.DoesNotContain("delivery.", timeline);
        Assert.DoesNotContain(shared.School, timeline);
    }

    [Fact]
    public async Task The_timeline_shows_no_childs_or_adults_name_date_of_birth_or_address_nor_who_acknowledged_by_name()
    {
        var shared = await SharedAndAnchoredAsync();
        var url = (await ExportAsync(shared.Incident))["timeline"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url).AbsolutePath);
        request.Headers.Accept.ParseAdd("text/html");
        var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(shared.SchoolName, html);

        var people = shared.Submitted["children"]!.AsArray().Concat(shared.Submitted["adults"]!.AsArray()).Select(p => p!.AsObject()).ToList();
        var absent = new List<string> { shared.Acknowledger, shared.Submitted["summary"]!.GetValue<string>()[..30], shared.Submitted["officer"]!["name"]!.GetValue<string>() };
        foreach (var person in people)
        {
            absent.Add(person["givenName"]!.GetValue<string>());
            absent.Add(person["familyName"]!.GetValue<string>());
            absent.Add(person["policePersonReference"]!.GetValue<string>());
            var born = DateOnly.Parse(person["dateOfBirth"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            absent.AddRange([person["dateOfBirth"]!.GetValue<string>(), UkTime.Describe(born), UkTime.DescribeDate(born)]);
        }
        absent.Add(shared.Submitted["location"]!["postcodeDistrict"]!.GetValue<string>());
        foreach (var value in absent) Assert.DoesNotContain(value, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_forged_or_other_links_token_opens_no_evidence_but_the_not_valid_page_with_404()
    {
        var key = Convert.FromBase64String(LocalSettings.Value("Delivery__LinkSigningKey"));
        var incidentId = "inc_" + Guid.CreateVersion7().ToString("N");
        var later = DateTimeOffset.UtcNow.AddHours(1);
        var tokens = new Dictionary<string, string>
        {
            ["expired"] = LinkToken.Create(key, EvidenceLinks.Grant(incidentId, DateTimeOffset.UtcNow.AddMinutes(-1))),
            ["forged"] = LinkToken.Create(RandomNumberGenerator.GetBytes(32), EvidenceLinks.Grant(incidentId, later)),
            ["a dashboard link's"] = LinkToken.Create(key, DashboardGrants.For("partnership-somewhere", DashboardGrants.FirstNonce, later)),
            ["an email link's"] = LinkToken.Create(key, new LinkGrant(NotificationId.Format(incidentId, "school-100001"), LinkToken.NewNonce(), later)),
            ["no such incident's"] = LinkToken.Create(key, EvidenceLinks.Grant(incidentId, later)),
        };
        foreach (var (what, token) in tokens)
        {
            var refused = await hub.Http.GetAsync($"/api/evidence/{token}");
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{what}: {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Ask whoever exported the evidence for a new export", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        // An evidence link opens nothing else either.
        var evidence = tokens["no such incident's"];
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/links/{evidence}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/dashboard/{evidence}")).StatusCode);

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = new Uri(hub.Host.BaseAddress, $"/api/evidence/{tokens["expired"]}").ToString() }, new { check = "expired" },
            new { @goto = new Uri(hub.Host.BaseAddress, $"/api/evidence/{tokens["forged"]}").ToString() }, new { check = "forged" },
        ]);
        BrowserPages.AssertAccessible(seen);
        foreach (var check in seen.Checks.Values)
        {
            Assert.Equal(404, check.Status);
            Assert.Equal("This link is not valid – NotifyHub", check.Title);
            Assert.Contains("Ask whoever exported the evidence to export it again", check.Main);
            Assert.DoesNotContain(incidentId, check.Main);
        }
    }
}

/// <summary>The timeline's words for each event, and its summary of who was told: pure functions of the export's events.</summary>
public class EvidenceTimelineWordingTests
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["school-100001"] = "Synthetic Primary School", ["mash-840"] = "Synthetic MASH", ["hv-1"] = "Synthetic Health Visiting Team",
    };

    private static EvidenceEvent Event(long version, string type, DateTimeOffset at, string? subject, params (string Key, JsonNode? Value)[] data) =>
        new(version, type, at, subject, new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, d.Value))), new string('a', 64));

    [Fact]
    public void Every_event_type_the_ledger_records_is_told_in_plain_English_not_by_its_code()
    {
        var at = new DateTimeOffset(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);
        foreach (var type in LedgerEventTypes.All)
        {
            var words = EvidenceTimeline.Describe(Event(1, type, at, "school-100001"), Names);
            Assert.False(words.StartsWith("Recorded:", StringComparison.Ordinal), $"{type} has no words of its own: '{words}'");
            Assert.DoesNotContain(type, words);
        }
    }

    [Fact]
    public void Events_are_told_with_the_organisations_name_their_role_and_UK_times_never_their_codes()
    {
        var at = new DateTimeOffset(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);
        var due = at.AddHours(12);
        string Say(EvidenceEvent e) => EvidenceTimeline.Describe(e, Names);

        Assert.Equal("Shared the incident, due " + UkTime.Describe(due),
            Say(Event(1, LedgerEventTypes.DeliveryRouted, at, "school-100001", ("dueAt", LedgerEvent.Canonical(due)))));
        Assert.Equal("Delivered by webhook", Say(Event(2, LedgerEventTypes.Delivered, at, "school-100001", ("how", "accepted"), ("channel", "webhook"))));
        Assert.Equal("Acknowledged (role DSL), in time", Say(Event(3, LedgerEventTypes.Acknowledged, at, "school-100001", ("role", "DSL"), ("how", "api"), ("byDue", true))));
        Assert.Equal($"Marked late — was due {UkTime.Describe(due)}; has not been acknowledged",
            Say(Event(4, LedgerEventTypes.MarkedLate, at, "school-100001", ("dueAt", LedgerEvent.Canonical(due)), ("acknowledged", false))));
        Assert.Equal("Escalated to the partnership lead", Say(Event(5, LedgerEventTypes.AlertSent, at, "school-100001", ("to", "lead#1"), ("outcome", "sent"))));
        Assert.Equal("Decision recorded (version 2): No further action",
            Say(Event(6, LedgerEventTypes.DecisionRecorded, at, "mash-840", ("version", 2), ("outcome", "no-further-action"), ("nextSteps", 0))));
        Assert.Equal("Challenge 1 raised by Synthetic Primary School against decision version 2, to be answered by " + UkTime.Describe(due),
            Say(Event(7, LedgerEventTypes.ChallengeRaised, at, DeliveryKey.Challenge("mash-840", 1), ("challenge", 1), ("version", 2), ("by", "school-100001"),
                ("dueAt", LedgerEvent.Canonical(due)))));
        Assert.Equal("Personal data removed under the retention policy", Say(Event(8, LedgerEventTypes.ContentPurged, at, "school-100001")));
        Assert.Equal("Synthetic MASH", EvidenceTimeline.Who(Event(9, LedgerEventTypes.Acknowledged, at, DeliveryKey.DecisionDue("mash-840")), Names));
        Assert.Equal("Probation: NPS SPOC (none found)",
            EvidenceTimeline.Who(Event(10, LedgerEventTypes.ShareUnrouted, at, "probation|nps-spoc|c|a3", ("recipientType", "nps-spoc"), ("reason", "no-spoc-for-la")), Names));
    }

    [Fact]
    public void Who_was_told_lists_each_notification_sent_with_when_it_was_delivered_acknowledged_and_whether_it_was_late()
    {
        var at = new DateTimeOffset(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);
        var due = at.AddHours(2);
        var events = new[]
        {
            Event(1, LedgerEventTypes.DeliveryRouted, at, "school-100001", ("dueAt", LedgerEvent.Canonical(due))),
            Event(2, LedgerEventTypes.DeliveryRouted, at, "hv-1", ("dueAt", LedgerEvent.Canonical(due))),
            Event(3, LedgerEventTypes.DeliveryRouted, at, DeliveryKey.DecisionDue("mash-840"), ("dueAt", LedgerEvent.Canonical(due))),
            Event(4, LedgerEventTypes.Delivered, at.AddMinutes(1), "school-100001", ("how", "accepted"), ("channel", "webhook")),
            Event(5, LedgerEventTypes.Acknowledged, at.AddMinutes(30), "school-100001", ("role", "DSL"), ("how", "api"), ("byDue", true)),
            Event(6, LedgerEventTypes.MarkedLate, due.AddMinutes(1), "hv-1", ("dueAt", LedgerEvent.Canonical(due)), ("acknowledged", false)),
        };

        var told = EvidenceTimeline.Told(events, Names);

        // What the MASH owes is not something it was told: the timeline has it.
        Assert.Equal(["Synthetic Primary School", "Synthetic Health Visiting Team"], told.Select(t => t.Who));
        Assert.Equal(at.AddMinutes(1), told[0].DeliveredAt);
        Assert.Equal("acknowledged (role DSL)", told[0].AcknowledgedHow);
        Assert.Equal("On time", told[0].Timeliness(due.AddDays(1)));
        Assert.False(told[0].IsLate);
        Assert.True(told[1].IsLate);
        Assert.Equal($"Late — was due {UkTime.Describe(due)}, not yet acknowledged", told[1].Timeliness(due.AddDays(1)));
    }

    [Fact]
    public void A_record_that_fails_verification_says_so_first_and_marks_the_event_that_does_not_verify()
    {
        var at = new DateTimeOffset(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);
        var events = new[] { Event(1, LedgerEventTypes.DeliveryRouted, at, "school-100001"), Event(2, LedgerEventTypes.Delivered, at, "school-100001", ("how", "fetched")) };
        var failed = new VerifyReport(VerifyOutcome.Failed, "Event 2: its content does not match its hash: it was changed after it was written", []) { FailedEvent = 2 };

        var html = EvidenceTimelinePage.Body(new EvidenceTimelinePage.View("DEMO", "DEMO-2026-000123", failed, at, [], EvidenceTimeline.Entries(events, Names),
            EvidenceTimeline.Told(events, Names), at.AddHours(1), at));

        Assert.Contains("<strong class=\"govuk-tag govuk-tag--red\">Verification failed</strong> The record does not verify: Event 2: its content does not match its hash", html);
        Assert.Matches("<tr class=\"govuk-table__row\" data-event=\"2\">.*Does not verify", html);
        Assert.DoesNotMatch("<tr class=\"govuk-table__row\" data-event=\"1\">((?!</tr>).)*Does not verify", html);
    }
}
