using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Strategy;

/// <summary>
/// The strategy report (issue 20, item 5): the partnership lead's figures for a discussion run end to end on the real channels,
/// as JSON, CSV and the dashboard's "Strategy discussions" section, in real headless Chromium.
/// </summary>
public sealed partial class StrategyDiscussionTests
{
    private const string Information = "Synthetic information the report never shows.";
    private const string MinutesText = "Synthetic minutes the report never shows.";

    /// <summary>The scene's discussion scheduled to meet in three hours; answers the invitees' ids by type.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ScheduledAsync(Scene s)
    {
        await DeliveriesAsync(s, l => Find(l, s.Due) is not null, "the discussion due from the chair");
        var scheduled = await PostAsync($"/api/notifications/{s.Due}/schedule", s.MashKey, Meeting(DateTimeOffset.UtcNow.AddHours(3)));
        var invitees = scheduled.GetProperty("invitees").EnumerateArray().ToDictionary(i => i.GetProperty("type").GetString()!, i => i.GetProperty("organisationId").GetString()!);
        // The scene's LA is its own: the school, the force, both SPOCs and the younger child's GP practice, no one else.
        Assert.Equal(["crc-spoc", "gp-practice", "nps-spoc", "police-force", "school"], invitees.Keys.Order(StringComparer.Ordinal));
        return invitees;
    }

    private static JsonElement Line(JsonElement report, string list, string type) =>
        report.GetProperty(list).EnumerateArray().Single(l => l.GetProperty("agencyType").GetString() == type);

    private static (int, int, int, int, int) Invitations(JsonElement line) => (line.GetProperty("invited").GetInt32(), line.GetProperty("answered").GetInt32(),
        line.GetProperty("attendanceRecorded").GetInt32(), line.GetProperty("attended").GetInt32(), line.GetProperty("sentInformation").GetInt32());

    private static (int, int, int, int) Minutes(JsonElement line) => (line.GetProperty("shared").GetInt32(), line.GetProperty("acknowledged").GetInt32(),
        line.GetProperty("judged").GetInt32(), line.GetProperty("acknowledgedByDue").GetInt32());

    [Fact]
    public async Task The_leads_strategy_report_gives_the_attendance_information_and_minutes_received_figures_of_a_discussion_whose_minutes_one_invitee_never_read()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        var invitees = await ScheduledAsync(s);
        var gpKey = await IssueKeyAsync(hub, invitees["gp-practice"]);

        // The NPS and the force will attend and send what they know; the school cannot come; the CRC and the GP practice do not answer.
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/answer", s.NpsKey, new { answer = "attending", by = new { name = "A Person", role = "NPS SPOC" } });
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/information", s.NpsKey, new { text = Information });
        await PostAsync($"/api/notifications/{s.Invitation(s.ForceId)}/answer", s.ForceKey, new { answer = "attending", by = new { name = "A Sergeant", role = "DS" } });
        await PostAsync($"/api/notifications/{s.Invitation(s.ForceId)}/information", s.ForceKey, new { text = Information });
        await PostAsync($"/api/notifications/{s.Invitation(s.School)}/answer", s.SchoolKey, new { answer = "cannot-attend", by = new { name = "A Teacher", role = "DSL" } });

