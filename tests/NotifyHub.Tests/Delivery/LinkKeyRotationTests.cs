using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Timeliness;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// The hub half-way through a rotation of <c>Delivery:LinkSigningKey</c>: a new current key, and the key it replaces
/// (here the committed development key, which every other test hub signs with) kept as <c>Delivery:LinkSigningPreviousKey</c>.
/// </summary>
public sealed class RotatedLinkKeyHubFixture : DeliveryHubFixture
{
    public static readonly byte[] CurrentKey = RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] PreviousKey = Convert.FromBase64String(LocalSettings.Value("Delivery__LinkSigningKey"));

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["Delivery__LinkSigningKey"] = Convert.ToBase64String(CurrentKey),
        ["Delivery__LinkSigningPreviousKey"] = Convert.ToBase64String(PreviousKey),
    };
}

/// <summary>Email and dashboard links through a key rotation: signed with the current key, opened with the current or the previous one.</summary>
public partial class LinkKeyRotationTests(RotatedLinkKeyHubFixture hub) : IClassFixture<RotatedLinkKeyHubFixture>
{
    [GeneratedRegex(@"https?://\S+/api/links/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")] private static partial Regex LinkPattern();

    private static string TokenOf(string url) => url[(url.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task An_email_link_signed_with_the_previous_key_still_opens_while_new_links_are_signed_with_the_current_key_only()
    {
        var address = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "email", email = address });
        var incident = await SubmitForSchoolAsync(hub, urn);
        await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the email to be accepted");
        var email = Assert.Single(await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(address), m => m.Count == 1, "the email"));
        var token = TokenOf(LinkPattern().Match(email.GetProperty("text").GetString()!).Value);

        var grant = LinkToken.Verify(RotatedLinkKeyHubFixture.CurrentKey, token, DateTimeOffset.UtcNow);
        Assert.NotNull(grant);
        Assert.Null(LinkToken.Verify(RotatedLinkKeyHubFixture.PreviousKey, token, DateTimeOffset.UtcNow));

        // The same grant as a link sent before the rotation would carry it, and as one signed with a key the hub never had.
        var beforeRotation = LinkToken.Create(RotatedLinkKeyHubFixture.PreviousKey, grant);
        var unknown = LinkToken.Create(RandomNumberGenerator.GetBytes(32), grant);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/links/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/links/{beforeRotation}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/links/{unknown}")).StatusCode);
    }

    [Fact]
    public async Task A_dashboard_link_signed_with_the_previous_key_still_opens_and_new_ones_are_signed_with_the_current_key()
    {
        var (_, leadKey, _) = await TimelinessApi.NewLeadAsync(hub, ["840"]);
        var link = await TimelinessApi.JsonAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        var token = TokenOf(link.GetProperty("url").GetString()!);
        var grant = LinkToken.Verify(RotatedLinkKeyHubFixture.CurrentKey, token, DateTimeOffset.UtcNow);
        Assert.NotNull(grant);
        Assert.Null(LinkToken.Verify(RotatedLinkKeyHubFixture.PreviousKey, token, DateTimeOffset.UtcNow));

        var beforeRotation = LinkToken.Create(RotatedLinkKeyHubFixture.PreviousKey, grant);
        var unknown = LinkToken.Create(RandomNumberGenerator.GetBytes(32), grant);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/dashboard/{token}/timeliness")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/dashboard/{beforeRotation}/timeliness")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/dashboard/{unknown}/timeliness")).StatusCode);
    }
}
