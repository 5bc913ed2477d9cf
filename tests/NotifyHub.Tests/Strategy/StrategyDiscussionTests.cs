using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NotifyHub.Tests.Decisions;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Strategy;

/// <summary>The hub for strategy discussions: the lateness monitor's timer off, run through the admin endpoint with a clock ahead.</summary>
public sealed class StrategyHubFixture : Delivery.DeliveryHubFixture
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["SlaMonitorSchedule"] = "0 0 0 1 1 *",
        ["DailyDigestSchedule"] = "0 0 0 1 1 *",
        ["ReconcileManifestsSchedule"] = "0 0 0 1 1 *",
    };
}

/// <summary>
/// A strategy discussion (issue 20, docs/strategy-discussions.md): a MASH's decision of strategy-discussion opens one; the chair
/// schedules it and every agency involved, both probation SPOCs and the force are invited; they answer and send what
/// they know; the chair records it held; the minutes reach every invitee, attended or not — each with a receipt, a due
/// time, lateness and escalation.
/// </summary>
public sealed partial class StrategyDiscussionTests(StrategyHubFixture hub) : IClassFixture<StrategyHubFixture>
{
    private static int _nextLa = 760;

    private sealed record Scene(string La, string Mash, string MashKey, string IncidentId, string Notification, string School, string SchoolKey, string Nps,
        string NpsKey, string NpsEmail, string Crc, string CrcKey, string CrcEmail, string Force, string ForceKey, string ForceId, string Reference, string LeadKey,
        string LeadEmail, WebhookReceiver Receiver)
    {
        public string Due => $"{IncidentId}.{Mash}~s1";
        public string Invitation(string org) => $"{IncidentId}.{org}~i1";
        public string Minutes(string org) => $"{IncidentId}.{org}~m1";
    }

