using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime.Extensions;
using NotifyHub.Domain;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// The MASH records its decision on its incident notification's page, opened from its email link (issue 19,
/// docs/decisions.md), in real Chromium: every state checked with axe at every size, as the other link pages are.
/// </summary>
public partial class NotificationPageTests
{
    // An LA of its own for each scene: routing sends an LA's incidents to its one MASH.
    private static int _nextMashLa = 700;

    private sealed record MashScene(string Mash, string MashKey, string MashLink, string School, string SchoolAddress, string Notification,
        string FirstChild, (string Force, string Key, string Reference, string IncidentId) Incident);

    /// <summary>A MASH with an email channel and a school for an LA of their own, and the example incident routed to both; the MASH's link from its email.</summary>
    private async Task<MashScene> MashEmailedAsync(bool schoolByEmail = false)
    {
        var la = Interlocked.Increment(ref _nextMashLa).ToString(CultureInfo.InvariantCulture);
        var address = $"mash-{Guid.NewGuid():N}@mash.example.invalid";
        var mash = "mash-" + la + "-" + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "email", email = address },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var schoolAddress = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await NewSchoolAsync(hub, schoolByEmail ? new { kind = "email", email = schoolAddress } : (object)new { kind = "inbox" });
        var (force, forceKey) = await hub.NewForceAsync();
        var sent = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var incident = await RouteIncidentTests.SubmitAsync(hub, sent, force, forceKey);
        return new MashScene(mash, await IssueKeyAsync(hub, mash), LinkUrl(await EmailToAsync(address)), school, schoolAddress,
            $"{incident.IncidentId}.{mash}", sent["children"]![0]!["givenName"]!.GetValue<string>(), incident);
    }

    /// <summary>Now in UK time, to the minute, and the day after: what a person at the MASH types.</summary>
    private static (NodaTime.LocalDateTime Now, NodaTime.LocalDate Tomorrow) UkNow()
    {
        var now = DateTimeOffset.UtcNow.ToInstant().InZone(UkTime.Zone).LocalDateTime;
        return (new NodaTime.LocalDateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute), now.Date.PlusDays(1));
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Types into a box with the keyboard: Tab to it, then type.</summary>
    private static IEnumerable<object> TypeInto(string selector, string text) => [new { tabTo = selector }, new { type = text }];

    private static async Task<HttpResponseMessage> PostFormAsync(HubFixture hub, string link, bool browser, params (string, string)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(link).PathAndQuery)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
        };
        if (browser) request.Headers.Add("Accept", "text/html");
        return await hub.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_MASH_records_its_decision_on_its_notifications_page_with_mouse_and_keyboard_and_reads_it_through_the_API_every_state_accessible()
    {
        var s = await MashEmailedAsync(schoolByEmail: true);
        var (now, tomorrow) = UkNow();

        var journey = await BrowserPages.WalkAsync([
            new { @goto = s.MashLink }, new { click = "#open" }, .. BrowserPages.CheckAtEverySize("decision-form"),
            new { click = "#outcome-strategy-discussion" },
            new { click = "#children" },
            .. TypeInto("#decided-day", N(now.Day)), .. TypeInto("#decided-month", N(now.Month)), .. TypeInto("#decided-year", N(now.Year)),
            .. TypeInto("#decided-hour", N(now.Hour)), .. TypeInto("#decided-minute", now.Minute.ToString("00", CultureInfo.InvariantCulture)),
            new { click = "#joint" }, new { click = "#jointWith" }, new { click = "#jointWith-health" },
            .. TypeInto("#rationale", "Synthetic rationale: repeat incidents and the child's account."),
            .. TypeInto("#step-1-owner", s.School), .. TypeInto("#step-1-action", "Offer the child a trusted adult"),
            .. TypeInto("#step-1-due-day", N(tomorrow.Day)), .. TypeInto("#step-1-due-month", N(tomorrow.Month)), .. TypeInto("#step-1-due-year", N(tomorrow.Year)),
            new { tabTo = "#decide button" }, new { press = "Enter" }, .. BrowserPages.CheckAtEverySize("decision-recorded"),
        ]);
        BrowserPages.AssertAccessible(journey);

        var form = journey.Checks["decision-form"];
        Assert.Equal(200, form.Status);
        Assert.Contains("Record the MASH's decision", form.Main);
        Assert.Contains("No decision has been recorded yet", form.Main);
        Assert.Contains("Strategy discussion (Children Act 1989, section 47)", form.Main);
        Assert.Contains("Children's social care", form.Main);
        Assert.Contains(s.FirstChild, form.Main[form.Main.IndexOf("Which children is it about?", StringComparison.Ordinal)..]);

        var recorded = journey.Checks["decision-recorded"];
        Assert.Equal(200, recorded.Status);
        Assert.Contains("Decision recorded: version 1", recorded.Main);
        Assert.Contains("The latest decision", recorded.Main);
        Assert.Contains("DecisionStrategy discussion (Children Act 1989, section 47)", recorded.Main);
        Assert.Contains("makes a new version, version 2", recorded.Main);

        var decisions = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey)).Content.ReadFromJsonAsync<JsonElement>();
        var latest = decisions.GetProperty("latest");
        Assert.Equal(1, latest.GetProperty("version").GetInt32());
        Assert.Equal("strategy-discussion", latest.GetProperty("outcome").GetString());
        Assert.Equal([0], latest.GetProperty("children").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(now.InZoneLeniently(UkTime.Zone).ToDateTimeOffset(), latest.GetProperty("decidedAt").GetDateTimeOffset());
        Assert.True(latest.GetProperty("joint").GetBoolean());
        Assert.Equal(["police", "health"], latest.GetProperty("jointWith").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Synthetic rationale: repeat incidents and the child's account.", latest.GetProperty("rationale").GetString());
        var step = Assert.Single(latest.GetProperty("nextSteps").EnumerateArray());
        Assert.Equal(s.School, step.GetProperty("owner").GetString());
        Assert.Equal(tomorrow.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture), step.GetProperty("dueOn").GetString());

        // The audit trail has it from whoever held the MASH's link.
        var audit = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?action=decision.recorded", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.Mash);
        Assert.Equal("email-link", entry.GetProperty("actor").GetProperty("keyId").GetString());

        // The school's links — its incident, the decision shared with it and its next step — take no decision: a page for a person, a problem for a client.
        var schoolEmails = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(s.SchoolAddress), m => m.Count == 3,
            "the school's incident, decision and next-step emails");
        foreach (var email in schoolEmails)
        {
            var page = await PostFormAsync(hub, LinkUrl(email), browser: true, ("action", "decide"), ("outcome", "early-help"));
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("The page&#x27;s form was changed before it was sent.", await page.Content.ReadAsStringAsync());
            var client = await PostFormAsync(hub, LinkUrl(email), browser: false, ("action", "decide"), ("outcome", "early-help"));
            Assert.Equal(HttpStatusCode.BadRequest, client.StatusCode);
            Assert.Equal("application/problem+json", client.Content.Headers.ContentType?.MediaType);
            Assert.True((await client.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("action", out _));
        }
        Assert.Equal(1, (await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task A_MASHs_decision_with_mistakes_comes_back_naming_each_in_words_with_what_was_typed_kept_and_once_corrected_is_recorded()
    {
        var s = await MashEmailedAsync();
        var (now, tomorrow) = UkNow();
        const string rationale = "Synthetic rationale kept after a mistake.";

        var journey = await BrowserPages.WalkAsync([
            new { @goto = s.MashLink }, new { click = "#open" },
            new { click = "#outcome-early-help" },
            .. TypeInto("#decided-day", "31"), .. TypeInto("#decided-month", "2"), .. TypeInto("#decided-year", N(now.Year)), .. TypeInto("#decided-hour", "10"),
            .. TypeInto("#decided-minute", "00"),
            new { click = "#joint" },
            .. TypeInto("#rationale", rationale),
            .. TypeInto("#step-1-action", "Offer the child a trusted adult"),
            new { click = "#decide button" }, .. BrowserPages.CheckAtEverySize("decision-errors"),
            new { wait = "#outcome-early-help:checked" }, new { wait = "#joint:checked" },
            new { inputValue = "#decided-day", @as = "day" }, new { inputValue = "#step-1-action", @as = "action" }, new { inputValue = "#rationale", @as = "rationale" },
            new { fill = "#decided-day", value = N(now.Day) }, new { fill = "#decided-month", value = N(now.Month) },
            new { fill = "#decided-hour", value = N(now.Hour) }, new { fill = "#decided-minute", value = N(now.Minute) },
            new { click = "#jointWith-childrens-social-care" },
            new { fill = "#step-1-owner", value = s.School },
            new { fill = "#step-1-due-day", value = N(tomorrow.Day) }, new { fill = "#step-1-due-month", value = N(tomorrow.Month) },
            new { fill = "#step-1-due-year", value = N(tomorrow.Year) },
            new { click = "#decide button" }, new { check = "decision-corrected" },
        ]);
        BrowserPages.AssertAccessible(journey);

        var errors = journey.Checks["decision-errors"];
        Assert.Equal(400, errors.Status);
        Assert.StartsWith("Error:", errors.Title);
        var summary = errors.Main[..errors.Main.IndexOf("Safeguarding notification for", StringComparison.Ordinal)];
        Assert.Contains("There is a problem", summary);
        foreach (var message in new[]
        {
            "When the decision was made must be a real date and time (24-hour clock)",
            "Select the agencies the decision was made with",
            "Enter the NotifyHub id of the organisation that owns next step 1",
            "Enter when next step 1 is due",
        })
        {
            Assert.Contains(message, summary);
        }
        Assert.DoesNotContain("decidedAt", errors.Main);
        Assert.DoesNotContain("nextSteps", errors.Main);
        Assert.Equal("31", journey.Texts["day"]);
        Assert.Equal("Offer the child a trusted adult", journey.Texts["action"]);
        Assert.Equal(rationale, journey.Texts["rationale"]);
        // The error summary takes focus, so that a screen reader starts there.
        Assert.NotEqual("body", journey.Checks["decision-errors"].Focused);

        var corrected = journey.Checks["decision-corrected"];
        Assert.Equal(200, corrected.Status);
        Assert.Contains("Decision recorded: version 1", corrected.Main);
        var latest = (await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("latest");
        Assert.Equal("early-help", latest.GetProperty("outcome").GetString());
        Assert.Equal(["childrens-social-care"], latest.GetProperty("jointWith").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(rationale, latest.GetProperty("rationale").GetString());
    }

    [Fact]
    public async Task A_decision_form_tampered_with_or_too_long_is_answered_400_or_413_never_500_and_nothing_is_recorded()
    {
        var s = await MashEmailedAsync();
        var (now, _) = UkNow();
        (string, string)[] decided =
        [
            ("decided-day", N(now.Day)), ("decided-month", N(now.Month)), ("decided-year", N(now.Year)), ("decided-hour", N(now.Hour)),
            ("decided-minute", N(now.Minute)),
        ];
        (string, string)[][] bad =
        [
            [("action", "decide"), ("outcome", "lock-them-up"), .. decided, ("joint", "no"), ("rationale", "r")],
            [("action", "decide"), ("outcome", "early-help"), ("outcome", "no-further-action"), .. decided, ("joint", "no"), ("rationale", "r")],
            [("action", "decide"), ("outcome", "early-help"), ("decided-day", "99"), ("decided-month", "x"), ("decided-year", "-1"), ("decided-hour", "1e3"),
                ("decided-minute", "\u0000"), ("joint", "perhaps"), ("rationale", "r")],
            [("action", "decide"), ("outcome", "early-help"), .. decided, ("joint", "no"), ("rationale", new string('r', 4001))],
            [("action", "decide"), ("outcome", "early-help"), ("children", "99999999999"), ("children", "-1"), .. decided, ("joint", "yes"),
                ("jointWith", "everyone"), ("rationale", "r"), ("step-1-owner", "no-such-organisation"), ("step-1-action", "a"),
                ("step-1-due-day", "1"), ("step-1-due-month", "1"), ("step-1-due-year", "2199")],
            [("action", "decide"), ("outcome", "early-help"), .. decided, ("joint", "no"), ("rationale", "r"), ("step-1-owner", "no-such-organisation"),
                ("step-1-action", "a"), ("step-1-due-day", N(now.Day)), ("step-1-due-month", N(now.Month)), ("step-1-due-year", N(now.Year))],
            [("action", "decide"), .. Enumerable.Range(0, 150).Select(i => ("children", N(i)))],
        ];
        foreach (var fields in bad)
        {
            foreach (var browser in new[] { true, false })
            {
                var answer = await PostFormAsync(hub, s.MashLink, browser, fields);
                Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{answer.StatusCode} for {string.Join("&", fields.Select(f => f.Item1))}: {await answer.Content.ReadAsStringAsync()}");
                Assert.Equal(browser ? "text/html" : "application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            }
        }

        var unknownOwner = await PostFormAsync(hub, s.MashLink, browser: true, bad[5]);
        Assert.Contains("The organisation for next step 1 is not an active organisation in the directory", await unknownOwner.Content.ReadAsStringAsync());

        // A rationale of the most characters, each one a character the form encodes in nine bytes, is over the limit.
        var huge = await PostFormAsync(hub, s.MashLink, browser: true, [("action", "decide"), ("rationale", new string('’', 4000))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        // An ordinary long one is not.
        var longText = string.Join(' ', Enumerable.Repeat("Synthetic words, the child's own account.", 100))[..4000];
        var accepted = await PostFormAsync(hub, s.MashLink, browser: false, [("action", "decide"), ("outcome", "early-help"), .. decided, ("joint", "no"),
            ("rationale", longText)]);
        Assert.True(accepted.StatusCode == HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync());
        Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(1, (await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.Notification}/decisions", s.MashKey))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versions").GetArrayLength());
    }
}
