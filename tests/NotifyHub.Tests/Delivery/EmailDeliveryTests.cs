using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

public sealed class EmailHubFixture : DeliveryHubFixture;

/// <summary>The secure email link channel, through a real SMTP server (maildev) and the hub's own page.</summary>
public partial class EmailDeliveryTests(EmailHubFixture hub) : IClassFixture<EmailHubFixture>
{
    private async Task<(string School, (string Force, string Key, string Reference, string IncidentId) Incident, string Address, JsonElement Email)> EmailedAsync()
    {
        var address = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "email", email = address });
        var incident = await SubmitForSchoolAsync(hub, urn);
        await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the email to be accepted by the SMTP server");
        var email = Assert.Single(await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(address), m => m.Count == 1, "the email"));
        return (school, incident, address, email);
    }

    /// <summary>The link in the email, pointed at this test's hub (the email names the configured public address).</summary>
    private string LinkPath(JsonElement email) => new Uri(LinkPattern().Match(email.GetProperty("text").GetString()!).Value).PathAndQuery;

    [GeneratedRegex(@"https?://\S+/api/links/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")] private static partial Regex LinkPattern();

    [Fact]
    public async Task The_email_carries_the_reference_and_a_link_but_no_detail_of_the_incident()
    {
        var (_, incident, _, email) = await EmailedAsync();

        var everything = email.GetProperty("subject").GetString() + email.GetProperty("text").GetString() + email.GetProperty("html").GetString();
        Assert.Contains(incident.Reference, everything);
        Assert.Matches(LinkPattern(), email.GetProperty("text").GetString()!);
        var example = ExampleIncident.Load();
        // The link's token is random base64url: it may hold any two letters ("P-" among them) by chance, so it is left out of the search.
        var words = LinkPattern().Replace(everything, "").Replace("Synthetic School", "");
        foreach (var secret in new[] { "Synthetic", "Example", "2016-03-02", "Jordan", "Casey", "pushed", "hid upstairs", "ZZ1", "P-" })
            Assert.DoesNotContain(secret, words);
    }

    [Fact]
    public async Task The_email_has_an_HTML_part_laid_out_like_GOV_UK_Notify_and_a_plain_text_part_that_say_the_same_things_what_to_do_and_by_when()
    {
        var (school, incident, _, json) = await EmailedAsync();
        var email = await SentEmail.ReadAsync(hub.Mail, json);
        var delivery = await DeliveryAsync(hub, incident, school, _ => true, "the delivery");
        var due = delivery.GetProperty("dueAt").GetDateTimeOffset();
        var link = LinkPattern().Match(email.Text).Value;
        var grant = LinkToken.Verify(Convert.FromBase64String(LocalSettings.Value("Delivery__LinkSigningKey")), link[(link.LastIndexOf('/') + 1)..], DateTimeOffset.UtcNow)!;

        email.AssertLaidOutLikeNotify();
        email.AssertBothPartsSay(incident.Reference, "Synthetic School " + school["school-".Length..], $"acknowledge it by {UkTime.Describe(due)}.", "Open the notification",
            $"It expires on {UkTime.Describe(grant.ExpiresAt)}.", "Do not forward this email.");
        Assert.Equal([link], email.HtmlLinks);
        foreach (var secret in new[] { "Synthetic", "Example", "2016-03-02", "Jordan", "Casey", "pushed", "hid upstairs", "ZZ1", "P-" })
            Assert.DoesNotContain(secret, email.Everything.Replace("Synthetic School", ""));
        await SentEmail.AssertAccessibleInChromiumAsync(email);
    }

    [Fact]
    public async Task The_link_opens_the_schools_view_when_asked_and_its_form_acknowledges_it_which_the_force_then_sees()
    {
        var (school, incident, _, email) = await EmailedAsync();
        var path = LinkPath(email);

        var landing = await hub.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal("no-referrer", landing.Headers.GetValues("Referrer-Policy").Single());
        var first = await landing.Content.ReadAsStringAsync();
        Assert.Contains(incident.Reference, first);
        Assert.DoesNotContain("Example", first); // the child's (synthetic) family name: not before a person asks to open it

        using var open = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "open" }) };
        open.Headers.Add("Accept", "text/html");
        var page = await hub.Http.SendAsync(open);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Example", html); // the child's (synthetic) family name: the school's projection
        Assert.DoesNotContain("Casey", html); // never the adults
        Assert.Contains("<form method=\"post\"", html);

        using var ack = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "A. Teacher", ["role"] = "Designated Safeguarding Lead" }),
        };
        ack.Headers.Add("Accept", "text/html");
        var acknowledged = await hub.Http.SendAsync(ack);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Contains("by A. Teacher (Designated Safeguarding Lead)", await acknowledged.Content.ReadAsStringAsync());

        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "acknowledged", "the force to see the acknowledgement");
        Assert.Equal("Designated Safeguarding Lead", delivery.GetProperty("acknowledgedByRole").GetString());
        Assert.DoesNotContain("A. Teacher", delivery.GetRawText());

        // A second acknowledgement through the link changes nothing: the first stands.
        var again = await hub.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Someone Else", ["role"] = "Head" }));
        var answer = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("alreadyAcknowledged").GetBoolean());
        Assert.Equal("A. Teacher", answer.GetProperty("acknowledged").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_acknowledgement_without_a_name_or_role_names_each_missing_field()
    {
        var (_, _, _, email) = await EmailedAsync();
        var response = await hub.Http.PostAsync(LinkPath(email), new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = " ", ["role"] = new string('r', 101) }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("role", out _));
    }

    [Fact]
    public async Task A_revoked_link_stops_working_and_looks_like_any_other_bad_link()
    {
        var (school, incident, _, email) = await EmailedAsync();
        var path = LinkPath(email);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync(path)).StatusCode);

        var revoke = await SendAsync(hub, HttpMethod.Post, $"/api/admin/notifications/{incident.IncidentId}.{school}/revoke-links", hub.AdminKey);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var after = await hub.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "A", ["role"] = "B" }))).StatusCode);
    }

    [Fact]
    public async Task A_link_works_for_its_own_notification_only_and_not_once_expired_or_altered()
    {
        var (school, incident, _, email) = await EmailedAsync();
        var path = LinkPath(email);
        var token = path[(path.LastIndexOf('/') + 1)..];
        var key = Convert.FromBase64String(LocalSettings.Value("Delivery__LinkSigningKey"));
        var grant = LinkToken.Verify(key, token, DateTimeOffset.UtcNow)!;

        // Signed with the hub's own key, but expired; and one for another school's notification of the same incident.
        var expired = LinkToken.Create(key, grant with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
        var other = LinkToken.Create(key, grant with { NotificationId = $"{incident.IncidentId}.school-000000" });
        var altered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        foreach (var bad in new[] { expired, other, altered })
            Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/links/{bad}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync(path)).StatusCode);
        Assert.Equal($"{incident.IncidentId}.{school}", grant.NotificationId);
    }
}

public sealed class RefusingMailHubFixture : DeliveryHubFixture
{
    /// <summary>maildev refusing every message as too large: a real SMTP 5xx refusal.</summary>
    protected override string[] MaildevArguments => ["--max-message-size", "64"];
}

public class EmailRefusalTests(RefusingMailHubFixture hub) : IClassFixture<RefusingMailHubFixture>
{
    [Fact]
    public async Task An_SMTP_refusal_is_permanent_and_with_no_channel_left_the_delivery_fails_with_the_servers_reply_logged()
    {
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "email", email = "dsl@school.example.invalid" });
        var incident = await SubmitForSchoolAsync(hub, urn);

        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "failed", "the delivery to fail");

        var attempt = Assert.Single(await AttemptsAsync(hub, delivery.GetProperty("notificationId").GetString()!));
        Assert.Equal(("email", "permanent-failure"), (attempt.GetString("Channel"), attempt.GetString("Outcome")));
        Assert.StartsWith("smtp-5", attempt.GetString("ErrorClass"));
        Assert.StartsWith("5", attempt.GetString("SmtpReply"));
        Assert.StartsWith("email: smtp-5", delivery.GetProperty("failureReason").GetString());
    }
}
