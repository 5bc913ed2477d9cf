using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Decisions;

/// <summary>
/// The hub for the decisions' follow-ups: the lateness monitor's timer is off, and tests run it through the admin endpoint
/// with <c>asOf</c> days ahead, so whatever a test leaves unanswered goes late at once. Every scene has an LA of its own, a
/// lead of its own and emails of its own, so a run that judges another test's follow-ups too changes nothing a test looks at.
/// </summary>
public sealed class FollowUpHubFixture : DeliveryHubFixture
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["SlaMonitorSchedule"] = "0 0 0 1 1 *",
        ["DailyDigestSchedule"] = "0 0 0 1 1 *",
        ["ReconcileManifestsSchedule"] = "0 0 0 1 1 *",
    };
}

/// <summary>
/// A MASH's decision goes back to every agency involved, on their own channels, with receipts, due times, lateness and
/// escalation; any of them can challenge it, and an unanswered challenge escalates to the partnership lead (issue 19).
/// </summary>
public sealed partial class DecisionFollowUpTests(FollowUpHubFixture hub) : IClassFixture<FollowUpHubFixture>
{
    private static int _nextLa = 700;

    /// <param name="EmailSchool">A school on the email channel (its address <paramref name="EmailSchoolAddress"/>).</param>
    /// <param name="WebhookSchool">A school on the webhook channel, to <paramref name="Receiver"/>.</param>
    private sealed record Scene(
        string La, string Mash, string MashKey, string MashEmail, string Notification, string IncidentId, string EmailSchool, string EmailSchoolAddress,
        string WebhookSchool, string WebhookSchoolKey, WebhookReceiver Receiver, string Force, string ForceKey, string Reference, string LeadKey, string LeadEmail);

    /// <summary>An LA of its own with a MASH, two schools (one by email, one by webhook) and a lead, and the example incident (medium risk) routed to all three.</summary>
    private async Task<Scene> SceneAsync(WebhookReceiver receiver)
    {
        var la = Interlocked.Increment(ref _nextLa).ToString();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var mash = $"mash-{la}-{tag}";
        var mashEmail = $"{mash}@example.invalid";
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "inbox" },
            contacts = new[] { new { name = "MASH Manager", role = "Team manager", email = mashEmail } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var schoolAddress = $"dsl-{tag}@example.invalid";
        var (emailSchool, emailUrn) = await NewSchoolAsync(hub, new { kind = "email", email = schoolAddress });
        var (webhookSchool, webhookUrn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, webhookSchool);
        var (_, leadKey, leadEmail) = await TimelinessApi.NewLeadAsync(hub, [la]);
        var (force, forceKey) = await hub.NewForceAsync();
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", emailUrn).With("children[1].schoolUrn", webhookUrn)
            .With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var submitted = await RouteIncidentTests.SubmitAsync(hub, incident, force, forceKey);
        await RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        return new Scene(la, mash, await IssueKeyAsync(hub, mash), mashEmail, $"{submitted.IncidentId}.{mash}", submitted.IncidentId, emailSchool,
            schoolAddress, webhookSchool, await IssueKeyAsync(hub, webhookSchool), receiver, force, forceKey, submitted.Reference, leadKey, leadEmail);
    }

    private static object Decision(string rationale, string? stepOwner = null, int version = 0) => new
    {
        outcome = version == 0 ? "child-and-family-assessment" : "strategy-discussion",
        children = new[] { 0, 1 },
        decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        joint = true,
        jointWith = new[] { "police", "education" },
        rationale,
        nextSteps = stepOwner is null
            ? Array.Empty<object>()
            : [new { owner = stepOwner, action = "Offer the child a trusted adult", dueOn = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd") }],
    };

    private async Task<JsonElement> RecordAsync(Scene s, object decision)
    {
        var response = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Notification}/decisions", s.MashKey, decision);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The incident's deliveries as its force sees them, once <paramref name="done"/> holds.</summary>
    private async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(Scene s, Func<IReadOnlyList<JsonElement>, bool> done, string what) =>
        await Eventually.UntilAsync(async () =>
            (await RouteIncidentTests.StatusAsync(hub, s.Force, s.ForceKey, s.Reference)).GetProperty("deliveries").EnumerateArray().ToList(), l => done(l), what);

    private static JsonElement? Find(IReadOnlyList<JsonElement> deliveries, string notificationId) =>
        deliveries.Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("notificationId").GetString() == notificationId);

