using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>Due times stored at routing, lateness, escalation and the deadline-aware fallback, end to end through the hub.</summary>
public class DueTimeAndLatenessTests(TimelinessHubFixture hub) : IClassFixture<TimelinessHubFixture>
{
    [Fact]
    public async Task A_share_reported_after_school_on_a_Tuesday_in_term_is_due_at_0830_the_next_morning_on_the_LAs_calendar()
    {
        var (school, urn, _) = await NewSchoolAsync(hub);
        // Reported 17:15 UTC (17:15 in November, GMT) on Tuesday 24 November 2026, inside LA 840's Autumn 2 term.
        var incident = await SubmitAsync(hub, urn, new DateTimeOffset(2026, 11, 24, 18, 0, 0, TimeSpan.Zero));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.Zero), delivery.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("next-school-day 08:30", delivery.GetProperty("dueRule").GetString());
        Assert.False(delivery.GetProperty("dueGuessed").GetBoolean());
    }

    [Fact]
    public async Task A_share_reported_on_the_last_day_of_the_autumn_term_is_due_on_the_first_day_of_the_spring_term()
    {
        var (school, urn, _) = await NewSchoolAsync(hub);
        // Friday 19 December 2025 after school, the last day of LA 840's autumn term: the Christmas holidays and three bank
        // holidays follow; the spring term starts on Monday 5 January 2026.
        var incident = await SubmitAsync(hub, urn, new DateTimeOffset(2025, 12, 19, 19, 0, 0, TimeSpan.Zero));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 30, 0, TimeSpan.Zero), delivery.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_school_in_an_LA_without_a_term_calendar_gets_a_guessed_due_time_and_the_LA_is_listed_as_missing_its_calendar()
    {
        var la = Random.Shared.Next(700, 799).ToString();
        var (school, urn, _) = await NewSchoolAsync(hub, la: la);
        // Friday 23 October 2026 evening: LA 840 is on half term the week after, but this LA has no calendar, so weekdays are guessed.
        var incident = await SubmitAsync(hub, urn, new DateTimeOffset(2026, 10, 23, 19, 0, 0, TimeSpan.Zero), la: la);
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");

        Assert.True(delivery.GetProperty("dueGuessed").GetBoolean());
        // Monday 26 October 08:30 London is 08:30 UTC: the clocks went back on the Sunday.
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 8, 30, 0, TimeSpan.Zero), delivery.GetProperty("dueAt").GetDateTimeOffset());
        var calendars = await GetAsync(hub, "/api/admin/calendars", hub.AdminKey);
        Assert.Contains(la, calendars.GetProperty("lasWithoutTermCalendar").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("840", calendars.GetProperty("lasWithoutTermCalendar").EnumerateArray().Select(e => e.GetString()));
        var health = await GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.Contains(la, health.GetProperty("lasWithoutTermCalendar").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_share_not_acknowledged_by_its_due_time_is_marked_late_and_escalated_once_to_the_recipient_and_the_escalation_contact()
    {
        // This school's shares are due an hour after they are reported; this one was reported 70 minutes ago.
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub, TimelinessHubFixture.LateSchoolUrn);
        var (_, leadKey, leadEmail) = await NewLeadAsync(hub, ["840"], ["school"]);
        var (_, otherLeadKey, otherLeadEmail) = await NewLeadAsync(hub, ["841"]);
        var now = DateTimeOffset.UtcNow;
        var incident = await SubmitAsync(hub, urn, now.AddMinutes(-25));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var notification = delivery.GetProperty("notificationId").GetString()!;
        Assert.True(delivery.GetProperty("dueAt").GetDateTimeOffset() < now);

        // Already due when it was routed: the monitor's next run judges it.
        var run = await RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.True(run.GetProperty("markedLate").GetInt32() >= 1, run.ToString());
        await Eventually.UntilAsync(() => hub.Logs!.Entries.Select(e => e.Message).ToList(),
            l => l.Any(m => m.EndsWith($"{notification} (school) is late: due {London(delivery.GetProperty("dueAt").GetDateTimeOffset())}, not acknowledged", StringComparison.Ordinal)),
            "the lateness log line");

        var reminder = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(schoolEmail), e => e.Count >= 1, "the reminder to the school");
        // The lead covers every school of LA 840, so it may be alerted about other tests' late shares too: this one's names its reference.
        async Task<IReadOnlyList<JsonElement>> AlertsAsync() =>
            (await hub.Mail.EmailsToAsync(leadEmail)).Where(e => e.GetProperty("text").GetString()!.Contains(incident.Reference, StringComparison.Ordinal)).ToList();
        var alert = await Eventually.UntilAsync(AlertsAsync, e => e.Count >= 1, "the alert to the escalation contact");
        Assert.Contains("overdue", reminder[0].GetProperty("subject").GetString());
        var childName = (await StatusChildNamesAsync(incident)).ToList();
        foreach (var email in reminder.Concat(alert))
        {
            foreach (var name in childName) Assert.DoesNotContain(name, email.GetRawText(), StringComparison.Ordinal);
        }
        Assert.Empty(await hub.Mail.EmailsToAsync(otherLeadEmail));

        // Once: a second run finds it already late. Its ledger says so — one marking, one escalation — and an escalation sends
        // only within the one that claimed it, so no email can follow.
        await RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddMinutes(2));
        var events = await Eventually.UntilAsync(() => EventsAsync(incident.IncidentId, school), e => e.Contains("escalation.alert-sent"), "the alert recorded");
        Assert.Single(events, e => e == "delivery.marked-late");
        Assert.Single(events, e => e == "escalation.started");
        Assert.Single(events, e => e == "escalation.reminder-sent");
        Assert.Single(await hub.Mail.EmailsToAsync(schoolEmail));
        Assert.Single(await AlertsAsync());

        // The late list: the lead for LA 840 and the force see it; the lead for another LA and another force do not.
        Assert.Contains(notification, LateIds(await GetAsync(hub, "/api/reports/late", leadKey)));
        Assert.Contains(notification, LateIds(await GetAsync(hub, "/api/reports/late", incident.Key)));
        Assert.DoesNotContain(notification, LateIds(await GetAsync(hub, "/api/reports/late", otherLeadKey)));
        var (_, otherForceKey) = await hub.NewForceAsync();
        Assert.DoesNotContain(notification, LateIds(await GetAsync(hub, "/api/reports/late", otherForceKey)));

        // Acknowledged late: it leaves the late list, and the force sees by how much it was late.
        var schoolKey = await DeliveryApi.IssueKeyAsync(hub, school);
        var ack = await DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notification}/ack", schoolKey,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } });
        Assert.Equal(HttpStatusCode.Created, ack.StatusCode);
        Assert.DoesNotContain(notification, LateIds(await GetAsync(hub, "/api/reports/late", leadKey)));
        var acknowledged = await DeliveryApi.DeliveryAsync(hub, incident, school, d => DeliveryApi.Status(d) == "acknowledged", "the acknowledgement");
        Assert.True(acknowledged.GetProperty("lateBySeconds").GetInt64() >= 9 * 60, acknowledged.ToString());
        Assert.NotEqual(JsonValueKind.Null, acknowledged.GetProperty("lateAt").ValueKind);
    }

    [Fact]
    public async Task A_share_acknowledged_before_its_due_time_is_on_time_and_nobody_is_chased()
    {
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow);
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var notification = delivery.GetProperty("notificationId").GetString()!;
        var key = await DeliveryApi.IssueKeyAsync(hub, school);
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notification}/ack", key,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } })).EnsureSuccessStatusCode();

        await RunMonitorAsync(hub, delivery.GetProperty("dueAt").GetDateTimeOffset().AddMinutes(1));
        var after = await DeliveryApi.DeliveryAsync(hub, incident, school, d => DeliveryApi.Status(d) == "acknowledged", "the acknowledgement");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("lateAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("lateBySeconds").ValueKind);
        Assert.DoesNotContain(notification, LateIds(await GetAsync(hub, "/api/reports/late", hub.AdminKey)));
        Assert.Empty(await hub.Mail.EmailsToAsync(schoolEmail));
    }

    [Fact]
    public async Task A_share_acknowledged_after_its_due_time_is_marked_late_off_the_late_list_and_logged_as_acknowledged_late_with_both_times_in_UK_time()
    {
        var (school, urn, _) = await NewSchoolAsync(hub, TimelinessHubFixture.AcknowledgedLateSchoolUrn);
        // Due an hour after it is reported, reported 70 minutes ago: acknowledged about 10 minutes late, before any monitor run.
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var notification = delivery.GetProperty("notificationId").GetString()!;
        var dueAt = delivery.GetProperty("dueAt").GetDateTimeOffset();
        var key = await DeliveryApi.IssueKeyAsync(hub, school);
        var ack = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notification}/ack", key,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } }), HttpStatusCode.Created);
        var acknowledgedAt = ack.GetProperty("acknowledged").GetProperty("at").GetDateTimeOffset();

        await RunMonitorAsync(hub, DateTimeOffset.UtcNow);

        var lines = await Eventually.UntilAsync(() => hub.Logs!.Entries.Select(e => e.Message).Where(m => m.Contains(notification + " (school) is late", StringComparison.Ordinal)).ToList(),
            l => l.Count > 0, "the lateness log line");
        var line = Assert.Single(lines);
        Assert.EndsWith($" is late: due {London(dueAt)}, acknowledged late, at {London(acknowledgedAt)}", line);
        Assert.DoesNotContain("A Person", line);
        Assert.Contains("delivery.marked-late", await EventsAsync(incident.IncidentId, school));
        Assert.DoesNotContain(notification, LateIds(await GetAsync(hub, "/api/reports/late", hub.AdminKey)));
    }

    [Fact]
    public async Task An_incidents_status_shows_lateAt_and_lateBySeconds_together_only_once_the_SLA_monitor_has_judged_a_past_due_share_late()
    {
        var (school, urn, _) = await NewSchoolAsync(hub, TimelinessHubFixture.JudgedStatusSchoolUrn);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25));
        var before = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");

        // Ten minutes past due, and not judged yet (this hub's SlaMonitor timer is off): the status claims no lateness of its own.
        Assert.True(before.GetProperty("dueAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddMinutes(-9), before.ToString());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lateAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lateBySeconds").ValueKind);

        await RunMonitorAsync(hub, DateTimeOffset.UtcNow);
        var after = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("lateAt").ValueKind != JsonValueKind.Null, "the share judged late");
        Assert.True(after.GetProperty("lateBySeconds").GetInt64() >= 9 * 60, after.ToString());
    }

    /// <summary>An instant as the hub writes times for people (UK wall-clock time, day first), by the machine's own tz data.</summary>
    private static string London(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (UK time)";

    [Fact]
    public async Task A_webhook_that_fails_close_to_the_due_time_falls_back_to_the_secure_email_at_once_instead_of_retrying()
    {
        await using var receiver = await WebhookReceiver.StartAsync((context, _) => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        // Due an hour after it is reported, reported 45 minutes ago: 15 minutes left, inside the 30-minute fallback lead.
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub, TimelinessHubFixture.FallbackSchoolUrn, channel: new { kind = "webhook", url = receiver.Url });
        await DeliveryApi.RotateSecretAsync(hub, school);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow);
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => DeliveryApi.Status(d) == "delivered", "delivery by email");

        Assert.Equal("email", delivery.GetProperty("channel").GetString());
        var channels = delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("channel").GetString()).ToList();
        Assert.Equal(["webhook", "email"], channels); // three webhook attempts a channel otherwise (the fixture's AttemptsPerChannel)
        Assert.Single(await hub.Mail.EmailsToAsync(schoolEmail));
    }

    private static IEnumerable<string?> LateIds(JsonElement late) => late.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("notificationId").GetString());

    private async Task<IEnumerable<string>> StatusChildNamesAsync((string Force, string Key, string Reference, string IncidentId) incident,
        string school = "school-" + TimelinessHubFixture.LateSchoolUrn)
    {
        _ = await RouteIncidentTests.StatusAsync(hub, incident.Force, incident.Key, incident.Reference);
        // The children's given names are unique per test (WithUniqueChildren): read them back from the stored content.
        var content = await TestStores.ContentAsync(hub.Tables, incident.IncidentId, school);
        var json = JsonDocument.Parse(content!.ToString()).RootElement;
        return json.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("givenName").GetString()!);
    }

    [Fact]
    public async Task Two_lateness_runs_at_the_same_moment_mark_a_share_late_once_and_send_its_reminder_and_alert_once()
    {
        // An LA of its own, so that this share has one escalation contact: its lead's.
        var la = Random.Shared.Next(700, 799).ToString();
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub, TimelinessHubFixture.ConcurrentRunsSchoolUrn, la);
        var (_, _, leadEmail) = await NewLeadAsync(hub, [la], ["school"]);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25), la);
        await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");

        // The timer and an administrator's run, at once.
        await Task.WhenAll(hub.RunFunctionAsync("SlaMonitor"), RunMonitorAsync(hub, DateTimeOffset.UtcNow));

        // The escalation ends with the alert to the one contact recorded; an escalation sends only within the one claim it holds.
        var events = await Eventually.UntilAsync(() => EventsAsync(incident.IncidentId, school), e => e.Contains("escalation.alert-sent"), "the alert recorded");
        Assert.Single(events, e => e == "delivery.marked-late");
        Assert.Single(events, e => e == "escalation.started");
        Assert.Single(await hub.Mail.EmailsToAsync(schoolEmail));
        Assert.Single(await hub.Mail.EmailsToAsync(leadEmail), e => e.GetProperty("text").GetString()!.Contains(incident.Reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_reminder_and_the_alert_have_an_HTML_part_laid_out_like_GOV_UK_Notify_and_a_plain_text_part_that_say_the_same_things()
    {
        // An LA of its own, so that the alert found is this share's.
        var la = Random.Shared.Next(600, 699).ToString();
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub, TimelinessHubFixture.EmailStyleSchoolUrn, la);
        var (_, _, leadEmail) = await NewLeadAsync(hub, [la], ["school"]);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25), la);
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var due = UkTime.Describe(delivery.GetProperty("dueAt").GetDateTimeOffset());
        await RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddMinutes(2));

        var reminder = await SentEmail.ReadAsync(hub.Mail,
            (await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(schoolEmail), e => e.Count >= 1, "the reminder"))[0]);
        var alert = await SentEmail.ReadAsync(hub.Mail,
            (await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(leadEmail), e => e.Count >= 1, "the alert"))[0]);

        var link = Regex.Match(reminder.Text, @"https?://\S+/api/links/\S+").Value;
        var grant = LinkToken.Verify(Convert.FromBase64String(LocalSettings.Value("Delivery__LinkSigningKey")), link[(link.LastIndexOf('/') + 1)..], DateTimeOffset.UtcNow)!;
        reminder.AssertLaidOutLikeNotify();
        reminder.AssertBothPartsSay(incident.Reference, "Synthetic School " + urn, $"was due by {due}", "Open the notification",
            $"It expires on {UkTime.Describe(grant.ExpiresAt)}.", "Do not forward this email.");
        Assert.Equal([link], reminder.HtmlLinks);
        alert.AssertLaidOutLikeNotify();
        alert.AssertBothPartsSay(incident.Reference, "Synthetic School " + urn, $"was due by {due}", "See every late share in your partnership's local authorities",
            "Do not forward this email.");
        // The late list is a signed page the lead can open, not an API that needs a key.
        var lateList = Assert.Single(alert.HtmlLinks);
        Assert.Matches(@"/api/dashboard/[^/\s]+/late$", lateList);
        Assert.Contains(lateList, alert.Text);
        Assert.DoesNotContain("API key", alert.Everything);
        var childNames = (await StatusChildNamesAsync(incident, school)).ToList();
        foreach (var email in new[] { reminder, alert })
        {
            foreach (var secret in childNames.Concat(["Example", "2016-03-02", "Casey", "pushed", "hid upstairs", "ZZ1"]))
                Assert.DoesNotContain(secret, email.Everything, StringComparison.Ordinal);
        }
        await SentEmail.AssertAccessibleInChromiumAsync(reminder, alert);
    }

    [Fact]
    public async Task A_mail_gateway_fetching_a_reminders_link_with_GET_or_HEAD_leaves_a_share_waiting_in_the_inbox_undelivered_until_a_person_opens_it()
    {
        var (school, urn, schoolEmail) = await NewSchoolAsync(hub, TimelinessHubFixture.PrefetchSchoolUrn);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25));
        await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the share waiting in the inbox");
        await RunMonitorAsync(hub, DateTimeOffset.UtcNow);
        var reminder = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(schoolEmail), e => e.Count >= 1, "the reminder");
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(reminder[0].GetProperty("text").GetString()!, @"https?://\S+/api/links/\S+").Value).PathAndQuery;

        // What a mail gateway does to every link before anyone reads the email.
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await hub.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, link))).StatusCode);

        var untouched = await DeliveryApi.DeliveryAsync(hub, incident, school, _ => true, "the delivery");
        Assert.Equal("sending", DeliveryApi.Status(untouched));
        Assert.DoesNotContain("delivery.opened", await EventsAsync(incident.IncidentId, school));

        // A person presses "Open the notification".
        var opened = await hub.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "open" }));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("delivered", DeliveryApi.Status(await DeliveryApi.DeliveryAsync(hub, incident, school, d => DeliveryApi.Status(d) == "delivered", "opening")));
        Assert.Contains("delivery.opened", await EventsAsync(incident.IncidentId, school));
    }

    /// <summary>The types of the events on the incident's ledger about one delivery, in order.</summary>
    private async Task<IReadOnlyList<string>> EventsAsync(string incidentId, string recipientId) =>
        (await new NotifyHub.Ledger.LedgerStore(hub.Tables).AllEventsAsync(incidentId, default)).Where(e => e.Event.Subject == recipientId).Select(e => e.Event.Type).ToList();
}
