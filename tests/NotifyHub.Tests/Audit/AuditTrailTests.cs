using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Audit;

/// <summary>
/// The audit trail through its public surfaces: privileged acts done through the API, read back through
/// <c>GET /api/admin/audit</c>. Each test filters by what it did itself (its own organisation ids, its own window).
/// </summary>
public class AuditTrailTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? key = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (body is null ? null : JsonContent.Create(body)) };
        request.Headers.Add("X-Api-Key", key ?? hub.AdminKey);
        return await hub.Http.SendAsync(request);
    }

    private async Task<JsonElement> AuditAsync(string query)
    {
        var response = await SendAsync(HttpMethod.Get, "/api/admin/audit?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"));

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Every_privileged_act_of_an_administrator_is_recorded_with_who_what_when_and_the_target_ids()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = "force-audit-" + Guid.NewGuid().ToString("N")[..8];
        var code = "A" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var team = "hv-audit-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/admin/organisations",
            new { id, type = "police-force", name = "Synthetic audit force", forceCode = code })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, $"/api/admin/organisations/{id}",
            new { type = "police-force", name = "Synthetic audit force, renamed", forceCode = code })).StatusCode);
        var issued = await (await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{id}/keys")).Content.ReadFromJsonAsync<JsonElement>();
        var keyId = issued.GetProperty("keyId").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/admin/organisations/{id}/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{id}/deactivate")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/admin/organisations",
            new { id = team, type = "health-visiting-team", name = "Synthetic HV", laCode = "840" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, $"/api/admin/organisations/{team}/coverage",
            new { gpPracticeOdsCodes = new[] { "A12345" }, postcodeDistricts = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/directory/demo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/queues/incidents/replay")).StatusCode);
        var csv = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "tests", "NotifyHub.Tests", "Directory", "Data", "edubasealldata-sample.csv"));
        var gias = new ByteArrayContent(csv);
        gias.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/directory/gias", content: gias)).StatusCode);

        var entries = Items(await AuditAsync($"from={Instant(started)}&pageSize=1000"));
        string[] Of(string action, string target) =>
            entries.Where(e => e.GetProperty("action").GetString() == action
                               && e.GetProperty("targets").EnumerateArray().Any(t => t.GetString() == target))
                .Select(e => e.GetProperty("actor").GetProperty("organisationId").GetString()!).ToArray();

        Assert.Equal(["hub-administrators"], Of("organisation.created", id));
        Assert.Equal(["hub-administrators"], Of("organisation.changed", id));
        Assert.Equal(["hub-administrators"], Of("api-key.issued", keyId));
        Assert.Equal(["hub-administrators"], Of("api-key.revoked", keyId));
        Assert.Equal(["hub-administrators"], Of("organisation.deactivated", id));
        Assert.Equal(["hub-administrators"], Of("organisation.coverage-changed", team));
        var seeded = Assert.Single(entries, e => e.GetProperty("action").GetString() == "directory.demo-seeded");
        Assert.Contains(seeded.GetProperty("targets").EnumerateArray(), t => t.GetString() == "demo-police");
        var replayed = Assert.Single(entries, e => e.GetProperty("action").GetString() == "queue.poison-replayed");
        Assert.Equal("incidents", replayed.GetProperty("details").GetProperty("queue").GetString());
        var imported = Assert.Single(entries, e => e.GetProperty("action").GetString() == "directory.gias-imported");
        Assert.Equal(2, imported.GetProperty("details").GetProperty("rows").GetInt32());
        Assert.All(entries, e =>
        {
            Assert.StartsWith("key_", e.GetProperty("actor").GetProperty("keyId").GetString());
            Assert.True(e.GetProperty("at").GetDateTimeOffset() >= started);
        });
    }

    [Fact]
    public async Task A_refused_act_writes_no_record()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = "mash-refused-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "/api/admin/organisations", new { id, type = "mash", name = "Synthetic" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{id}/deactivate")).StatusCode);

        var entries = Items(await AuditAsync($"from={Instant(started)}&pageSize=1000"));
        Assert.DoesNotContain(entries, e => e.GetProperty("targets").EnumerateArray().Any(t => t.GetString() == id));
    }

    [Fact]
    public async Task The_trail_filters_by_action_actor_and_time_and_pages_newest_first_without_gaps_or_repeats()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = "yos-audit-" + Guid.NewGuid().ToString("N")[..8];
            ids.Add(id);
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/admin/organisations", new { id, type = "yos-team", name = "Synthetic YOS", laCode = "841" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{ids[0]}/deactivate")).StatusCode);
        var ended = DateTimeOffset.UtcNow.AddSeconds(1);

        var seen = new List<JsonElement>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await AuditAsync($"from={Instant(started)}&to={Instant(ended)}&action=organisation.created&actor=hub-administrators&pageSize=2"
                                        + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            seen.AddRange(Items(page));
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
            pages++;
        } while (token is not null && pages < 50);

        var mine = seen.Where(e => ids.Contains(e.GetProperty("targets")[0].GetString()!)).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse(), mine.Select(e => e.GetProperty("targets")[0].GetString()));
        Assert.All(seen, e => Assert.Equal("organisation.created", e.GetProperty("action").GetString()));
        Assert.Equal(seen.Count, seen.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.True(pages >= 3);

        Assert.DoesNotContain(Items(await AuditAsync($"to={Instant(started)}&action=organisation.deactivated&actor=hub-administrators")),
            e => e.GetProperty("targets")[0].GetString() == ids[0]);
        Assert.Contains(Items(await AuditAsync($"from={Instant(started)}&action=organisation.deactivated&actor=hub-administrators")),
            e => e.GetProperty("targets")[0].GetString() == ids[0]);
        Assert.Empty(Items(await AuditAsync($"from={Instant(started)}&actor=someone-else")));
    }

    [Fact]
    public async Task A_bad_query_is_a_400_naming_every_bad_parameter()
    {
        var response = await SendAsync(HttpMethod.Get,
            "/api/admin/audit?from=2026-11-26T10:00:00Z&to=yesterday&actor=no%20spaces&action=organisation.eaten&pageSize=0&continuationToken=%25%25");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["action", "actor", "continuationToken", "pageSize", "to"], errors);

        var backwards = await SendAsync(HttpMethod.Get, "/api/admin/audit?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z");
        Assert.Equal(["to"], (await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task The_trail_can_only_be_read(string method)
    {
        using var response = await SendAsync(new HttpMethod(method), "/api/admin/audit", content: new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
