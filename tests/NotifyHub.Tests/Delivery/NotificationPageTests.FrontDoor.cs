using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// A front door reviews a held share on the page its email link opens (issue 22, docs/routing.md) and releases or
/// withholds it there, in real Chromium: every state checked with axe at every size.
/// </summary>
public partial class NotificationPageTests
{
    private static int _nextFrontDoorLa = 540;

    private sealed record FrontDoorScene(string Relay, string RelayLink, string School, string SchoolKey, string IncidentId, string FirstChild);

    /// <summary>An LA of its own whose schools are told through its MASH (on email), a school on its inbox, and the example incident routed there.</summary>
    private async Task<FrontDoorScene> FrontDoorEmailedAsync()
    {
        var la = Interlocked.Increment(ref _nextFrontDoorLa).ToString(CultureInfo.InvariantCulture);
        var address = $"front-door-{Guid.NewGuid():N}@mash.example.invalid";
        var relay = "mash-" + la + "-" + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = relay, type = "mash", name = "Synthetic Front Door " + la, laCode = la, channel = new { kind = "email", email = address },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var paths = await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{la}/paths", hub.AdminKey,
            new { paths = new[] { new { recipientType = "school", via = relay } } });
        Assert.True(paths.IsSuccessStatusCode, await paths.Content.ReadAsStringAsync());
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var (force, forceKey) = await hub.NewForceAsync();
        var sent = ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la)
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var incident = await RouteIncidentTests.SubmitAsync(hub, sent, force, forceKey);
        // The MASH gets two emails: its own share of the incident, and the review. The review's names the front door.
        var review = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(address),
            m => m.Any(e => e.GetProperty("subject").GetString()!.Contains("held at your front door", StringComparison.Ordinal)), "the review's email");
        return new FrontDoorScene(relay, LinkUrl(review.First(e => e.GetProperty("subject").GetString()!.Contains("held at your front door", StringComparison.Ordinal))),
            school, await IssueKeyAsync(hub, school), incident.IncidentId, sent["children"]![0]!["givenName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_front_door_reviews_a_held_share_on_its_page_is_told_what_to_correct_and_releases_it_with_a_note_every_state_accessible()
    {
        var s = await FrontDoorEmailedAsync();
        const string note = "Synthetic note: please speak to the MASH before contacting the family.";

        var journey = await BrowserPages.WalkAsync([
            new { @goto = s.RelayLink }, new { click = "#open" }, .. BrowserPages.CheckAtEverySize("review-form"),
            new { click = "#withhold-button" }, .. BrowserPages.CheckAtEverySize("review-errors"),
            .. TypeInto("#release-name", "Sam Synthetic"), .. TypeInto("#release-role", "MASH social worker"), .. TypeInto("#release-note", note),
            new { click = "#release-remove-child-whatChildSaid" },
            new { tabTo = "#release-button" }, new { press = "Enter" }, .. BrowserPages.CheckAtEverySize("review-released"),
        ]);
        BrowserPages.AssertAccessible(journey);

        var form = journey.Checks["review-form"];
        Assert.Equal(200, form.Status);
        Assert.Contains("Review before it goes to Synthetic School", form.Main);
        Assert.Contains("Release it by", form.Main);
        Assert.Contains("It stays here, and your escalation contact is told", form.Main);
        Assert.Contains("what the child said", form.Main);
        Assert.Contains(s.FirstChild, form.Main);

        var errors = journey.Checks["review-errors"];
        Assert.Equal(400, errors.Status);
        Assert.StartsWith("Error:", errors.Title);
        Assert.Contains("Enter your name", errors.Main);
        Assert.Contains("Select why you are withholding it", errors.Main);
        Assert.NotEqual("body", errors.Focused);

        var released = journey.Checks["review-released"];
        Assert.Equal(200, released.Status);
        Assert.Contains("Released", released.Main);
        Assert.Contains("MASH social worker", released.Main);

        // The school now has it, with the note and without what the child said; the audit trail has it from the link.
        var shareId = $"{s.IncidentId}.{s.School}";
        var view = await Eventually.UntilAsync(async () => await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{shareId}", s.SchoolKey),
            r => r.StatusCode == HttpStatusCode.OK, "the released share");
        var content = (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("content");
        Assert.Equal(note, content.GetProperty("frontDoor").GetProperty("note").GetString());
        Assert.All(content.GetProperty("children").EnumerateArray(), c => Assert.False(c.TryGetProperty("whatChildSaid", out _)));
        var audit = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?action=front-door.released", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("organisationId").GetString() == s.Relay);
        Assert.Equal("email-link", entry.GetProperty("actor").GetProperty("keyId").GetString());

        // Decided once: the form again is a conflict, for a person and for a client.
        var again = await PostFormAsync(hub, s.RelayLink, browser: true, ("action", "withhold"), ("name", "A"), ("role", "B"), ("reason", "duplicate"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var client = await PostFormAsync(hub, s.RelayLink, browser: false, ("action", "release"), ("name", "A"), ("role", "B"));
        Assert.Equal(HttpStatusCode.Conflict, client.StatusCode);
        Assert.Equal("application/problem+json", client.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_front_door_withholds_a_held_share_from_its_page_and_a_tampered_form_is_answered_400_never_500()
    {
        var s = await FrontDoorEmailedAsync();
        (string, string)[][] bad =
        [
            [("action", "withhold"), ("name", "A"), ("role", "B"), ("reason", "bored")],
            [("action", "withhold"), ("name", "A"), ("role", "B"), ("reason", "duplicate"), ("newSchoolUrn", "123456")],
            [("action", "withhold"), ("name", "A"), ("role", "B"), ("reason", "child-moved-school"), ("newSchoolUrn", "12x")],
            [("action", "release"), ("name", "A"), ("role", "B"), ("remove", "child.nhsNumber")],
            [("action", "release"), ("name", "A"), ("role", "B"), ("remove", "forceCode")],
            [("action", "release"), ("name", "A"), ("role", "B"), ("note", new string('n', 2001))],
            [("action", "release"), ("name", "\u0000"), ("role", "")],
        ];
        foreach (var fields in bad)
        {
            var page = await PostFormAsync(hub, s.RelayLink, browser: true, fields);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            var problem = await PostFormAsync(hub, s.RelayLink, browser: false, fields);
            Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        }

        var journey = await BrowserPages.WalkAsync([
            new { @goto = s.RelayLink }, new { click = "#open" },
            new { fill = "#withhold-name", value = "Sam Synthetic" }, new { fill = "#withhold-role", value = "MASH social worker" },
            new { click = "#withhold-reason-not-known-to-recipient" },
            new { click = "#withhold-button" }, .. BrowserPages.CheckAtEverySize("review-withheld"),
        ]);
        BrowserPages.AssertAccessible(journey);
        Assert.Equal(200, journey.Checks["review-withheld"].Status);
        Assert.Contains("Withheld", journey.Checks["review-withheld"].Main);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{s.IncidentId}.{s.School}", s.SchoolKey)).StatusCode);
    }
}