    private Task<JsonElement> RunMonitorDaysAheadAsync(int days) => TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(days));

    private async Task<IReadOnlyList<JsonElement>> EmailsAboutAsync(string address, string reference) =>
        (await hub.Mail.EmailsToAsync(address)).Where(e => e.GetProperty("text").GetString()!.Contains(reference, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_decision_goes_to_every_agency_involved_on_its_own_channel_cut_down_for_schools_and_unacknowledged_it_goes_late_and_is_escalated()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        const string rationale = "Synthetic rationale: repeat incidents and what the children said.";
        var recorded = await RecordAsync(s, Decision(rationale, stepOwner: s.EmailSchool));
        Assert.Equal(1, recorded.GetProperty("version").GetInt32());

        // The webhook school: a decision.shared event of its own, signed like every webhook, with the outcome and no rationale.
        var shareId = $"{s.IncidentId}.{s.WebhookSchool}~d1";
        var hook = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == shareId).ToList()), l => l.Count >= 1, "the decision webhook");
        var body = JsonDocument.Parse(hook[0].Body).RootElement;
        Assert.Equal("decision.shared", body.GetProperty("type").GetString());
        Assert.Equal(s.WebhookSchool, body.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("child-and-family-assessment", body.GetProperty("content").GetProperty("outcome").GetString());
        Assert.DoesNotContain(rationale, hook[0].Body, StringComparison.Ordinal);
        Assert.False(body.GetProperty("content").TryGetProperty("rationale", out _));

        // The email school: a secure link for the decision, and one for the next step it owns; neither email says what was decided.
        static bool Says(IReadOnlyList<JsonElement> emails, string subject) =>
            emails.Any(e => e.GetProperty("subject").GetString()!.Contains(subject, StringComparison.Ordinal));
        var emails = await Eventually.UntilAsync(() => EmailsAboutAsync(s.EmailSchoolAddress, s.Reference), l => Says(l, "a MASH decision") && Says(l, "a next step"),
            "the school's emails of the decision and the next step");
        Assert.Contains(emails, e => e.GetProperty("subject").GetString()!.Contains("a MASH decision about an incident", StringComparison.Ordinal));
        Assert.Contains(emails, e => e.GetProperty("subject").GetString()!.Contains("a next step", StringComparison.Ordinal));
        Assert.All(emails, e => Assert.DoesNotContain(rationale, e.GetRawText(), StringComparison.Ordinal));

        // The force gets it too (its inbox), and reads every follow-up's receipt in the incident's status; the MASH's own decision was due and is met.
        var forceShare = $"{s.IncidentId}.force-{s.Force.ToLowerInvariant()}~d1";
        var deliveries = await DeliveriesAsync(s, l => Find(l, shareId)?.GetProperty("status").GetString() == "delivered"
            && Find(l, $"{s.IncidentId}.{s.EmailSchool}~d1")?.GetProperty("status").GetString() == "delivered", "the decision delivered to both schools");
        Assert.NotNull(Find(deliveries, forceShare));
        Assert.Null(Find(deliveries, $"{s.IncidentId}.{s.Mash}~d1"));
        Assert.Equal("acknowledged", Find(deliveries, $"{s.IncidentId}.{s.Mash}~due")!.Value.GetProperty("status").GetString());
        var forceView = await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{forceShare}", s.ForceKey);
        Assert.Equal(HttpStatusCode.OK, forceView.StatusCode);
        var forceContent = (await forceView.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("content");
        Assert.Equal(rationale, forceContent.GetProperty("rationale").GetString());

        // Nobody acknowledges: each share goes late, the school is reminded and the partnership lead alerted, once.
        var run = await RunMonitorDaysAheadAsync(10);
        Assert.True(run.GetProperty("markedLate").GetInt32() >= 3, run.ToString());
        var reminders = await Eventually.UntilAsync(async () => (await EmailsAboutAsync(s.EmailSchoolAddress, s.Reference))
            .Where(e => e.GetProperty("subject").GetString()!.StartsWith("NotifyHub reminder", StringComparison.Ordinal)).ToList(),
            // The incident's own share is late too by then: wait for the decision's reminder and the next step's, whichever comes first.
            l => l.Any(e => e.GetProperty("subject").GetString()!.Contains("a MASH decision about an incident", StringComparison.Ordinal))
                && l.Any(e => e.GetProperty("text").GetString()!.Contains("has not been marked done", StringComparison.Ordinal)),
            "the school's reminders (decision and next step)");
        Assert.Contains(reminders, e => e.GetProperty("subject").GetString()!.Contains("a MASH decision about an incident", StringComparison.Ordinal)
            && e.GetProperty("text").GetString()!.Contains("has not been acknowledged", StringComparison.Ordinal));
        var alerts = await Eventually.UntilAsync(() => EmailsAboutAsync(s.LeadEmail, s.Reference),
            l => l.Any(a => a.GetProperty("text").GetString()!.Contains(shareId, StringComparison.Ordinal)), "the lead's alert about the decision");
        Assert.Contains(alerts, a => a.GetProperty("text").GetString()!.Contains(shareId, StringComparison.Ordinal));
        var late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        var lateShare = late.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("notificationId").GetString() == shareId);
        Assert.Equal("decision", lateShare.GetProperty("kind").GetString());
        Assert.Equal(s.WebhookSchool, lateShare.GetProperty("recipientId").GetString());
        Assert.Contains(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "next-step");

        // The lead's report: one version shared, judged, not acknowledged by every agency; the next step overdue.
        var report = await TimelinessApi.GetAsync(hub, "/api/reports/decisions", s.LeadKey);
        Assert.Equal(1, report.GetProperty("sharing").GetProperty("versions").GetInt32());
        Assert.Equal(0, report.GetProperty("sharing").GetProperty("acknowledgedByAllByDue").GetInt32());
        Assert.Equal(1, report.GetProperty("nextSteps").GetProperty("total").GetInt32());

        // Acknowledged late, it leaves the late list; the next step is marked done by acknowledging it.
        var ack = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/ack", s.WebhookSchoolKey,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } });
        Assert.Equal(HttpStatusCode.Created, ack.StatusCode);
        late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("notificationId").GetString() == shareId);
    }

    [Fact]
    public async Task A_challenge_nobody_answers_goes_late_and_escalates_to_the_partnership_lead_and_its_answer_reaches_every_recipient()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        await RecordAsync(s, Decision("Synthetic rationale."));
        var shareId = $"{s.IncidentId}.{s.WebhookSchool}~d1";

        // Only a decision's own recipient challenges it, through that decision's notification.
        var notMine = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.IncidentId}.{s.EmailSchool}~d1/challenge", s.WebhookSchoolKey,
            new { reason = "r", asks = "a" });
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        var incidentItself = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.IncidentId}.{s.WebhookSchool}/challenge", s.WebhookSchoolKey,
            new { reason = "r", asks = "a" });
        Assert.Equal(HttpStatusCode.NotFound, incidentItself.StatusCode);
        var bad = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", s.WebhookSchoolKey, new { reason = "", extra = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("reason", problem);
        Assert.Contains("asks", problem);
        Assert.Contains("extra", problem);

        var raised = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", s.WebhookSchoolKey,
            new { reason = "The school knows of two more incidents this term.", asks = "A child and family assessment." });
        Assert.True(raised.StatusCode == HttpStatusCode.Created, await raised.Content.ReadAsStringAsync());
        var challenge = await raised.Content.ReadFromJsonAsync<JsonElement>();
        var challengeId = challenge.GetProperty("challengeId").GetString()!;
        Assert.Equal($"{s.IncidentId}.{s.Mash}~c1", challengeId);
        Assert.Equal(1, challenge.GetProperty("version").GetInt32());
        var again = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", s.WebhookSchoolKey,
            new { reason = "Again.", asks = "Again." });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(challengeId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString());

        // It goes to the MASH's manager contact by secure email link (the MASH itself takes notifications in its inbox)...
        await Eventually.UntilAsync(() => EmailsAboutAsync(s.MashEmail, s.Reference),
            l => l.Any(e => e.GetProperty("subject").GetString()!.Contains("a challenge to your MASH's decision", StringComparison.Ordinal)), "the challenge emailed to the manager");
        // ...and the MASH finds it in its inbox too, and reads it; it is answered, not acknowledged.
        var inbox = await Eventually.UntilAsync(async () => await (await SendAsync(hub, HttpMethod.Get, "/api/inbox", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>(),
            i => i.GetProperty("items").EnumerateArray().Any(n => n.GetProperty("notificationId").GetString() == challengeId), "the challenge in the MASH's inbox");
        Assert.Equal("challenge", inbox.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("notificationId").GetString() == challengeId)
            .GetProperty("kind").GetString());
        var read = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{challengeId}", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The school knows of two more incidents this term.", read.GetProperty("content").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/ack", s.MashKey,
            new { acknowledgedBy = new { name = "A Person", role = "Manager" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{challengeId}", s.WebhookSchoolKey)).StatusCode);

        // Nobody answers in two working days: late, the MASH reminded and the partnership lead alerted (stage 2).
        await RunMonitorDaysAheadAsync(10);
        var stage2 = await Eventually.UntilAsync(async () => (await EmailsAboutAsync(s.LeadEmail, s.Reference))
            .Where(e => e.GetProperty("subject").GetString()!.Contains("stage 2", StringComparison.Ordinal)).ToList(), l => l.Count >= 1, "the stage 2 alert");
        Assert.Contains(challengeId, stage2[0].GetProperty("text").GetString());
        await Eventually.UntilAsync(async () => (await EmailsAboutAsync(s.MashEmail, s.Reference))
            .Where(e => e.GetProperty("text").GetString()!.Contains("has not been answered", StringComparison.Ordinal)).ToList(), l => l.Count >= 1, "the MASH's reminder");
        var late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        Assert.Equal("challenge", late.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("notificationId").GetString() == challengeId)
            .GetProperty("kind").GetString());

        // Upheld: the MASH records a new version (shared like any) and answers with it; the answer goes to the challenger and the other school.
        var notYet = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", s.MashKey,
            new { response = "upheld", reasons = "r", newVersion = 2, respondedBy = new { name = "A Manager", role = "MASH team manager" } });
        Assert.Equal(HttpStatusCode.BadRequest, notYet.StatusCode);
        Assert.Contains("newVersion", await notYet.Content.ReadAsStringAsync());
        await RecordAsync(s, Decision("Synthetic rationale, reconsidered.", version: 2));
        var answered = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", s.MashKey,
            new { response = "upheld", reasons = "The school's information changes the picture.", newVersion = 2,
                respondedBy = new { name = "A Manager", role = "MASH team manager" } });
        Assert.True(answered.StatusCode == HttpStatusCode.Created, await answered.Content.ReadAsStringAsync());
        var answer = await answered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("sentTo").GetInt32() >= 3, answer.ToString()); // both schools and the force
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", s.MashKey,
            new { response = "not-upheld", reasons = "r", respondedBy = new { name = "A", role = "B" } })).StatusCode);

        var responseId = $"{s.IncidentId}.{s.WebhookSchool}~r1";
        var hook = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == responseId).ToList()), l => l.Count >= 1, "the answer's webhook");
        var body = JsonDocument.Parse(hook[0].Body).RootElement;
        Assert.Equal("challenge.answered", body.GetProperty("type").GetString());
        Assert.Equal("upheld", body.GetProperty("content").GetProperty("response").GetString());
        Assert.Equal(2, body.GetProperty("content").GetProperty("newVersion").GetInt32());
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count(r => r.Id == $"{s.IncidentId}.{s.WebhookSchool}~d2")), n => n >= 1,
            "the new version's webhook");
        await Eventually.UntilAsync(() => EmailsAboutAsync(s.EmailSchoolAddress, s.Reference),
            l => l.Any(e => e.GetProperty("subject").GetString()!.Contains("response to a challenge", StringComparison.Ordinal)), "the answer emailed to the other school");
        late = await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey);
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("notificationId").GetString() == challengeId);

        // The lead's decision report counts it: raised by a school, answered, upheld; and says the same as CSV.
        var report = await Eventually.UntilAsync(async () => await TimelinessApi.GetAsync(hub, "/api/reports/decisions", s.LeadKey),
            r => r.GetProperty("challenges").GetProperty("answered").GetInt32() == 1, "the answered challenge in the lead's report");
        var challenges = report.GetProperty("challenges");
        Assert.Equal((1, 1, 0, 0), (challenges.GetProperty("raised").GetInt32(), challenges.GetProperty("upheld").GetInt32(),
            challenges.GetProperty("open").GetInt32(), challenges.GetProperty("notUpheld").GetInt32()));
        Assert.Equal(1, challenges.GetProperty("byAgencyType").GetProperty("school").GetInt32());
        Assert.Equal(2, report.GetProperty("sharing").GetProperty("versions").GetInt32());
        var csv = await (await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions?format=csv", s.LeadKey)).Content.ReadAsStringAsync();
        Assert.Contains(",challengesUpheld,,1", csv);
        Assert.Contains(",challengesByAgencyType,school,1", csv);
        Assert.DoesNotContain("Synthetic rationale", csv);

        var audit = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?action=challenge.answered", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.Mash);
    }

    [Fact]
    public async Task A_decision_the_MASH_does_not_record_in_time_goes_late_and_escalates_to_the_partnership_lead_until_it_is_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        var dueId = $"{s.IncidentId}.{s.Mash}~due";
        var due = Find(await DeliveriesAsync(s, l => Find(l, dueId) is not null, "the decision due from the MASH"), dueId)!.Value;
        Assert.True(due.GetProperty("dueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23), due.ToString());

        await RunMonitorDaysAheadAsync(2);
        var alert = await Eventually.UntilAsync(async () => (await EmailsAboutAsync(s.LeadEmail, s.Reference))
            .Where(e => e.GetProperty("subject").GetString()!.Contains("a decision overdue", StringComparison.Ordinal)).ToList(), l => l.Count >= 1, "the lead's alert");
        Assert.Contains("has no decision recorded", alert[0].GetProperty("text").GetString());
        await Eventually.UntilAsync(async () => (await EmailsAboutAsync(s.MashEmail, s.Reference))
            .Where(e => e.GetProperty("text").GetString()!.Contains("record the decision", StringComparison.Ordinal)).ToList(), l => l.Count >= 1, "the MASH's reminder");
        Assert.Contains((await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey)).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("notificationId").GetString() == dueId && i.GetProperty("kind").GetString() == "decision-due");

        await RecordAsync(s, Decision("Synthetic rationale."));
        var met = Find(await DeliveriesAsync(s, l => Find(l, dueId)?.GetProperty("status").GetString() == "acknowledged", "the decision recorded"), dueId)!.Value;
        Assert.True(met.GetProperty("lateBySeconds").GetInt64() > 0 || met.GetProperty("lateAt").ValueKind != JsonValueKind.Null);
        Assert.DoesNotContain((await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey)).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("notificationId").GetString() == dueId);
    }
}
