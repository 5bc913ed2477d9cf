using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Reports;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Decisions;

/// <summary>The MASHs' decisions on the partnership lead's dashboard (issue 19): the decision report's own numbers, in real headless Chromium.</summary>
public sealed partial class DecisionFollowUpTests
{
    [Fact]
    public async Task The_leads_dashboard_shows_the_MASH_decisions_and_challenges_in_its_LAs_as_the_decision_report_counts_them_accessible_at_every_size()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SceneAsync(receiver);
        const string rationale = "Synthetic rationale the dashboard never shows.";
        await RecordAsync(s, Decision(rationale, stepOwner: s.EmailSchool));
        const string reason = "Synthetic reason the dashboard never shows.";
        var raised = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{s.IncidentId}.{s.WebhookSchool}~d1/challenge", s.WebhookSchoolKey,
            new { reason, asks = "A strategy discussion." });
        Assert.True(raised.StatusCode == HttpStatusCode.Created, await raised.Content.ReadAsStringAsync());
        var report = await Eventually.UntilAsync(() => TimelinessApi.GetAsync(hub, "/api/reports/decisions", s.LeadKey),
            r => r.GetProperty("challenges").GetProperty("raised").GetInt32() == 1 && r.GetProperty("nextSteps").GetProperty("total").GetInt32() == 1,
            "the decision, its next step and the challenge in the lead's report");
        var link = await TimelinessApi.JsonAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", s.LeadKey), HttpStatusCode.Created);
        var path = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;

        var seen = await BrowserPages.WalkAsync(
        [
            new { @goto = new Uri(hub.Host.BaseAddress, path).ToString() }, new { wait = "body[data-state=ready]" },
            new { text = "#decisions-summary", @as = "summary" },
            new { text = "#decisions-by-risk tbody th", @as = "risk-levels" },
            new { text = "#decisions-by-risk tbody td", @as = "risk-cells" },
            new { text = "#decisions-by-outcome tbody tr", @as = "outcomes" },
            new { text = "#decisions-challenges", @as = "challenges" },
            new { text = "#decisions-challengers tbody tr", @as = "challengers" },
            new { text = "#decisions-next-steps", @as = "next-steps" },
            .. BrowserPages.CheckAtEverySize("dashboard-decisions"),
        ]);

        BrowserPages.AssertAccessible(seen);
        var page = seen.Checks["dashboard-decisions"];
        Assert.Equal(200, page.Status);
        Assert.Contains("MASH decisions", page.Main);
        var summary = seen.Texts["summary"];
        Assert.Contains("Decided1", summary);
        Assert.Contains("Awaiting a decisionNone", summary);
        Assert.Contains("Decided jointly100% (1 of 1)", summary);
        var sharing = report.GetProperty("sharing");
        Assert.Contains(sharing.GetProperty("acknowledgedByAllByDueRate").ValueKind == JsonValueKind.Null
            ? $"None judged yet ({sharing.GetProperty("versions").GetInt32()} shared"
            : $"({sharing.GetProperty("acknowledgedByAllByDue").GetInt32()} of {sharing.GetProperty("judged").GetInt32()} judged)", summary);

        // The example incident is medium risk; its decision came a minute ago, well within the day a medium-risk decision is due in.
        var risk = report.GetProperty("byRiskLevel").EnumerateArray().Single();
        var time = risk.GetProperty("reportedToDecision");
        Assert.Equal("Medium", seen.Texts["risk-levels"].Trim());
        Assert.Equal(["1", "1", "100%", DashboardPage.Took(time.GetProperty("medianSeconds").GetDouble()), DashboardPage.Took(time.GetProperty("p90Seconds").GetDouble())],
            seen.Texts["risk-cells"].Split('\n').Select(c => c.Trim()));
        Assert.Equal(1, risk.GetProperty("withinDue").GetInt32());

        // Every outcome, in words, the one decided counted once and the rest at 0.
        var outcomes = seen.Texts["outcomes"].Split('\n');
        Assert.Equal(NotifyHub.Domain.Decisions.DecisionOutcomes.All.Count, outcomes.Length);
        Assert.Contains("Child and family assessment (Children Act 1989, section 17)1", outcomes);
        Assert.Equal(outcomes.Length - 1, outcomes.Count(o => o.EndsWith('0')));

        var challenges = seen.Texts["challenges"];
        foreach (var line in new[] { "Raised1", "Answered0", "Upheld0", "Not upheld0", "Open1", "Open past their due time0", "Median time to an answerNone answered yet" })
            Assert.Contains(line, challenges);
        Assert.Equal("Schools and colleges1", seen.Texts["challengers"].Trim());
        Assert.Contains("Set1", seen.Texts["next-steps"]);
        Assert.Contains("Done0", seen.Texts["next-steps"]);

        // Counts and times only: no decision's text, no challenge's reason, no child, no raw code.
        Assert.DoesNotContain(rationale, page.Main, StringComparison.Ordinal);
        Assert.DoesNotContain(reason, page.Main, StringComparison.Ordinal);
        Assert.DoesNotContain("child-and-family-assessment", page.Main, StringComparison.Ordinal);
        var content = JsonDocument.Parse((await TestStores.ContentAsync(hub.Tables, s.IncidentId, s.EmailSchool))!).RootElement;
        foreach (var child in content.GetProperty("children").EnumerateArray())
            Assert.DoesNotContain(child.GetProperty("givenName").GetString()!, page.Main, StringComparison.Ordinal);

        // The section is in the page as the hub sends it (JavaScript off), and its download link is the lead's decision report as CSV.
        var html = await (await hub.Http.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"decisions-summary\"", html);
        var href = WebUtility.HtmlDecode(Regex.Match(html, "href=\"([^\"]+)\" id=\"decisions-csv\"").Groups[1].Value);
        Assert.NotEmpty(href);
        var csv = await hub.Http.GetAsync(new Uri(new Uri(hub.Host.BaseAddress, path), href));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("from,to,measure,key,value", text);
        Assert.Contains(",decided,,1", text);
        Assert.Contains(",challengesRaised,,1", text);
        Assert.Contains(",challengesByAgencyType,school,1", text);
        Assert.DoesNotContain(rationale, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboards_decisions_link_answers_the_leads_decision_report_as_CSV_or_JSON_and_a_forged_or_revoked_link_gets_a_404()
    {
        var la = Interlocked.Increment(ref _nextLa).ToString(); // an LA of its own: nothing decided, nothing awaiting
        var (_, leadKey, _) = await TimelinessApi.NewLeadAsync(hub, [la]);
        var link = await TimelinessApi.JsonAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        var path = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;

        var csv = await hub.Http.GetAsync(path + "/decisions?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.True(csv.Headers.CacheControl?.NoStore, "a dashboard link's figures are never cached");
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("from,to,measure,key,value", text);
        Assert.Contains(",decided,,0", text);
        var json = await TimelinessApi.JsonAsync(await hub.Http.GetAsync(path + "/decisions"));
        Assert.Equal([la], json.GetProperty("las").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(0, json.GetProperty("awaiting").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await hub.Http.GetAsync(path + "/decisions?from=2026-13-01")).StatusCode);

        // The page says there is nothing to show rather than a table of zeros.
        var html = await (await hub.Http.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"decisions-empty\"", html);
        Assert.DoesNotContain("id=\"decisions-summary\"", html);

        var forged = path[..^4] + (path[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var refused = await hub.Http.GetAsync(forged + "/decisions?format=csv");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var asBrowser = new HttpRequestMessage(HttpMethod.Get, forged + "/decisions");
        asBrowser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var page = await hub.Http.SendAsync(asBrowser);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        (await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links/revoke", leadKey)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync(path + "/decisions?format=csv")).StatusCode);
    }
}
