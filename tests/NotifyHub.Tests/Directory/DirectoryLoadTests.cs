using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using NotifyHub.Domain.Directory;
using NotifyHub.Organisations;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>What routing gets from <see cref="DirectoryStore.LoadAsync"/>, and how the index heals.</summary>
public class DirectoryLoadTests
{
    /// <summary>Every key the example incident (docs/examples/incident.json) is routed by.</summary>
    private static readonly DirectoryKey[] IncidentKeys =
    [
        new("school", "urn", "999001"),
        new("health-visiting-team", "gp", "Q99001"),
        new("health-visiting-team", "postcode-district", "QQ9"),
        new("school-nursing-team", "gp", "Q99001"),
        new("midwifery-team", "gp", "Q99001"),
        new("midwifery-team", "la", "999"),
        new("nps-spoc", "la", "999"),
        new("crc-spoc", "la", "999"),
        new("yos-team", "la", "999"),
        new("mash", "la", "999"),
        new("marac-coordinator", "la", "999"),
        new("la-education-safeguarding-team", "la", "999"),
    ];

    [Fact]
    public async Task The_demo_seed_makes_every_recipient_of_the_example_incident_findable_and_a_second_seed_creates_nothing()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var first = JsonNode.Parse(await (await hub.Admin.PostAsync("/api/admin/directory/demo", null)).Content.ReadAsStringAsync())!;
        var second = JsonNode.Parse(await (await hub.Admin.PostAsync("/api/admin/directory/demo", null)).Content.ReadAsStringAsync())!;
        Assert.Equal(DemoDirectory.Organisations.Count, first["created"]!.AsArray().Count);
        Assert.Empty(second["created"]!.AsArray());
        Assert.Equal(DemoDirectory.Organisations.Count, second["alreadyPresent"]!.AsArray().Count);