        // Held with the two who came, and an action for the school that it never does; the minutes go to all five.
        await PostAsync($"/api/notifications/{s.Due}/held", s.MashKey, new
        {
            heldAt = DateTimeOffset.UtcNow, attended = new[] { s.Nps, s.ForceId }, outcome = "section-47-enquiry",
            actions = new[] { new { owner = s.School, action = "Synthetic: share attendance records", dueOn = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd") } },
        });
        await PostAsync($"/api/notifications/{s.Due}/minutes", s.MashKey, new { text = MinutesText });
        await DeliveriesAsync(s, l => invitees.Values.All(o => Find(l, s.Minutes(o)) is not null), "the minutes to every invitee");

        // Four read the minutes at once; the CRC never does, and the lateness monitor, run a week ahead, marks its copy late.
        foreach (var (org, key) in new[] { (s.Nps, s.NpsKey), (s.School, s.SchoolKey), (s.ForceId, s.ForceKey), (invitees["gp-practice"], gpKey) })
            await PostAsync($"/api/notifications/{s.Minutes(org)}/ack", key, new { acknowledgedBy = new { name = "A Reader", role = "Safeguarding lead" } });
        await TimelinessApi.RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddDays(6));
        await Eventually.UntilAsync(() => EmailsAboutAsync(s.LeadEmail, s.Reference),
            l => l.Any(e => e.GetProperty("text").GetString()!.Contains(s.Minutes(s.Crc), StringComparison.Ordinal)), "the lead's alert about the CRC's minutes");

        var report = await Eventually.UntilAsync(() => TimelinessApi.GetAsync(hub, "/api/reports/strategy", s.LeadKey),
            r => r.GetProperty("minutes").GetProperty("judged").GetInt32() == 5 && r.GetProperty("actions").GetProperty("overdue").GetInt32() == 1,
            "the run's figures in the lead's strategy report");
        Assert.Equal([s.La], report.GetProperty("las").EnumerateArray().Select(l => l.GetString()));

        // One discussion, held well within the three working days it was due in.
        var d = report.GetProperty("discussions");
        Assert.Equal((1, 1, 0, 1, 1), (d.GetProperty("opened").GetInt32(), d.GetProperty("held").GetInt32(), d.GetProperty("awaiting").GetInt32(),
            d.GetProperty("judged").GetInt32(), d.GetProperty("heldWithinDue").GetInt32()));
        Assert.Equal(1, d.GetProperty("heldWithinDueRate").GetDouble());
        Assert.Equal(1, d.GetProperty("incidentToHeld").GetProperty("count").GetInt32());
        Assert.Equal(1, d.GetProperty("decisionToHeld").GetProperty("count").GetInt32());

        // Attendance and information: 5 invited, 3 answered, all 5 at a discussion held, 2 came, 2 sent information.
        var all = report.GetProperty("invitations");
        Assert.Equal((5, 3, 5, 2, 2), Invitations(all));
        Assert.Equal(0.4, all.GetProperty("attendedRate").GetDouble());
        Assert.Equal(0.4, all.GetProperty("sentInformationRate").GetDouble());
        Assert.Equal((1, 1, 1, 1, 1), Invitations(Line(report, "invitationsByAgencyType", "nps-spoc")));
        Assert.Equal((1, 0, 1, 0, 0), Invitations(Line(report, "invitationsByAgencyType", "crc-spoc")));
        Assert.Equal((1, 1, 1, 1, 1), Invitations(Line(report, "invitationsByAgencyType", "police-force")));
        Assert.Equal((1, 1, 1, 0, 0), Invitations(Line(report, "invitationsByAgencyType", "school")));
        Assert.Equal((1, 0, 1, 0, 0), Invitations(Line(report, "invitationsByAgencyType", "gp-practice")));

        // The minutes (the Dorset measure): 5 shared, 4 read by their due time, the CRC's judged late: 80%, and 0% for the CRC.
        Assert.Equal((5, 4, 5, 4), Minutes(report.GetProperty("minutes")));
        Assert.Equal(0.8, report.GetProperty("minutes").GetProperty("acknowledgedByDueRate").GetDouble());
        var crc = Line(report, "minutesByAgencyType", "crc-spoc");
        Assert.Equal((1, 0, 1, 0), Minutes(crc));
        Assert.Equal(0, crc.GetProperty("acknowledgedByDueRate").GetDouble());
        Assert.Equal((1, 1, 1, 1), Minutes(Line(report, "minutesByAgencyType", "school")));

        // Probation consulted: both SPOCs invited, the NPS answered, sent information and came. The school's action is overdue.
        var p = report.GetProperty("probation");
        Assert.Equal((1, 1, 1, 1, 1), (p.GetProperty("scheduled").GetInt32(), p.GetProperty("invited").GetInt32(), p.GetProperty("answered").GetInt32(),
            p.GetProperty("sentInformation").GetInt32(), p.GetProperty("attended").GetInt32()));
        var a = report.GetProperty("actions");
        Assert.Equal((1, 0, 0, 1), (a.GetProperty("total").GetInt32(), a.GetProperty("done").GetInt32(), a.GetProperty("doneByDue").GetInt32(),
            a.GetProperty("overdue").GetInt32()));

        // The same as CSV, one measure a line; counts and times only.
        var csv = await SendAsync(hub, HttpMethod.Get, "/api/reports/strategy?format=csv", s.LeadKey);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("from,to,measure,key,value", text);
        foreach (var line in new[] { ",attended,all,2", ",sentInformation,all,2", ",attended,nps-spoc,1", ",minutesShared,all,5", ",minutesAcknowledgedByDue,all,4",
            ",minutesAcknowledgedByDueRate,all,0.8", ",minutesAcknowledgedByDue,crc-spoc,0", ",probationInvited,,1", ",actionsOverdue,,1" })
            Assert.Contains(line, text);
        foreach (var secret in new[] { Information, MinutesText, s.Reference, "Synthetic: share attendance records" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, report.ToString(), StringComparison.Ordinal);
        }

        // Read from a view of the ledger: rebuilt from the ledger, the report says the same.
        await ViewsApi.RebuildAsync(hub);
        Assert.Equal(report.ToString(), (await TimelinessApi.GetAsync(hub, "/api/reports/strategy", s.LeadKey)).ToString());

        // A force's key is not a report reader's.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(hub, HttpMethod.Get, "/api/reports/strategy", s.ForceKey)).StatusCode);
    }

