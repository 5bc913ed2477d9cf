using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Domain.Directory;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

public sealed class NotificationPageHubFixture : DeliveryHubFixture;

/// <summary>
/// The pages an email link opens, as the person reading them meets them in real Chromium: every state (not yet viewed,
/// viewed, a mistake in the form, acknowledged, a link that no longer opens) checked with axe-core at WCAG 2.2 AA at
/// 1280 px, 320 px and 200 % zoom, and acknowledged with the keyboard alone.
/// </summary>
public partial class NotificationPageTests(NotificationPageHubFixture hub) : IClassFixture<NotificationPageHubFixture>
{
    [GeneratedRegex(@"https?://\S+/api/links/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")] private static partial Regex LinkPattern();

    private string LinkUrl(JsonElement email) =>
        new Uri(hub.Host.BaseAddress, new Uri(LinkPattern().Match(email.GetProperty("text").GetString()!).Value).PathAndQuery).ToString();

    private async Task<JsonElement> EmailToAsync(string address) =>
        Assert.Single(await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(address), m => m.Count == 1, "the email to " + address));

    private async Task<(string School, string Urn, (string Force, string Key, string Reference, string IncidentId) Incident, JsonElement Email, System.Text.Json.Nodes.JsonObject Sent)> SchoolEmailedAsync()
    {
        var address = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "email", email = address });
        var sent = ExampleIncident.For("X", "X", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("location.postcodeDistrict", "ZZ1")
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var incident = await RouteIncidentTests.SubmitAsync(hub, sent);
        return (school, urn, incident, await EmailToAsync(address), sent);
    }

    /// <summary>The ways the page may put the example's time of occurrence (50 minutes before it was submitted, to the second).</summary>
    private static IReadOnlyList<string> OccurredPhrases(DateTimeOffset before, DateTimeOffset after)
    {
        var phrases = new List<string>();
        for (var t = before.AddMinutes(-51); t <= after.AddMinutes(-49); t = t.AddSeconds(30)) phrases.Add(UkTime.Describe(t));
        return phrases;
    }

    [Fact]
    public async Task A_school_views_its_notification_sees_what_to_do_first_corrects_a_mistake_and_acknowledges_with_the_keyboard_alone_every_state_accessible()
    {
        var before = DateTimeOffset.UtcNow;
        var (school, urn, incident, email, example) = await SchoolEmailedAsync();
        var after = DateTimeOffset.UtcNow;
        var child = example["children"]![0]!;

        var journey = await BrowserPages.WalkAsync([
            new { @goto = LinkUrl(email) }, .. BrowserPages.CheckAtEverySize("notification-unopened"),
            new { click = "#open" }, .. BrowserPages.CheckAtEverySize("notification-opened"),
            new { text = "main", @as = "opened" },
            new { click = "#acknowledge button" }, .. BrowserPages.CheckAtEverySize("notification-errors"),
            new { tabTo = "#name" }, new { type = "Synthetic Teacher" },
            new { tabTo = "#role" }, new { type = "Designated safeguarding lead" },
            new { press = "Enter" }, .. BrowserPages.CheckAtEverySize("notification-acknowledged"),
        ]);
        BrowserPages.AssertAccessible(journey);

        // Before the button, nothing of the incident: who it is for, the reference and the due time only.
        var unopened = journey.Checks["notification-unopened"];
        Assert.Equal(200, unopened.Status);
        Assert.Contains("Synthetic School " + urn, unopened.Main);
        Assert.Contains(incident.Reference, unopened.Main);
        Assert.DoesNotContain(child["givenName"]!.GetValue<string>(), unopened.Main);
        Assert.DoesNotContain(school, unopened.Main);

        // Viewed: the summary first, in words, with the organisation's name and UK times; then what to do; then the form.
        var opened = journey.Checks["notification-opened"].Main;
        Assert.Contains(OccurredPhrases(before, after), phrase => opened.Contains("When it happened" + phrase, StringComparison.Ordinal));
        Assert.Matches(@"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?(am|pm)|midnight|midday)", opened);
        Assert.Contains("Your pupil", opened);
        Assert.Contains(child["givenName"]!.GetValue<string>(), opened);
        Assert.Contains("Synthetic School " + urn, opened);
        Assert.DoesNotContain(school, opened);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", opened);
        foreach (var raw in new[] { "Gp practice", "Children 1", "Force code", "forceCode", "priorIncidents" }) Assert.DoesNotContain(raw, opened);
        var whatToDo = opened.IndexOf("What you need to do", StringComparison.Ordinal);
        var form = opened.IndexOf("Acknowledge that you have read", StringComparison.Ordinal);
        var details = opened.IndexOf("Police contact", StringComparison.Ordinal);
        Assert.True(whatToDo >= 0 && whatToDo < form && form < details, "what to do, then the form, then the details");
        Assert.Contains("Guidance for the key adult", opened);
        Assert.Contains("Do not raise the incident with the child's parents or carers", opened);
        // A school never sees the summary of what happened or the adults, nor the MASH's decision form.
        Assert.DoesNotContain(example["summary"]!.GetValue<string>()[..20], opened);
        Assert.DoesNotContain("Record the MASH's decision", opened);

        var errors = journey.Checks["notification-errors"];
        Assert.Equal(400, errors.Status);
        Assert.StartsWith("Error:", errors.Title);
        Assert.Contains("Enter your name", errors.Main);
        Assert.Contains("Enter your role", errors.Main);

        var acknowledged = journey.Checks["notification-acknowledged"];
        Assert.Equal(200, acknowledged.Status);
        Assert.Contains("Acknowledged", acknowledged.Main);
        Assert.Contains("by Synthetic Teacher (Designated safeguarding lead)", acknowledged.Main);
        Assert.DoesNotContain("Acknowledge that you have read", acknowledged.Main);
        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "acknowledged", "the acknowledgement from the keyboard");
        Assert.Equal("Designated safeguarding lead", delivery.GetProperty("acknowledgedByRole").GetString());
    }

    [Fact]
    public async Task A_health_visiting_team_is_asked_to_check_its_records_and_sees_the_summary_but_no_key_adult_guidance()
    {
        var address = $"hv-{Guid.NewGuid():N}@health.example.invalid";
        var district = "ZX" + Random.Shared.Next(10, 99);
        var created = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = "hv-" + Guid.NewGuid().ToString("N")[..12], type = OrganisationTypes.HealthVisitingTeam, name = "Synthetic Health Visiting Team",
            laCode = "840", channel = new { kind = "email", email = address }, coverage = new { postcodeDistricts = new[] { district } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var incident = ExampleIncident.For("X", "X", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("location.postcodeDistrict", district)
            .With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        await RouteIncidentTests.SubmitAsync(hub, incident);

        var journey = await BrowserPages.WalkAsync([
            new { @goto = LinkUrl(await EmailToAsync(address)) }, new { click = "#open" }, .. BrowserPages.CheckAtEverySize("notification-health"),
        ]);
        BrowserPages.AssertAccessible(journey);
        var page = journey.Checks["notification-health"].Main;
        Assert.Contains("Synthetic Health Visiting Team", page);
        Assert.Contains("Check your records for these children", page);
        Assert.Contains("Risk level", page);
        Assert.Contains("What happened", page);
        Assert.DoesNotContain("Guidance for the key adult", page);
    }

    [Fact]
    public async Task A_revoked_link_shows_a_person_a_page_saying_what_to_do_and_a_client_the_same_404_problem_as_any_bad_link()
    {
        var (school, _, incident, email, _) = await SchoolEmailedAsync();
        var notificationId = $"{incident.IncidentId}.{school}";
        var revoked = await SendAsync(hub, HttpMethod.Post, $"/api/admin/notifications/{notificationId}/revoke-links", hub.AdminKey);
        Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());

        var journey = await BrowserPages.WalkAsync([new { @goto = LinkUrl(email) }, .. BrowserPages.CheckAtEverySize("link-not-valid")]);
        BrowserPages.AssertAccessible(journey);
        var page = journey.Checks["link-not-valid"];
        Assert.Equal(404, page.Status);
        Assert.Contains("This link is not valid", page.Main);
        Assert.Contains("NotifyHub inbox", page.Main);

        var forged = await hub.Http.GetAsync("/api/links/not.valid");
        var client = await hub.Http.GetAsync(new Uri(LinkUrl(email)).PathAndQuery);
        foreach (var answer in new[] { forged, client })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal((await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await client.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
