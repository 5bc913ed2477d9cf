using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>The partnership leads' dashboard and late list in real headless Chromium (axe at WCAG 2.2 AA), the daily digest by email, and the calendar loads.</summary>
public partial class DashboardDigestAndCalendarTests(TimelinessHubFixture hub) : IClassFixture<TimelinessHubFixture>
{
    /// <summary>Where the page tests save what they saw, to look at after a run.</summary>
    [Fact]
    public async Task The_dashboard_shows_the_reports_figures_for_the_leads_LAs_by_name_in_tables_and_charts_accessible_at_1280_px_320_px_and_200_percent_zoom()
    {
        const string la = "420"; // the Isles of Scilly: no other test of this hub uses it
        var (_, leadKey, _) = await NewLeadAsync(hub, [la]);
        var (school, urn, _) = await NewSchoolAsync(hub, la: la);
        var acknowledged = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow, la: la);
        var delivery = await DeliveryApi.DeliveryAsync(hub, acknowledged, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var schoolKey = await DeliveryApi.IssueKeyAsync(hub, school);
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, $"/api/notifications/{delivery.GetProperty("notificationId").GetString()}/ack", schoolKey,
            new { acknowledgedBy = new { name = "A Person", role = "DSL" } })).EnsureSuccessStatusCode();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd");
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/manifests", acknowledged.Key, new
        {
            forceCode = acknowledged.Force, date = today, incidents = new object[] { new { incidentReference = "NEVER-" + la, laCode = la } },
        })).EnsureSuccessStatusCode();
        var byType = await Eventually.UntilAsync(() => GetAsync(hub, "/api/reports/timeliness?groupBy=recipientType&period=week", leadKey),
            r => r.GetProperty("total").GetProperty("acknowledgedByDue").GetInt32() == 1, "the acknowledgement in the report");
        var totals = await Eventually.UntilAsync(() => GetAsync(hub, "/api/reports/timeliness?period=week", leadKey),
            r => r.GetProperty("total").GetProperty("missingAtSource").GetInt32() == 1, "the missing share in the report");
        var link = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        var url = link.GetProperty("url").GetString()!;
        var page = new Uri(hub.Host.BaseAddress, new Uri(url).AbsolutePath).ToString();
        var schoolWeek = byType.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "school");
        var week = schoolWeek.GetProperty("period").GetString();

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = page }, new { wait = "body[data-state=ready]" },
            new { text = $"#ontime tr:has(th[data-period='{week}']) td[data-series=school]", @as = "school-rate" },
            new { text = "#late-missing td[data-series=missingAtSource]", @as = "missing" },
            new { text = "#late-missing td[data-series=late]", @as = "late" },
            new { text = "#ontime thead th", @as = "ontime-series" },
            new { text = ".govuk-summary-list", @as = "totals" },
            // Each table with figures has its chart drawn above it (a step that waits fails the journey if it never comes).
            new { wait = "[data-chart-for=ontime]:not([hidden]) canvas[role=img]" },
            new { wait = "[data-chart-for=late-missing]:not([hidden]) canvas[role=img]" },
            new { wait = "[data-chart-for=police-delay]:not([hidden]) canvas[role=img]" },
            .. BrowserPages.CheckAtEverySize("dashboard"),
        ]);

        BrowserPages.AssertAccessible(seen);
        var wide = seen.Checks["dashboard"];
        Assert.Equal(200, wide.Status);
        Assert.Equal("Timeliness for Isles of Scilly – NotifyHub", wide.Title);
        // The school's on-time rate for its week, the missing share, the late count: the report's own numbers.
        Assert.Equal(Percent(schoolWeek.GetProperty("acknowledgedByDueRate").GetDouble()), seen.Texts["school-rate"]);
        Assert.Equal(totals.GetProperty("total").GetProperty("missingAtSource").GetInt32(), Sum(seen.Texts["missing"]));
        Assert.Equal(totals.GetProperty("total").GetProperty("late").GetInt32(), Sum(seen.Texts["late"]));
        Assert.Contains("Missing at source1", seen.Texts["totals"]);
        Assert.Contains($"Deliveries{totals.GetProperty("total").GetProperty("deliveries").GetInt32()}", seen.Texts["totals"]);
        // Legends and headers in words, never raw keys.
        Assert.Contains("Schools and colleges", seen.Texts["ontime-series"]);
        Assert.DoesNotContain("not-received", wide.Main);
        Assert.DoesNotContain("missingAtSource", wide.Main);
        // No share went to probation in LA 420: the panel says so rather than drawing empty charts.
        Assert.Contains("No shares went to the NPS or CRC SPOCs in this period.", wide.Main);

        // The figures are in the page as the hub sends it (so they are there with JavaScript off); the charts are drawn from them.
        var html = await (await hub.Http.GetAsync(new Uri(url).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Matches($"<th scope=\"row\" class=\"govuk-table__header\" data-period=\"{week}\">[^<]*</th><td [^>]*data-series=\"school\" data-value=\"[^\"]*\">{Regex.Escape(seen.Texts["school-rate"])}</td>", html);

        // The download link is the report's CSV for the lead's LAs, by the same link.
        var csv = await hub.Http.GetAsync(new Uri(url).AbsolutePath + "/timeliness?period=week&groupBy=recipientType&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);

        // A forged or altered link opens nothing: problem+json for a program, a page saying what to do for a browser.
        var path = new Uri(url).AbsolutePath;
        var forged = path[..^4] + (path[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var refused = await hub.Http.GetAsync(forged);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync(forged + "/timeliness")).StatusCode);
        var browser = await BrowserPages.WalkAsync([new { @goto = new Uri(hub.Host.BaseAddress, forged).ToString() }, new { check = "forged" }
            ]);
        BrowserPages.AssertAccessible(browser);
        Assert.Equal(404, browser.Checks["forged"].Status);
        Assert.Contains("This link is not valid", browser.Checks["forged"].Main);
        Assert.Contains("daily digest", browser.Checks["forged"].Main);
    }

    [Fact]
    public async Task A_dashboard_with_nothing_in_the_period_says_why_in_each_panel_and_is_accessible_at_every_size()
    {
        var (_, leadKey, _) = await NewLeadAsync(hub, ["857", "201"]); // Rutland and the City of London, which no test submits to
        var link = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        var page = new Uri(hub.Host.BaseAddress, new Uri(link.GetProperty("url").GetString()!).AbsolutePath).ToString();

        var seen = await BrowserPages.WalkAsync([new { @goto = page }, new { wait = "body[data-state=ready]" }, .. BrowserPages.CheckAtEverySize("dashboard-empty")]);

        BrowserPages.AssertAccessible(seen);
        var check = seen.Checks["dashboard-empty"];
        Assert.Equal("Timeliness for City of London and Rutland – NotifyHub", check.Title);
        Assert.Contains("No shares — delivered, late or missing — were recorded for City of London and Rutland in this period.", check.Main);
        Assert.Contains("No deliveries with a due time were made", check.Main);
        Assert.Contains("No share was late, failed, unrouted or missing at source in this period.", check.Main);
        Assert.Contains("No incidents with police times were received", check.Main);
        Assert.Contains("No shares went to the NPS or CRC SPOCs", check.Main);
        Assert.Contains("None late now", check.Main);
        Assert.Contains("No incident in City of London and Rutland received by a MASH in this period has been decided on or is awaiting a decision.", check.Main);
    }

    [Fact]
    public async Task The_escalation_alert_links_the_partnership_to_a_page_of_its_late_shares_which_stops_opening_when_its_links_are_revoked()
    {
        // Shares at this school are due an hour after they are reported: one reported 70 minutes ago is late.
        var (_, leadKey, leadEmail) = await NewLeadAsync(hub, ["840"], ["school"]);
        var (school, urn, _) = await NewSchoolAsync(hub, TimelinessHubFixture.PrefetchSchoolUrn);
        var incident = await SubmitAsync(hub, urn, DateTimeOffset.UtcNow.AddMinutes(-25));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");
        var notification = delivery.GetProperty("notificationId").GetString()!;
        await RunMonitorAsync(hub, DateTimeOffset.UtcNow.AddMinutes(2));
        var alerts = await Eventually.UntilAsync(async () => (await hub.Mail.EmailsToAsync(leadEmail))
            .Where(e => e.GetProperty("text").GetString()!.Contains(incident.Reference, StringComparison.Ordinal)).ToList(), e => e.Count >= 1, "the alert");
        var text = alerts[0].GetProperty("text").GetString()!;
        Assert.DoesNotContain("API key", text);
        var url = LateListUrl().Match(text).Value;
        Assert.NotEmpty(url);
        Assert.Contains($"href=\"{url}\"", alerts[0].GetProperty("html").GetString());
        var listed = (await GetAsync(hub, "/api/reports/late", leadKey)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("notificationId").GetString() == notification);
        // The page writes times as every page and email does (UkTime.Describe, whose calendar cases UkTimeTests hold).
        string Uk(string field) => NotifyHub.Domain.UkTime.Describe(listed.GetProperty(field).GetDateTimeOffset());
        var page = new Uri(hub.Host.BaseAddress, new Uri(url).AbsolutePath).ToString();

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = page },
            new { text = $"tr[data-notification='{notification}']", @as = "row" },
            .. BrowserPages.CheckAtEverySize("late-list"),
        ]);

        BrowserPages.AssertAccessible(seen);
        Assert.Equal(200, seen.Checks["late-list"].Status);
        Assert.Equal("Late shares for County Durham – NotifyHub", seen.Checks["late-list"].Title);
        var row = seen.Texts["row"];
        Assert.Contains($"{incident.Force} {incident.Reference}", row);
        Assert.Contains("Synthetic School " + urn, row);
        Assert.Contains("Schools and colleges", row);
        Assert.Contains("County Durham", row);
        Assert.Contains(Uk("dueAt"), row);
        Assert.Contains(Uk("lateAt"), row);
        foreach (var name in await ChildNamesAsync(incident, school)) Assert.DoesNotContain(name, seen.Checks["late-list"].Main, StringComparison.Ordinal);

        // Revoked: a program gets the 404 problem it always did, a browser a page saying what to do.
        (await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links/revoke", leadKey)).EnsureSuccessStatusCode();
        var refused = await hub.Http.GetAsync(new Uri(url).AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var asBrowser = new HttpRequestMessage(HttpMethod.Get, new Uri(url).AbsolutePath);
        asBrowser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var html = await hub.Http.SendAsync(asBrowser);
        Assert.Equal(HttpStatusCode.NotFound, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var revoked = await BrowserPages.WalkAsync([new { @goto = page }, new { check = "revoked" }]);
        BrowserPages.AssertAccessible(revoked);
        Assert.Equal("This link is not valid – NotifyHub", revoked.Checks["revoked"].Title);
        Assert.Contains("Open the link in your latest NotifyHub daily digest email", revoked.Checks["revoked"].Main);
        Assert.DoesNotContain(incident.Reference, revoked.Checks["revoked"].Main);
    }

    private async Task<IEnumerable<string>> ChildNamesAsync((string Force, string Key, string Reference, string IncidentId) incident, string recipient)
    {
        var content = await TestStores.ContentAsync(hub.Tables, incident.IncidentId, recipient);
        var json = JsonDocument.Parse(content!.ToString()).RootElement;
        return json.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("givenName").GetString()!);
    }


    private static string Percent(double rate) => (rate * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static int Sum(string cells) => cells.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(c => int.Parse(c.Trim(), System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task The_daily_digest_emails_each_lead_yesterdays_late_and_missing_counts_with_a_dashboard_link_once_a_day()
    {
        // The late school's shares are due an hour after they are reported: one reported yesterday at noon was late yesterday.
        var (_, leadId, leadEmail) = await NewLeadWithIdAsync(["840"]);
        var (_, urn, _) = await NewSchoolAsync(hub, TimelinessHubFixture.LateSchoolUrn);
        var yesterdayNoon = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12).AddMinutes(45), TimeSpan.Zero);
        var incident = await SubmitAsync(hub, urn, yesterdayNoon);
        await DeliveryApi.DeliveryAsync(hub, incident, "school-" + urn, d => d.GetProperty("attempts").GetInt32() >= 1, "the school's delivery");

        await hub.RunFunctionAsync("DailyDigest");
        var digest = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(leadEmail), e => e.Count >= 1, "the digest");
        var text = digest[0].GetProperty("text").GetString()!;
        Assert.Matches(@"Late \(not acknowledged by their due time\): 1\b", text);
        var url = DashboardUrl().Match(text).Value;
        Assert.NotEmpty(url);
        var page = await hub.Http.GetAsync(new Uri(url).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        // A rerun: the function has ended (the admin run waits for it), and a digest is sent within its run, never after.
        await hub.RunFunctionAsync("DailyDigest");
        Assert.Single(await hub.Mail.EmailsToAsync(leadEmail));
        _ = leadId;
    }

    [Fact]
    public async Task The_daily_digest_has_an_HTML_part_laid_out_like_GOV_UK_Notify_and_a_plain_text_part_that_say_the_same_things()
    {
        // An LA of its own: nothing was due there yesterday.
        var (_, leadId, leadEmail) = await NewLeadWithIdAsync([Random.Shared.Next(500, 599).ToString()]);

        await hub.RunFunctionAsync("DailyDigest");
        var digest = await SentEmail.ReadAsync(hub.Mail, (await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(leadEmail), e => e.Count >= 1, "the digest"))[0]);

        var url = DashboardUrl().Match(digest.Text).Value;
        var expires = Regex.Match(digest.Text, @"It expires on \w+day \d{1,2} \w+ \d{4} at (midnight|midday|\d{1,2}(:\d\d)?[ap]m)\.").Value;
        Assert.NotEmpty(expires);
        digest.AssertLaidOutLikeNotify();
        digest.AssertBothPartsSay($"Daily digest for {UkTime.DescribeDate(UkTime.DateOf(DateTimeOffset.UtcNow).AddDays(-1))}", "Synthetic Partnership " + leadId,
            "Shares due", "Late (not acknowledged by their due time)", "Open the dashboard", expires, "Do not forward this email.");
        Assert.Equal([url], digest.HtmlLinks);
        await SentEmail.AssertAccessibleInChromiumAsync(digest);
    }

    [Fact]
    public async Task Calendar_loads_refuse_a_bad_file_naming_each_bad_field_and_each_good_load_is_a_new_version()
    {
        var la = Random.Shared.Next(100, 199).ToString();
        var csv = $"la_code,term,first_day,last_day\n{la},Autumn 1 2026,2026-09-02,2026-10-23\n{la},Autumn 2 2026,2026-11-02,2026-10-30\n999,Spring 1 2027,2027-01-05,2027-02-12\n";
        var bad = await JsonAsync(await SendRawAsync(hub, HttpMethod.Put, $"/api/admin/calendars/las/{la}", hub.AdminKey, csv, "text/csv"), HttpStatusCode.BadRequest);
        var fields = bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(fields, f => f.StartsWith("line 3", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("line 4", StringComparison.Ordinal));

        var holidays = await JsonAsync(await SendRawAsync(hub, HttpMethod.Put, "/api/admin/calendars/bank-holidays", hub.AdminKey,
            """{"england-and-wales":{"division":"england-and-wales","events":[{"title":"x","date":"2026-02-30"}]}}""", "application/json"), HttpStatusCode.BadRequest);
        Assert.Contains("england-and-wales.events[0].date", holidays.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await SendRawAsync(hub, HttpMethod.Put, $"/api/admin/calendars/las/{la}", hub.AdminKey, "{}", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await SendRawAsync(hub, HttpMethod.Put, "/api/admin/calendars/las/84", hub.AdminKey, csv, "text/csv")).StatusCode);

        var good = $"la_code,term,first_day,last_day\n{la},Autumn 1 2026,2026-09-02,2026-10-23\n";
        var first = await JsonAsync(await SendRawAsync(hub, HttpMethod.Put, $"/api/admin/calendars/las/{la}", hub.AdminKey, good, "text/csv"));
        var second = await JsonAsync(await SendRawAsync(hub, HttpMethod.Put, $"/api/admin/calendars/las/{la}", hub.AdminKey, good, "text/csv"));
        Assert.Equal(first.GetProperty("version").GetInt32() + 1, second.GetProperty("version").GetInt32());
        var listed = await GetAsync(hub, "/api/admin/calendars", hub.AdminKey);
        var current = listed.GetProperty("calendars").EnumerateArray().Single(c => c.GetProperty("calendar").GetString() == "la-" + la);
        Assert.Equal(second.GetProperty("version").GetInt32(), current.GetProperty("version").GetInt32());
        Assert.Equal("2026-09-02", current.GetProperty("firstDay").GetString());

        var school = await JsonAsync(await SendRawAsync(hub, HttpMethod.Put, "/api/admin/calendars/schools/synthetic-trust", hub.AdminKey,
            """{"closedDays":["2026-09-01","2026-13-01"]}""", "application/json"), HttpStatusCode.BadRequest);
        Assert.Contains("closedDays[1]", school.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_school_with_its_own_calendar_is_due_on_its_own_first_day_back_not_the_LAs()
    {
        // The trust's schools go back on Wednesday 4 November 2026 (INSET on the Monday and Tuesday); LA 840 goes back on the 2nd.
        var own = await SendRawAsync(hub, HttpMethod.Put, "/api/admin/calendars/schools/synthetic-academy-trust", hub.AdminKey,
            """{"closedDays":["2026-11-02","2026-11-03"]}""", "application/json");
        Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        var urn = Random.Shared.Next(100000, 899999).ToString();
        var created = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = "school-" + urn, type = "school", name = "Synthetic Academy " + urn, urn, laCode = "840", channel = new { kind = "inbox" },
            calendarOverride = "synthetic-academy-trust", schoolDayStart = "08:45",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // Reported on Saturday 31 October 2026 (half term).
        var incident = await SubmitAsync(hub, urn, new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero));
        var delivery = await DeliveryApi.DeliveryAsync(hub, incident, "school-" + urn, d => d.GetProperty("attempts").GetInt32() >= 1, "the academy's delivery");
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 8, 45, 0, TimeSpan.Zero), delivery.GetProperty("dueAt").GetDateTimeOffset());
    }

    private async Task<(string Key, string Id, string Email)> NewLeadWithIdAsync(string[] las)
    {
        var (id, key, email) = await NewLeadAsync(hub, las);
        return (key, id, email);
    }

    [GeneratedRegex(@"https?://\S+/api/dashboard/[A-Za-z0-9_.-]+")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex(@"https?://\S+/api/dashboard/[A-Za-z0-9_.-]+/late")]
    private static partial Regex LateListUrl();
}
