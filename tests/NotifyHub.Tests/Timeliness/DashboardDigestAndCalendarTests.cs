using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>The partnership leads' dashboard in real headless Chromium, the daily digest by email, and the calendar loads.</summary>
public partial class DashboardDigestAndCalendarTests(TimelinessHubFixture hub) : IClassFixture<TimelinessHubFixture>
{
    [Fact]
    public async Task The_dashboard_draws_in_Chromium_the_figures_the_report_gives_for_the_leads_LAs()
    {
        var la = Random.Shared.Next(600, 699).ToString();
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
        var totals = await GetAsync(hub, "/api/reports/timeliness?period=week", leadKey);

        var link = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        var path = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;
        var screenshot = Path.Combine(RepoPaths.Root, "artifacts", "test-results", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var seen = await BrowseAsync(new Uri(hub.Host.BaseAddress, path).ToString(), screenshot);

        Assert.Equal("ready", seen.GetProperty("state").GetString());
        Assert.Empty(seen.GetProperty("cspViolations").EnumerateArray());
        Assert.Empty(seen.GetProperty("consoleErrors").EnumerateArray());
        Assert.Contains(la, seen.GetProperty("title").GetString());
        var charts = seen.GetProperty("charts");

        // On-time rate by recipient type: the school's line carries the report's acknowledged-by-due rate for the week.
        var schoolGroup = byType.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "school");
        var ontime = charts.GetProperty("ontime-by-type");
        var week = Array.IndexOf(ontime.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToArray(), schoolGroup.GetProperty("period").GetString());
        Assert.True(week >= 0);
        var schoolLine = ontime.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "school");
        Assert.Equal(schoolGroup.GetProperty("acknowledgedByDueRate").GetDouble(), schoolLine.GetProperty("data")[week].GetDouble(), 6);

        // Late and missing: the bars add up to the report's totals.
        var bars = charts.GetProperty("late-missing").GetProperty("datasets").EnumerateArray().ToDictionary(d => d.GetProperty("key").GetString()!,
            d => d.GetProperty("data").EnumerateArray().Sum(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0));
        Assert.Equal(totals.GetProperty("total").GetProperty("missingAtSource").GetInt32(), (int)bars["missingAtSource"]);
        Assert.Equal(1, (int)bars["missingAtSource"]);
        Assert.Equal(totals.GetProperty("total").GetProperty("late").GetInt32(), (int)bars["late"]);

        // NPS and CRC are two series, never one.
        Assert.Equal(["crc-spoc", "nps-spoc"], charts.GetProperty("nps-crc-deliveries").GetProperty("datasets").EnumerateArray()
            .Select(d => d.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is saved under the test results");

        // A forged or altered link opens nothing.
        var forged = path[..^4] + (path[^4..] == "AAAA" ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync(forged + "/timeliness")).StatusCode);
    }

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

    private static async Task<JsonElement> BrowseAsync(string url, string screenshot)
    {
        var info = new ProcessStartInfo("node", [Path.Combine(AppContext.BaseDirectory, "Infrastructure", "browser-dashboard.mjs"), url, screenshot])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["NOTIFYHUB_ROOT"] = RepoPaths.Root;
        using var browser = Process.Start(info)!;
        var output = await browser.StandardOutput.ReadToEndAsync();
        var errors = await browser.StandardError.ReadToEndAsync();
        await browser.WaitForExitAsync();
        Assert.True(browser.ExitCode == 0, $"the browser script failed: {errors}");
        return JsonDocument.Parse(output.Trim().Split('\n').Last()).RootElement.Clone();
    }

    [GeneratedRegex(@"https?://\S+/api/dashboard/[A-Za-z0-9_.-]+")]
    private static partial Regex DashboardUrl();
}
