using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>The hub with maildev for the daily digest; its timers stay off (tests run the digest when they need it).</summary>
public sealed class DashboardLinkHubFixture : DeliveryHubFixture
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["DailyDigestSchedule"] = "0 0 0 1 1 *",
        ["SlaMonitorSchedule"] = "0 0 0 1 1 *",
        ["ReconcileManifestsSchedule"] = "0 0 0 1 1 *",
    };
}

/// <summary>Dashboard links that stop working before they expire: a lead revokes its own, an administrator any lead's.</summary>
public partial class DashboardLinkRevocationTests(DashboardLinkHubFixture hub) : IClassFixture<DashboardLinkHubFixture>
{
    [GeneratedRegex(@"https?://\S+/api/dashboard/[A-Za-z0-9_.-]+")]
    private static partial Regex DashboardUrl();

    private async Task<string> LinkPathAsync(string leadKey)
    {
        var link = await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links", leadKey), HttpStatusCode.Created);
        return new Uri(link.GetProperty("url").GetString()!).AbsolutePath;
    }

    private async Task<HttpStatusCode> OpensAsync(string path) => (await hub.Http.GetAsync(path + "/timeliness")).StatusCode;

    private Task<HttpResponseMessage> RevokeAsync(string key, object? body = null) =>
        DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links/revoke", key, body);

    [Fact]
    public async Task A_lead_revokes_every_dashboard_link_issued_so_far_including_the_digests_and_a_link_made_afterwards_works()
    {
        var (leadId, leadKey, leadEmail) = await NewLeadAsync(hub, ["840"]);
        var (_, otherKey, _) = await NewLeadAsync(hub, ["840"]);
        var asked = await LinkPathAsync(leadKey);
        await hub.RunFunctionAsync("DailyDigest");
        var digest = await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(leadEmail), e => e.Count >= 1, "the digest");
        var emailed = new Uri(DashboardUrl().Match(digest[0].GetProperty("text").GetString()!).Value).AbsolutePath;
        var others = await LinkPathAsync(otherKey);
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(asked));
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(emailed));
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync(emailed)).StatusCode);

        var revoked = await JsonAsync(await RevokeAsync(leadKey));

        Assert.Equal(leadId, revoked.GetProperty("organisationId").GetString());
        Assert.True(revoked.GetProperty("revokedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        foreach (var path in new[] { asked, emailed })
        {
            var page = await hub.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, await OpensAsync(path));
        }
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(others)); // another lead's links are untouched
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(await LinkPathAsync(leadKey)));

        var audit = await GetAsync(hub, "/api/admin/audit?action=timeliness.dashboard-links-revoked", hub.AdminKey);
        var entry = audit.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("targets")[0].GetString() == leadId);
        Assert.Equal(leadId, entry.GetProperty("actor").GetProperty("organisationId").GetString());
    }

    [Fact]
    public async Task An_administrator_revokes_a_named_leads_links_and_is_told_which_field_is_wrong_otherwise()
    {
        var (leadId, leadKey, _) = await NewLeadAsync(hub, ["840"]);
        var path = await LinkPathAsync(leadKey);

        var missing = await JsonAsync(await RevokeAsync(hub.AdminKey), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("organisationId", out _));
        var unknownField = await JsonAsync(await RevokeAsync(hub.AdminKey, new { organisationId = leadId, everything = true }), HttpStatusCode.BadRequest);
        Assert.True(unknownField.GetProperty("errors").TryGetProperty("everything", out _));
        var (school, _, _) = await NewSchoolAsync(hub);
        foreach (var notALead in new[] { "no-such-lead", school })
            Assert.Equal(HttpStatusCode.NotFound, (await RevokeAsync(hub.AdminKey, new { organisationId = notALead })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(path));

        var revoked = await JsonAsync(await RevokeAsync(hub.AdminKey, new { organisationId = leadId }));

        Assert.Equal(leadId, revoked.GetProperty("organisationId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await OpensAsync(path));
        var audit = await GetAsync(hub, "/api/admin/audit?action=timeliness.dashboard-links-revoked", hub.AdminKey);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("targets")[0].GetString() == leadId && e.GetProperty("actor").GetProperty("organisationId").GetString() == "hub-administrators");
    }

    [Fact]
    public async Task A_lead_may_not_revoke_another_leads_links()
    {
        var (_, leadKey, _) = await NewLeadAsync(hub, ["840"]);
        var (otherId, otherKey, _) = await NewLeadAsync(hub, ["840"]);
        var others = await LinkPathAsync(otherKey);

        var refused = await RevokeAsync(leadKey, new { organisationId = otherId });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True((await JsonAsync(refused, HttpStatusCode.Forbidden)).GetProperty("errors").TryGetProperty("organisationId", out _));
        Assert.Equal(HttpStatusCode.OK, await OpensAsync(others));
    }
}