        var snapshot = await hub.Store.LoadAsync(IncidentKeys, default);
        Assert.Equal("school-999001", Assert.Single(snapshot.Find(IncidentKeys[0])).Id);
        foreach (var key in IncidentKeys.Skip(1)) Assert.Equal($"demo-{key.Type}", Assert.Single(snapshot.Find(key)).Id);
        Assert.Equal("DEMO", (await hub.Store.GetAsync("demo-police", default))!.ForceCode);
    }

    [Fact]
    public async Task With_demo_mode_off_the_demo_seed_answers_404_and_writes_nothing()
    {
        await using var hub = await DirectoryHub.StartAsync(new Dictionary<string, string?> { ["Directory__DemoMode"] = "false" });

        using var response = await hub.Admin.PostAsync("/api/admin/directory/demo", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Directory__DemoMode", await response.Content.ReadAsStringAsync());
        foreach (var organisation in DemoDirectory.Organisations) Assert.Null(await hub.Store.GetAsync(organisation.Id, default));
    }

    [Fact]
    public async Task The_demo_seed_leaves_real_organisations_alone_and_its_teams_never_route_a_real_incident()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var school = new JsonObject { ["id"] = "school-100001", ["type"] = "school", ["name"] = "Synthetic Real-Space Primary", ["urn"] = "100001", ["laCode"] = "840" };
        var mash = new JsonObject { ["id"] = "mash-840", ["type"] = "mash", ["name"] = "Synthetic Real-Space MASH", ["laCode"] = "840" };
        foreach (var body in new[] { school, mash })
            Assert.Equal(HttpStatusCode.Created, (await hub.Admin.PostAsync("/api/admin/organisations", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        var before = (await hub.Store.FindAsync("school-100001", default))!;

        Assert.Equal(HttpStatusCode.OK, (await hub.Admin.PostAsync("/api/admin/directory/demo", null)).StatusCode);

        var after = (await hub.Store.FindAsync("school-100001", default))!;
        Assert.Equal(before.ETag, after.ETag);
        DirectoryKey realMash = new("mash", "la", "840"), realSchool = new("school", "urn", "100001");
        var snapshot = await hub.Store.LoadAsync([realMash, realSchool], default);
        Assert.Equal(["mash-840"], snapshot.Find(realMash).Select(o => o.Id));
        Assert.Equal(["school-100001"], snapshot.Find(realSchool).Select(o => o.Id));
    }

    [Fact]
    public async Task The_demo_seed_never_overwrites_a_demo_organisation_an_administrator_has_changed()
    {
        await using var hub = await DirectoryHub.StartAsync();
        await hub.Admin.PostAsync("/api/admin/directory/demo", null);
        Assert.Equal(HttpStatusCode.OK, (await hub.Admin.PostAsync("/api/admin/organisations/demo-mash/deactivate", null)).StatusCode);

        var report = JsonNode.Parse(await (await hub.Admin.PostAsync("/api/admin/directory/demo", null)).Content.ReadAsStringAsync())!;

        Assert.Contains("demo-mash", report["alreadyPresent"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False((await hub.Store.GetAsync("demo-mash", default))!.Active);
    }

    [Fact]
    public async Task LoadAsync_returns_exactly_the_active_organisations_the_keys_index()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var store = hub.Store;
        Organisation Mash(string id, string la) => new(id, "mash", "Synthetic MASH " + id, true, LaCode: la);
        await store.CreateAsync(Mash("mash-a", "840"), "test", default);
        await store.CreateAsync(Mash("mash-b", "840"), "test", default);
        await store.CreateAsync(Mash("mash-c", "841"), "test", default);
        await store.CreateAsync(new Organisation("yos-a", "yos-team", "Synthetic YOS", true, LaCode: "840"), "test", default);
        await store.UpdateAsync("mash-b", null, s => s.Organisation with { Active = false }, default);

        DirectoryKey mash840 = new("mash", "la", "840"), mash841 = new("mash", "la", "841"), nobody = new("mash", "la", "842"), yos840 = new("yos-team", "la", "840");
        var snapshot = await store.LoadAsync([mash840, mash841, nobody, yos840], default);

        Assert.Equal(["mash-a"], snapshot.Find(mash840).Select(o => o.Id));
        Assert.Equal(["mash-c"], snapshot.Find(mash841).Select(o => o.Id));
        Assert.Empty(snapshot.Find(nobody));
        Assert.Equal(["yos-a"], snapshot.Find(yos840).Select(o => o.Id)); // the same LA, another type: found by its own key only
    }

    [Fact]
    public async Task Routing_keeps_what_it_read_for_RoutingCacheFor_and_a_write_through_the_store_applies_at_once()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var clock = new NotifyHub.Tests.Infrastructure.MovableTime(DateTimeOffset.UtcNow);
        var store = new DirectoryStore(hub.Tables, clock, TimeSpan.FromSeconds(5));
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        await store.CreateAsync(new Organisation("mash-x", "mash", "Synthetic MASH", true, LaCode: "850"), "test", default);
        DirectoryKey mash = new("mash", "la", "850");
        Assert.Equal(["mash-x"], (await store.LoadAsync([mash], default)).Find(mash).Select(o => o.Id));

        // A change made elsewhere (another instance, here straight to the table) is not seen while what was read is kept...
        await index.DeleteEntityAsync(DirectoryStore.IndexPartition(mash), "mash-x");
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(["mash-x"], (await store.LoadAsync([mash], default)).Find(mash).Select(o => o.Id));
        // ...and is once it lapses.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty((await store.LoadAsync([mash], default)).Find(mash));

        // A write through the store forgets everything read before it: the next load reads again.
        await store.UpdateAsync("mash-x", null, s => s.Organisation, default); // restores its index rows
        Assert.Equal(["mash-x"], (await store.LoadAsync([mash], default)).Find(mash).Select(o => o.Id));
        await store.UpdateAsync("mash-x", null, s => s.Organisation with { Active = false }, default);
        Assert.Empty((await store.LoadAsync([mash], default)).Find(mash));
    }

    [Fact]
    public async Task With_RoutingCacheFor_zero_every_load_reads_the_directory()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var store = new DirectoryStore(hub.Tables, TimeProvider.System, TimeSpan.Zero);
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        await store.CreateAsync(new Organisation("mash-y", "mash", "Synthetic MASH", true, LaCode: "851"), "test", default);
        DirectoryKey mash = new("mash", "la", "851");
        Assert.Single((await store.LoadAsync([mash], default)).Find(mash));

        await index.DeleteEntityAsync(DirectoryStore.IndexPartition(mash), "mash-y");
        Assert.Empty((await store.LoadAsync([mash], default)).Find(mash));
    }

    [Fact]
    public async Task A_stale_index_row_never_routes_and_a_lost_one_is_restored_by_running_the_update_again()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var store = hub.Store;
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        var team = new Organisation("hv-1", "health-visiting-team", "Synthetic HV", true, Coverage: new Coverage(["A99001"], ["DH1"]));
        await store.CreateAsync(team, "test", default);
        DirectoryKey gp = new("health-visiting-team", "gp", "A99001"), district = new("health-visiting-team", "postcode-district", "DH1");

        // As if a crash left a row for a key the team no longer has...
        await index.UpsertEntityAsync(new TableEntity(DirectoryStore.IndexPartition(new DirectoryKey("health-visiting-team", "gp", "B11111")), "hv-1"));
        Assert.Empty((await store.LoadAsync([new DirectoryKey("health-visiting-team", "gp", "B11111")], default)).Find(new DirectoryKey("health-visiting-team", "gp", "B11111")));

        // ...or lost a row it does have: re-running the same update puts it back.
        await index.DeleteEntityAsync(DirectoryStore.IndexPartition(gp), "hv-1");
        Assert.Empty((await store.LoadAsync([gp], default)).Find(gp));
        await store.UpdateAsync("hv-1", null, s => s.Organisation, default);
        var snapshot = await store.LoadAsync([gp, district], default);
        Assert.Equal("hv-1", Assert.Single(snapshot.Find(gp)).Id);
        Assert.Equal("hv-1", Assert.Single(snapshot.Find(district)).Id);
    }

    [Fact]
    public async Task A_write_that_died_after_removing_index_rows_is_repaired_by_the_RepairDirectoryIndex_timer()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        await hub.Store.CreateAsync(new Organisation("hv-1", "health-visiting-team", "Synthetic HV", true, Coverage: new Coverage(["A99001"], ["DH1"])), "test", default);
        DirectoryKey gp = new("health-visiting-team", "gp", "A99001");

        // What a writer that died between removing rows and re-adding the current ones leaves: its marker, and a
        // row missing that the stored organisation still has.
        await index.AddEntityAsync(new TableEntity("repair", "hv-1|dead-writer") { ["OrganisationId"] = "hv-1", ["At"] = DateTimeOffset.UtcNow.AddMinutes(-10) });
        await index.DeleteEntityAsync(DirectoryStore.IndexPartition(gp), "hv-1");
        Assert.Empty((await hub.Store.LoadAsync([gp], default)).Find(gp));

        using var run = await hub.Admin.PostAsync("/admin/functions/RepairDirectoryIndex?wait=true", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);

        Assert.Equal("hv-1", Assert.Single((await hub.Store.LoadAsync([gp], default)).Find(gp)).Id);
        Assert.Empty(await index.QueryAsync<TableEntity>(e => e.PartitionKey == "repair").ToListAsync());
    }

    [Fact]
    public async Task A_marker_younger_than_a_minute_belongs_to_a_live_write_and_is_left_alone()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        await index.AddEntityAsync(new TableEntity("repair", "hv-9|live-writer") { ["OrganisationId"] = "hv-9", ["At"] = DateTimeOffset.UtcNow });

        Assert.Equal(0, await hub.Store.RepairIndexAsync(TimeSpan.FromMinutes(1), default));
        Assert.Single(await index.QueryAsync<TableEntity>(e => e.PartitionKey == "repair").ToListAsync());
    }

    [Fact]
    public async Task Concurrent_updates_that_add_and_remove_keys_leave_every_current_key_indexed_and_no_marker()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var store = hub.Store;
        await store.CreateAsync(new Organisation("hv-1", "health-visiting-team", "Synthetic HV", true, Coverage: new Coverage(["A99001"], ["DH1"])), "test", default);
        string[][] practiceSets = [["A99001"], ["A99002"], ["A99001", "A99002"], ["A99003"], ["A99001", "A99003"]];

        // Eight writers, each reading and writing with the ETag it read, retrying until its write lands.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < 4; round++)
            {
                var practices = practiceSets[(writer + round) % practiceSets.Length];
                while ((await store.UpdateAsync("hv-1", null, s => s.Organisation with { Coverage = new Coverage(practices, ["DH1"]) }, default)).Status != SaveStatus.Saved) { }
            }
        })));

        var final = (await store.GetAsync("hv-1", default))!;
        var keys = DirectoryIndexKeys.Of(final).Where(DirectoryIndexKeys.IsIndexed).ToArray();
        var snapshot = await store.LoadAsync(keys, default);
        Assert.All(keys, key => Assert.Equal("hv-1", Assert.Single(snapshot.Find(key)).Id));
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        Assert.Empty(await index.QueryAsync<TableEntity>(e => e.PartitionKey == "repair").ToListAsync());
    }

    [Fact]
    public async Task A_writer_that_loses_the_race_removes_no_index_row()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var store = hub.Store;
        await store.CreateAsync(new Organisation("hv-1", "health-visiting-team", "Synthetic HV", true, Coverage: new Coverage(["A99001"], ["DH1"])), "test", default);
        var read = (await store.FindAsync("hv-1", default))!;
        await store.UpdateAsync("hv-1", null, s => s.Organisation with { Name = "Synthetic HV renamed" }, default);

        var late = await store.UpdateAsync("hv-1", read.ETag, s => s.Organisation with { Coverage = new Coverage(["B11111"], []) }, default);

        Assert.Equal(SaveStatus.PreconditionFailed, late.Status);
        var index = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.DirectoryIndexTable);
        var rows = await index.QueryAsync<TableEntity>(e => e.RowKey == "hv-1").Select(e => e.PartitionKey).ToListAsync();
        Assert.Contains(DirectoryStore.IndexPartition(new DirectoryKey("health-visiting-team", "gp", "A99001")), rows);
        Assert.Contains(DirectoryStore.IndexPartition(new DirectoryKey("health-visiting-team", "postcode-district", "DH1")), rows);
    }

    [Fact]
    public async Task The_demo_seed_needs_an_administrator()
    {
        await using var hub = await DirectoryHub.StartAsync();
        using var police = await hub.PoliceClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsync("/api/admin/directory/demo", null)).StatusCode);
    }
}