    private async Task<(string Id, string Key, string Email)> TeamAsync(string type, string la, string tag)
    {
        var id = $"{type}-{la}-{tag}";
        var email = $"{id}@example.invalid";
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id, type, name = $"Synthetic {type} {la}", laCode = la, channel = new { kind = "inbox" },
            contacts = new[] { new { name = "Synthetic Duty Officer", role = type == "mash" ? "MASH team manager" : "Duty officer", email } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (id, await IssueKeyAsync(hub, id), email);
    }

    private async Task<Scene> SceneAsync(WebhookReceiver receiver, string risk = "medium")
    {
        var la = Interlocked.Increment(ref _nextLa).ToString();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (mash, mashKey, _) = await TeamAsync("mash", la, tag);
        var (nps, npsKey, npsEmail) = await TeamAsync("nps-spoc", la, tag);
        var (crc, crcKey, crcEmail) = await TeamAsync("crc-spoc", la, tag);
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        var (_, leadKey, leadEmail) = await TimelinessApi.NewLeadAsync(hub, [la]);
        var (force, forceKey) = await hub.NewForceAsync();
        // The younger child's GP practice is in the directory (an LA of its own gives it an ODS code of its own).
        var gpCode = $"A9{la}1";
        var gp = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = "gp-" + gpCode.ToLowerInvariant(), type = "gp-practice", name = "Synthetic Surgery " + la, odsCode = gpCode, laCode = la, channel = new { kind = "inbox" },
        });
        Assert.True(gp.StatusCode == HttpStatusCode.Created, await gp.Content.ReadAsStringAsync());
        var incident = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la).With("riskLevel", risk)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", gpCode)
            .With("adults[1].probation", null);
        var submitted = await RouteIncidentTests.SubmitAsync(hub, incident, force, forceKey);
        await RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        var notification = $"{submitted.IncidentId}.{mash}";
        var decided = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notification}/decisions", mashKey, new
        {
            outcome = "strategy-discussion", decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1), joint = true, jointWith = new[] { "police" },
            rationale = "Synthetic rationale.",
        });
        Assert.True(decided.StatusCode == HttpStatusCode.Created, await decided.Content.ReadAsStringAsync());
        return new Scene(la, mash, mashKey, submitted.IncidentId, notification, school, await IssueKeyAsync(hub, school), nps, npsKey, npsEmail, crc, crcKey, crcEmail,
            force, forceKey, "force-" + force.ToLowerInvariant(), submitted.Reference, leadKey, leadEmail, receiver);
    }

    private async Task<JsonElement> PostAsync(string path, string key, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await SendAsync(hub, HttpMethod.Post, path, key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {path}: {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    private async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(Scene s, Func<IReadOnlyList<JsonElement>, bool> done, string what) =>
        await Eventually.UntilAsync(async () =>
            (await RouteIncidentTests.StatusAsync(hub, s.Force, s.ForceKey, s.Reference)).GetProperty("deliveries").EnumerateArray().ToList(), l => done(l), what);

    private static JsonElement? Find(IReadOnlyList<JsonElement> deliveries, string notificationId) =>
        deliveries.Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("notificationId").GetString() == notificationId);

    private async Task<IReadOnlyList<JsonElement>> EmailsAboutAsync(string address, string reference) =>
        (await hub.Mail.EmailsToAsync(address)).Where(e => e.GetProperty("text").GetString()!.Contains(reference, StringComparison.Ordinal)).ToList();

    private static object Meeting(DateTimeOffset at) => new { at, how = "video", joiningDetails = "Synthetic video link: https://example.invalid/meet/123" };

    [Fact]
    public async Task A_strategy_discussion_is_opened_by_the_decision_scheduled_with_both_probation_SPOCs_invited_answered_held_and_its_minutes_reach_every_invitee()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);

        // Opened by the decision: due to be held within 3 working days (medium risk), from the chair.
        var due = Find(await DeliveriesAsync(s, l => Find(l, s.Due) is not null, "the discussion due from the chair"), s.Due)!.Value;
        Assert.Equal("strategy-due", due.GetProperty("kind").GetString());
        Assert.True(due.GetProperty("dueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(2), due.ToString());

        // Only the chair schedules it; bad fields are named.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Due}/schedule", s.SchoolKey, Meeting(DateTimeOffset.UtcNow.AddDays(1)))).StatusCode);
        var bad = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Due}/schedule", s.MashKey, new { at = "yesterday", how = "pigeon", add = new[] { "no-such-org" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("\"at\"", problem);
        Assert.Contains("\"how\"", problem);

        var meetingAt = DateTimeOffset.UtcNow.AddDays(1);
        var scheduled = await PostAsync($"/api/notifications/{s.Due}/schedule", s.MashKey, Meeting(meetingAt));
        var invited = scheduled.GetProperty("invitees").EnumerateArray().ToDictionary(i => i.GetProperty("organisationId").GetString()!, i => i.GetProperty("why").GetString());
        Assert.Equal("received", invited[s.School]);
        Assert.Equal("force", invited[s.ForceId]);
        Assert.Equal("probation", invited[s.Nps]);
        Assert.Equal("probation", invited[s.Crc]);
        Assert.Equal("gp-practice", invited[$"gp-a9{s.La}1"]);
        Assert.False(invited.ContainsKey(s.Mash));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Due}/schedule", s.MashKey, Meeting(meetingAt))).StatusCode);

        // The school's webhook: an invitation of its own type, with when and how.
        var hook = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == s.Invitation(s.School)).ToList()), l => l.Count >= 1, "the invitation webhook");
        var body = JsonDocument.Parse(hook[0].Body).RootElement;
        Assert.Equal("strategy.invited", body.GetProperty("type").GetString());
        Assert.Equal("video", body.GetProperty("content").GetProperty("how").GetString());
        Assert.EndsWith("/answer", body.GetProperty("links").GetProperty("acknowledge").GetString());

        // Answers and information: the NPS attends and sends what it knows; the school cannot come; the CRC says nothing.
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/answer", s.NpsKey, new { answer = "attending", by = new { name = "A Person", role = "NPS SPOC" } });
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/answer", s.NpsKey, new { answer = "cannot-attend", by = new { name = "A Person", role = "NPS SPOC" } },
            HttpStatusCode.OK);
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/information", s.NpsKey, new { text = "Synthetic: the adult is known to the NPS." });
        await PostAsync($"/api/notifications/{s.Invitation(s.School)}/answer", s.SchoolKey, new { answer = "cannot-attend", by = new { name = "A Teacher", role = "DSL" } });
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Invitation(s.School)}/ack", s.SchoolKey,
            new { acknowledgedBy = new { name = "A", role = "B" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Invitation(s.Nps)}/answer", s.SchoolKey,
            new { answer = "attending", by = new { name = "A", role = "B" } })).StatusCode);

        // The chair and the invitees see who answered and what was sent; nobody else does; every read is audited.
        var seen = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Invitation(s.School)}/strategy", s.SchoolKey)).Content.ReadFromJsonAsync<JsonElement>();
        var answers = seen.GetProperty("invitees").EnumerateArray().ToDictionary(i => i.GetProperty("organisationId").GetString()!, i => i);
        Assert.Equal("attending", answers[s.Nps].GetProperty("answer").GetString());
        Assert.Equal(JsonValueKind.Null, answers[s.Crc].GetProperty("answer").ValueKind);
        Assert.True(seen.GetProperty("information").GetArrayLength() == 1, seen.ToString());
        var information = seen.GetProperty("information")[0];
        Assert.Equal("Synthetic: the adult is known to the NPS.", information.GetProperty("text").GetString());
        var (outsider, _) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var outsiderKey = await IssueKeyAsync(hub, outsider);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Invitation(s.School)}/strategy", outsiderKey)).StatusCode);
        var reads = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?action=strategy.read", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reads.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.School);

        // Unanswered two hours before the meeting: the CRC is reminded; the partnership is not alerted about an invitation.
        await TimelinessApi.RunMonitorAsync(hub, meetingAt.AddMinutes(-90));
        await Eventually.UntilAsync(() => EmailsAboutAsync(s.CrcEmail, s.Reference),
            l => l.Any(e => e.GetProperty("subject").GetString()!.StartsWith("NotifyHub reminder", StringComparison.Ordinal)), "the CRC's reminder");

        // Held: the NPS and the force attended; an action for the school; what was due from the chair is met.
        var held = await PostAsync($"/api/notifications/{s.Due}/held", s.MashKey, new
        {
            heldAt = DateTimeOffset.UtcNow, attended = new[] { s.Nps, s.ForceId }, outcome = "section-47-enquiry",
            actions = new[] { new { owner = s.School, action = "Synthetic: share attendance records", dueOn = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") } },
        });
        Assert.Equal("section-47-enquiry", held.GetProperty("held").GetProperty("outcome").GetString());
        var badHeld = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Due}/held", s.MashKey, new { heldAt = DateTimeOffset.UtcNow, outcome = "x" });
        Assert.Equal(HttpStatusCode.Conflict, badHeld.StatusCode);
        var afterHeld = await DeliveriesAsync(s, l => Find(l, s.Due)?.GetProperty("status").GetString() == "acknowledged"
            && Find(l, $"{s.IncidentId}.{s.School}~a1-1") is not null, "the discussion held and the action sent");

        // The minutes go to every invitee, attended or not, and reach the school's webhook.
        await PostAsync($"/api/notifications/{s.Due}/minutes", s.MashKey, new { text = "Synthetic minutes: a section 47 enquiry is to start." });
        var minutesHook = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == s.Minutes(s.School)).ToList()), l => l.Count >= 1, "the minutes webhook");
        Assert.Equal("strategy.minutes-shared", JsonDocument.Parse(minutesHook[0].Body).RootElement.GetProperty("type").GetString());
        var withMinutes = await DeliveriesAsync(s, l => Find(l, s.Minutes(s.Crc)) is not null && Find(l, s.Minutes(s.Nps)) is not null
            && Find(l, s.Minutes(s.ForceId)) is not null, "the minutes to every invitee");
        Assert.Null(Find(withMinutes, s.Minutes(s.Mash)));
        var text = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Minutes(s.Crc)}/minutes", s.CrcKey)).Content.ReadAsStringAsync();
        Assert.Equal("Synthetic minutes: a section 47 enquiry is to start.", text);

        // Nobody acknowledges the minutes: late, reminded, and the partnership lead alerted.
        await TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(6));
        await Eventually.UntilAsync(() => EmailsAboutAsync(s.LeadEmail, s.Reference),
            l => l.Any(e => e.GetProperty("text").GetString()!.Contains(s.Minutes(s.Crc), StringComparison.Ordinal)), "the lead's alert about the CRC's minutes");
        Assert.DoesNotContain(await EmailsAboutAsync(s.LeadEmail, s.Reference), e => e.GetProperty("text").GetString()!.Contains(s.Invitation(s.Crc), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_strategy_discussion_not_held_in_time_goes_late_and_escalates_to_the_partnership_lead_and_a_high_risk_one_is_due_within_a_working_day()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver, risk: "high");
        var due = Find(await DeliveriesAsync(s, l => Find(l, s.Due) is not null, "the discussion due"), s.Due)!.Value;
        Assert.True(due.GetProperty("dueAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddDays(4), due.ToString());

        await TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(6));
        var alert = await Eventually.UntilAsync(() => EmailsAboutAsync(s.LeadEmail, s.Reference),
            l => l.Any(e => e.GetProperty("text").GetString()!.Contains(s.Due, StringComparison.Ordinal)), "the lead's alert");
        Assert.Contains(alert, e => e.GetProperty("text").GetString()!.Contains("has not been recorded as held", StringComparison.Ordinal));
        Assert.Contains((await TimelinessApi.GetAsync(hub, "/api/reports/late", s.LeadKey)).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("notificationId").GetString() == s.Due && i.GetProperty("kind").GetString() == "strategy-due");
    }

    [Fact]
    public async Task Minutes_as_a_PDF_are_kept_in_blob_storage_read_back_byte_for_byte_by_an_invitee_and_anything_else_is_refused()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        await PostAsync($"/api/notifications/{s.Due}/schedule", s.MashKey, Meeting(DateTimeOffset.UtcNow.AddHours(3)));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.Due}/minutes", s.MashKey, new { text = "too soon" })).StatusCode);
        await PostAsync($"/api/notifications/{s.Due}/held", s.MashKey, new { heldAt = DateTimeOffset.UtcNow, attended = new[] { s.Nps }, outcome = "no-further-action" });

        async Task<HttpResponseMessage> PdfAsync(byte[] bytes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{s.Due}/minutes") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new("application/pdf");
            request.Headers.Add("X-Api-Key", s.MashKey);
            return await hub.Http.SendAsync(request);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await PdfAsync(Encoding.UTF8.GetBytes("not a pdf at all"))).StatusCode);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Synthetic minutes\n%%EOF\n");
        Assert.Equal(HttpStatusCode.Created, (await PdfAsync(pdf)).StatusCode);

        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/notifications/{s.Minutes(s.Nps)}/minutes");
        read.Headers.Add("X-Api-Key", s.NpsKey);
        var response = await hub.Http.SendAsync(read);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Minutes(s.Nps)}/minutes", s.SchoolKey)).StatusCode);
    }
}