    [Fact]
    public async Task The_leads_dashboard_shows_its_strategy_discussions_as_the_strategy_report_counts_them_accessible_at_every_size_and_says_so_when_there_are_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        var invitees = await ScheduledAsync(s);
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/answer", s.NpsKey, new { answer = "attending", by = new { name = "A Person", role = "NPS SPOC" } });
        await PostAsync($"/api/notifications/{s.Invitation(s.Nps)}/information", s.NpsKey, new { text = Information });
        await PostAsync($"/api/notifications/{s.Due}/held", s.MashKey, new { heldAt = DateTimeOffset.UtcNow, attended = new[] { s.Nps }, outcome = "no-further-action" });
        await PostAsync($"/api/notifications/{s.Due}/minutes", s.MashKey, new { text = MinutesText });
        await DeliveriesAsync(s, l => invitees.Values.All(o => Find(l, s.Minutes(o)) is not null), "the minutes to every invitee");
        await PostAsync($"/api/notifications/{s.Minutes(s.Nps)}/ack", s.NpsKey, new { acknowledgedBy = new { name = "A Person", role = "NPS SPOC" } });
        var report = await Eventually.UntilAsync(() => TimelinessApi.GetAsync(hub, "/api/reports/strategy", s.LeadKey),
            r => r.GetProperty("minutes").GetProperty("acknowledged").GetInt32() == 1 && r.GetProperty("discussions").GetProperty("held").GetInt32() == 1,
            "the discussion held and the NPS's minutes read in the lead's report");
        var link = await TimelinessApi.JsonAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", s.LeadKey), HttpStatusCode.Created);
        var path = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = new Uri(hub.Host.BaseAddress, path).ToString() }, new { wait = "body[data-state=ready]" },
            new { text = "#strategy-summary", @as = "summary" },
            new { text = "#strategy-times tbody th", @as = "times" },
            new { text = "#strategy-invitations tbody tr", @as = "invitations" },
            new { text = "#strategy-minutes tbody tr", @as = "minutes" },
            new { text = "#strategy-probation", @as = "probation" },
            new { text = "#strategy-actions-none", @as = "actions" },
            .. BrowserPages.CheckAtEverySize("dashboard-strategy"),
        ]);

        BrowserPages.AssertAccessible(seen);
        var page = seen.Checks["dashboard-strategy"];
        Assert.Equal(200, page.Status);
        Assert.Contains("Strategy discussions", page.Main);
        var summary = seen.Texts["summary"];
        foreach (var line in new[] { "Opened1", "Held1", "Not yet heldNone", "Held by the due time100% (1 of 1 judged)" }) Assert.Contains(line, summary);
        Assert.Equal(["Police being told of the incident", "The MASH's decision"], seen.Texts["times"].Split('\n').Select(t => t.Trim()));

        // By agency type in the pages' order, then all agencies: invited, answered, invitees of discussions held, attended, share, sent information, share.
        var invitations = seen.Texts["invitations"].Split('\n');
        Assert.Equal(6, invitations.Length);
        Assert.Contains("Probation: NPS SPOC1111100%1100%", invitations);
        Assert.Contains("Probation: CRC SPOC10100%00%", invitations);
        Assert.Equal("All agencies515120%120%", invitations[^1]);
        Assert.StartsWith("Schools and colleges", invitations[0], StringComparison.Ordinal);

        // The minutes: shared with all five, the NPS's read; the rest not yet due, so not judged and no share yet.
        var minutes = seen.Texts["minutes"].Split('\n');
        Assert.Contains("Probation: NPS SPOC1111100%", minutes);
        Assert.Contains("Probation: CRC SPOC1000–", minutes);
        Assert.Equal("All agencies5111100%", minutes[^1]);
        Assert.Contains("Discussions with an NPS or CRC SPOC invited100% (1 of 1 scheduled)", seen.Texts["probation"]);
        Assert.Contains("An SPOC attended1", seen.Texts["probation"]);
        Assert.Contains("agreed an action", seen.Texts["actions"]);

        // Counts and times only: no information sent, no minutes, no child.
        Assert.DoesNotContain(Information, page.Main, StringComparison.Ordinal);
        Assert.DoesNotContain(MinutesText, page.Main, StringComparison.Ordinal);
        var content = JsonDocument.Parse((await TestStores.ContentAsync(hub.Tables, s.IncidentId, s.School))!).RootElement;
        foreach (var child in content.GetProperty("children").EnumerateArray())
            Assert.DoesNotContain(child.GetProperty("givenName").GetString()!, page.Main, StringComparison.Ordinal);

        // The section is in the page as the hub sends it (JavaScript off); its download link is the lead's strategy report as CSV.
        var html = await (await hub.Http.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"strategy-summary\"", html);
        var href = WebUtility.HtmlDecode(Regex.Match(html, "href=\"([^\"]+)\" id=\"strategy-csv\"").Groups[1].Value);
        Assert.NotEmpty(href);
        var csv = await hub.Http.GetAsync(new Uri(new Uri(hub.Host.BaseAddress, path), href));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(csv.Headers.CacheControl?.NoStore, "a dashboard link's figures are never cached");
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains(",discussionsHeld,,1", text);
        Assert.Contains(",attended,nps-spoc,1", text);
        Assert.Contains(",minutesAcknowledgedByDue,all,1", text);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync(path[..^4] + (path[^4..] == "AAAA" ? "BBBB" : "AAAA") + "/strategy?format=csv")).StatusCode);

        // A lead of an LA with no discussion: one sentence, no table of zeros; its JSON says the same.
        var (_, emptyKey, _) = await TimelinessApi.NewLeadAsync(hub, [Interlocked.Increment(ref _nextLa).ToString()]);
        var emptyLink = await TimelinessApi.JsonAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", emptyKey), HttpStatusCode.Created);
        var emptyPath = new Uri(emptyLink.GetProperty("url").GetString()!).AbsolutePath;
        var emptyHtml = await (await hub.Http.GetAsync(emptyPath)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"strategy-empty\"", emptyHtml);
        Assert.DoesNotContain("id=\"strategy-summary\"", emptyHtml);
        var emptyJson = await TimelinessApi.JsonAsync(await hub.Http.GetAsync(emptyPath + "/strategy"));
        Assert.Equal(0, emptyJson.GetProperty("discussions").GetProperty("opened").GetInt32());
    }
}
