using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>The directory's admin API end to end over real HTTP. One hub per class; every test uses its own ids.</summary>
public class AdminApiTests(AdminApiTests.Hub hub) : IClassFixture<AdminApiTests.Hub>
{
    public sealed class Hub : IAsyncLifetime
    {
        public DirectoryHub Running { get; private set; } = null!;
        public async Task InitializeAsync() => Running = await DirectoryHub.StartAsync();
        public async Task DisposeAsync() => await Running.DisposeAsync();
    }

    private HttpClient Admin => hub.Running.Admin;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static JsonObject HealthTeam(string id) => new()
    {
        ["id"] = id, ["type"] = "health-visiting-team", ["name"] = "Synthetic Health Visiting Team", ["laCode"] = "840", ["odsCode"] = "RX1",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic Duty HV", ["role"] = "Duty", ["email"] = "duty@example.invalid" }),
        ["channel"] = new JsonObject { ["kind"] = "email", ["email"] = "team@example.invalid" },
        ["coverage"] = new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("A99001"), ["postcodeDistricts"] = new JsonArray("DH1") },
    };

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task An_administrator_creates_reads_updates_and_deactivates_an_organisation()
    {
        var id = NewId("hv");
        var created = await Admin.PostAsJsonAsync("/api/admin/organisations", HealthTeam(id));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/admin/organisations/{id}", created.Headers.Location!.OriginalString);
        Assert.NotNull(created.Headers.ETag);

        var read = await Admin.GetAsync($"/api/admin/organisations/{id}");
        var body = await BodyAsync(read);
        Assert.Equal(("A99001", "team@example.invalid", true), (body["coverage"]!["gpPracticeOdsCodes"]![0]!.GetValue<string>(), body["channel"]!["email"]!.GetValue<string>(), body["active"]!.GetValue<bool>()));

        // What GET answers can be PUT back with a change, under its ETag.
        body["name"] = "Synthetic Health Visiting Team (renamed)";
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/admin/organisations/{id}") { Content = JsonContent.Create(body) };
        put.Headers.IfMatch.Add(read.Headers.ETag!);
        var updated = await Admin.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Synthetic Health Visiting Team (renamed)", (await BodyAsync(updated))["name"]!.GetValue<string>());
        Assert.NotEqual(read.Headers.ETag, updated.Headers.ETag);

        var deactivated = await Admin.PostAsync($"/api/admin/organisations/{id}/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((await BodyAsync(deactivated))["active"]!.GetValue<bool>());
        Assert.False((await hub.Running.Store.GetAsync(id, default))!.Active);
        Assert.DoesNotContain((await hub.Running.Store.LoadAsync([new DirectoryKey("health-visiting-team", "gp", "A99001")], default))
            .Find(new DirectoryKey("health-visiting-team", "gp", "A99001")), o => o.Id == id);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var id = NewId("hv");
        var created = await Admin.PostAsJsonAsync("/api/admin/organisations", HealthTeam(id));
        var staleETag = created.Headers.ETag!;
        var first = HealthTeam(id);
        first["name"] = "First change";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}", first)).StatusCode);

        var second = HealthTeam(id);
        second["name"] = "Second change";
        second["coverage"] = new JsonObject { ["postcodeDistricts"] = new JsonArray("DH9") };
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/admin/organisations/{id}") { Content = JsonContent.Create(second) };
        put.Headers.IfMatch.Add(staleETag);
        var refused = await Admin.SendAsync(put);

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var stored = (await hub.Running.Store.GetAsync(id, default))!;
        Assert.Equal("First change", stored.Name);
        Assert.Equal(["DH1"], stored.Coverage!.PostcodeDistricts);
    }

    [Fact]
    public async Task Coverage_is_replaced_and_the_team_is_then_found_only_by_its_new_keys()
    {
        var id = NewId("sn");
        var team = HealthTeam(id);
        team["type"] = "school-nursing-team";
        await Admin.PostAsJsonAsync("/api/admin/organisations", team);

        var response = await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}/coverage",
            new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("B88001"), ["postcodeDistricts"] = new JsonArray("sr7") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        DirectoryKey oldGp = new("school-nursing-team", "gp", "A99001"), newGp = new("school-nursing-team", "gp", "B88001"), newDistrict = new("school-nursing-team", "postcode-district", "SR7");
        var snapshot = await hub.Running.Store.LoadAsync([oldGp, newGp, newDistrict], default);
        Assert.DoesNotContain(snapshot.Find(oldGp), o => o.Id == id);
        Assert.Contains(snapshot.Find(newGp), o => o.Id == id);
        Assert.Contains(snapshot.Find(newDistrict), o => o.Id == id);
    }

    [Fact]
    public async Task Coverage_for_an_organisation_that_is_not_a_health_team_is_refused()
    {
        var id = NewId("mash");
        await Admin.PostAsJsonAsync("/api/admin/organisations", new JsonObject { ["id"] = id, ["type"] = "mash", ["name"] = "Synthetic MASH", ["laCode"] = "840" });
        var response = await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}/coverage", new JsonObject { ["postcodeDistricts"] = new JsonArray("DH1") });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_answered_400_naming_every_bad_field_and_nothing_is_stored()
    {
        var id = NewId("school");
        var response = await Admin.PostAsJsonAsync("/api/admin/organisations", new JsonObject
        {
            ["id"] = id, ["type"] = "school", ["name"] = "Synthetic School", ["urn"] = "12", ["laCode"] = "8400",
            ["channel"] = new JsonObject { ["kind"] = "webhook", ["url"] = "http://school.example.invalid/hook" },
            ["coverage"] = new JsonObject { ["postcodeDistricts"] = new JsonArray("DH1") },
            ["schoolDayStart"] = "half eight",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await BodyAsync(response))["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Equal(["channel.url", "coverage", "laCode", "schoolDayStart", "urn"], errors.Order().ToArray());
        Assert.Null(await hub.Running.Store.GetAsync(id, default));
    }

    [Fact]
    public async Task An_email_address_the_sender_could_not_send_to_is_answered_400_naming_each_field_and_nothing_is_stored()
    {
        var id = NewId("team");
        var body = HealthTeam(id);
        body["contacts"]![0]!["email"] = "duty,head@school.example";
        body["channel"]!["email"] = "team@school..example";
        var response = await Admin.PostAsJsonAsync("/api/admin/organisations", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await BodyAsync(response))["errors"]!.AsObject().Select(e => e.Key).Order().ToArray();
        Assert.Equal(["channel.email", "contacts[0].email"], errors);
        Assert.Null(await hub.Running.Store.GetAsync(id, default));
    }

    private static JsonObject Force(string id, string code) => new()
    {
        ["id"] = id, ["type"] = "police-force", ["name"] = "Synthetic force " + code, ["forceCode"] = code,
    };

    private static string NewForceCode() => "F" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    [Fact]
    public async Task A_force_code_belongs_to_one_organisation_and_a_second_claim_is_a_409_naming_forceCode()
    {
        var code = NewForceCode();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/admin/organisations", Force(NewId("force"), code))).StatusCode);

        var second = await Admin.PostAsJsonAsync("/api/admin/organisations", Force(NewId("force"), code));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.True((await BodyAsync(second))["errors"]!.AsObject().ContainsKey("forceCode"));

        // Nor can another force be re-pointed at it.
        var other = NewId("force");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/admin/organisations", Force(other, NewForceCode()))).StatusCode);
        var repointed = await Admin.PutAsJsonAsync($"/api/admin/organisations/{other}", Force(other, code));
        Assert.Equal(HttpStatusCode.Conflict, repointed.StatusCode);
        Assert.True((await BodyAsync(repointed))["errors"]!.AsObject().ContainsKey("forceCode"));
    }

    [Fact]
    public async Task A_force_code_can_change_until_the_force_has_a_key_and_then_it_is_locked()
    {
        var id = NewId("force");
        var (first, second, third) = (NewForceCode(), NewForceCode(), NewForceCode());
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/admin/organisations", Force(id, first))).StatusCode);

        // No key, no incident yet: the code may still be corrected, and the old one is free again.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}", Force(id, second))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/admin/organisations", Force(NewId("force"), first))).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync($"/api/admin/organisations/{id}/keys", null)).StatusCode);
        var locked = await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}", Force(id, third));
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.True((await BodyAsync(locked))["errors"]!.AsObject().ContainsKey("forceCode"));
        Assert.Equal(second, (await hub.Running.Store.GetAsync(id, default))!.ForceCode);
        Assert.Equal(id, await hub.Running.Store.Forces.OwnerAsync(second, default));
    }

    [Fact]
    public async Task Creating_an_organisation_twice_is_a_conflict()
    {
        var team = HealthTeam(NewId("hv"));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/admin/organisations", team)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/api/admin/organisations", team)).StatusCode);
    }

    [Fact]
    public async Task Listing_by_type_and_local_authority_pages_with_a_continuation_token()
    {
        const string la = "123"; // no other test of this class's hub uses LA 123, so the listing holds exactly these
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = NewId("yos");
            ids.Add(id);
            await Admin.PostAsJsonAsync("/api/admin/organisations", new JsonObject { ["id"] = id, ["type"] = "yos-team", ["name"] = "Synthetic YOS", ["laCode"] = la });
        }
        await Admin.PostAsJsonAsync("/api/admin/organisations", new JsonObject { ["id"] = NewId("mash"), ["type"] = "mash", ["name"] = "Synthetic MASH", ["laCode"] = la });

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/admin/organisations?type=yos-team&laCode={la}&pageSize=2" + (token is null ? "" : "&continuationToken=" + token);
            var page = await BodyAsync(await Admin.GetAsync(url));
            seen.AddRange(page["items"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
            pages++;
        } while (token is not null && pages < 20);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.True(pages >= 3);
    }

    [Fact]
    public async Task Listing_names_bad_query_parameters()
    {
        var response = await Admin.GetAsync("/api/admin/organisations?type=hospital&laCode=84&pageSize=0&continuationToken=%%%");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await BodyAsync(response))["errors"]!.AsObject().Select(e => e.Key).Order().ToArray();
        Assert.Equal(["continuationToken", "laCode", "pageSize", "type"], errors);
    }

    [Fact]
    public async Task Reading_updating_or_deactivating_an_unknown_organisation_is_404()
    {
        var id = NewId("none");
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/admin/organisations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PutAsJsonAsync($"/api/admin/organisations/{id}", HealthTeam(id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/api/admin/organisations/{id}/deactivate", null)).StatusCode);
    }

    // Who may call each endpoint is held for every HTTP function at once by Hosting/AuthorisationMatrixTests.
}
