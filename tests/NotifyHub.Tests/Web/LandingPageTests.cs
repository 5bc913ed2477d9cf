using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Web;

public sealed class LandingHubFixture : HubFixture;

/// <summary>The front door a newcomer meets: the landing page, the API reference, the docs and the hub's own 404.</summary>
public sealed class LandingPageTests(LandingHubFixture hub) : IClassFixture<LandingHubFixture>
{
    [Fact]
    public async Task The_landing_page_at_the_root_says_what_the_hub_is_and_links_to_the_API_reference_and_docs_accessibly()
    {
        var root = hub.Host.BaseAddress.ToString();
        var journey = await BrowserPages.WalkAsync([new { @goto = root }, .. BrowserPages.CheckAtEverySize("landing")]);
        BrowserPages.AssertAccessible(journey);
        var landing = journey.Checks["landing"];
        Assert.Equal(200, landing.Status);
        Assert.Contains("NotifyHub", landing.Main);
        Assert.Contains("If you received a notification", landing.Main);
        Assert.All(journey.Requests, r => Assert.StartsWith(root, r));

        // Every link on it works without a key.
        foreach (var path in new[] { "/api/reference", "/api/openapi.json", "/docs/delivery.md", "/docs/incident-schema.md", "/docs/routing.md", "/docs/timeliness.md", "/docs/evidence.md" })
        {
            var response = await hub.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
        var openApi = await hub.Http.GetFromJsonAsync<JsonElement>("/api/openapi.json");
        Assert.StartsWith("3.1", openApi.GetProperty("openapi").GetString());
    }

    [Fact]
    public async Task The_API_reference_draws_the_OpenAPI_document_in_the_browser_from_the_hubs_own_assets_only()
    {
        var root = hub.Host.BaseAddress.ToString();
        var journey = await BrowserPages.WalkAsync([
            new { @goto = root + "api/reference" }, new { wait = "text=Incidents" }, new { text = "body", @as = "reference" },
        ]);
        Assert.Contains("/api/incidents", journey.Texts["reference"]);
        // Scalar's stylesheet names its fonts at fonts.scalar.com: the page's policy stops those requests before they
        // leave the browser (and the reference is drawn in system fonts); nothing else goes anywhere but the hub.
        var blocked = journey.CspViolations.Select(v => v.GetProperty("blocked").GetString()).ToHashSet();
        Assert.All(journey.Requests.Where(r => !r.StartsWith(root, StringComparison.Ordinal)), r =>
        {
            Assert.StartsWith("https://fonts.scalar.com/", r);
            Assert.Contains(r, blocked);
        });
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem_of_the_hubs_own_type_and_an_unknown_asset_or_doc_too()
    {
        foreach (var path in new[] { "/no/such/page", "/assets/no-such.css", "/docs/no-such.md" })
        {
            var response = await hub.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("https://notifyhub.example/problems/not-found", problem.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Assets_are_served_with_a_strong_ETag_and_revalidate_to_304()
    {
        var first = await hub.Http.GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/css", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".govuk-", await first.Content.ReadAsStringAsync());
        var again = new HttpRequestMessage(HttpMethod.Get, "/assets/site.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await hub.Http.SendAsync(again)).StatusCode);
    }
}
