using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;
using NotifyHub.Organisations;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>
/// GP practices in the directory over real HTTP: the ODS (epraccur) import, practices made through the admin API, and
/// finding an incident's children's practices. One hub for the class; every test uses ODS codes of its own (A99nxx).
/// </summary>
public class GpPracticeDirectoryTests(GpPracticeDirectoryTests.Hub hub) : IClassFixture<GpPracticeDirectoryTests.Hub>
{
    public sealed class Hub : IAsyncLifetime
    {
        public DirectoryHub Running { get; private set; } = null!;
        public async Task InitializeAsync() => Running = await DirectoryHub.StartAsync();
        public async Task DisposeAsync() => await Running.DisposeAsync();
    }

    private DirectoryHub Running => hub.Running;

    /// <summary>One row of epraccur.csv as NHS Digital publishes it: 27 quoted fields, no header. Synthetic values throughout.</summary>
    private static string Row(string code, string name, string status = "A", string setting = "4", string postcode = "DH1 9ZZ") =>
        string.Join(",", new[]
        {
            code, name, "Y99", "QZZ", "1 SYNTHETIC STREET", "SYNTHETIC TOWN", "", "", "", postcode, "20010401", status == "C" ? "20240331" : "",
            status, "B", "00Z", "20130401", "", "01234 567890", "", "", "", "0", "", "4", "", setting, "",
        }.Select(f => "\"" + f + "\""));

    private static byte[] File(params string[] lines) => Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\r\n")));

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Running.Admin.PostAsync("/api/admin/directory/ods", content);
    }

    private async Task<JsonObject> ImportAsync(byte[] file)
    {
        var response = await PostAsync(file);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static int Count(JsonObject report, string name) => report[name]!.GetValue<int>();

    private static int Skipped(JsonObject report, string reason) => report["skipped"]![reason]?.GetValue<int>() ?? 0;

    [Fact]
    public async Task The_import_creates_the_active_gp_practices_and_skips_closed_dormant_proposed_and_other_settings_with_counts()
    {
        var report = await ImportAsync(File(
            Row("A99101", "SYNTHETIC MEDICAL CENTRE"),
            Row("A99102", "SYNTHETIC SURGERY", postcode: "dh1 8zz"),
            Row("A99103", "SYNTHETIC CLOSED SURGERY", status: "C"),
            Row("A99104", "SYNTHETIC DORMANT SURGERY", status: "D"),
            Row("A99105", "SYNTHETIC PROPOSED SURGERY", status: "P"),
            Row("A99106", "SYNTHETIC OUT OF HOURS SERVICE", setting: "2"),
            Row("A99107", "SYNTHETIC PRACTICE")));

        Assert.Equal((7, 3, 0, 0, 0), (Count(report, "rows"), Count(report, "created"), Count(report, "updated"), Count(report, "unchanged"), Count(report, "errorCount")));
        Assert.Equal((1, 1, 1, 1), (Skipped(report, "closed"), Skipped(report, "dormant"), Skipped(report, "proposed"), Skipped(report, "not a GP practice: prescribing setting 2")));

        var stored = (await Running.Store.FindAsync("gp-a99102", default))!;
        Assert.Equal(new Organisation("gp-a99102", "gp-practice", "SYNTHETIC SURGERY", true, OdsCode: "A99102", Postcode: "DH1 8ZZ",
            Contacts: stored.Organisation.Contacts), stored.Organisation);
        Assert.Empty(stored.Organisation.Contacts!);
        Assert.Equal(OrganisationEntity.SourceOds, stored.Source);
        foreach (var skipped in new[] { "gp-a99103", "gp-a99104", "gp-a99105", "gp-a99106" }) Assert.Null(await Running.Store.FindAsync(skipped, default));

        var audit = JsonNode.Parse(await Running.Admin.GetStringAsync("/api/admin/audit?action=directory.ods-imported&pageSize=100"))!["items"]!.AsArray();
        Assert.Contains(audit, e => e!["details"]!["created"]!.GetValue<int>() == 3 && e["details"]!["skipped"]!.GetValue<int>() == 4);
    }

    [Fact]
    public async Task The_example_file_in_the_docs_imports_three_practices_and_skips_a_closed_one_and_an_out_of_hours_service()
    {
        var file = await System.IO.File.ReadAllBytesAsync(Path.Combine(NotifyHub.Tests.Infrastructure.RepoPaths.Root, "docs", "examples", "epraccur-example.csv"));

        var report = await ImportAsync(file);

        Assert.Equal((5, 3, 0), (Count(report, "rows"), Count(report, "created"), Count(report, "errorCount")));
        Assert.Equal((1, 1), (Skipped(report, "closed"), Skipped(report, "not a GP practice: prescribing setting 2")));
        Assert.Equal(["gp-a99001", "gp-a99002", "gp-a99003"], (await Running.Store.GpPracticesAsync(["A99001", "A99002", "A99003", "A99004", "A99005"], default)).Select(o => o.Id));
    }

    [Fact]
    public async Task A_bad_row_is_reported_by_its_row_number_and_column_without_its_content_and_the_other_rows_are_imported()
    {
        var report = await ImportAsync(File(
            Row("A99201", "SYNTHETIC FIRST SURGERY"),
            "\"A99202\",\"SYNTHETIC SHORT ROW SURGERY\",\"Y99\"",
            Row("9920X", "SYNTHETIC BAD CODE SURGERY"),
            Row("A99203", "SYNTHETIC UNKNOWN STATUS SURGERY", status: "X"),
            Row("Q99204", "SYNTHETIC DEMO CODE SURGERY"),
            Row("A99205", "SYNTHETIC BAD POSTCODE SURGERY", postcode: "NOT A POSTCODE"),
            Row("A99201", "SYNTHETIC DUPLICATE SURGERY"),
            Row("A99206", "SYNTHETIC LAST SURGERY")));

        Assert.Equal((8, 2, 6), (Count(report, "rows"), Count(report, "created"), Count(report, "errorCount")));
        var errors = report["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToArray();
        Assert.Equal(
        [
            (2, "$row"), (3, "organisation code (column 1)"), (4, "status code (column 13)"), (5, "organisation code (column 1)"),
            (6, "postcode (column 10)"), (7, "organisation code (column 1)"),
        ], errors);
        var json = report.ToJsonString();
        Assert.DoesNotContain("SYNTHETIC", json);
        Assert.DoesNotContain("NOT A POSTCODE", json);
        Assert.Equal("SYNTHETIC FIRST SURGERY", (await Running.Store.GetAsync("gp-a99201", default))!.Name);
        Assert.NotNull(await Running.Store.GetAsync("gp-a99206", default));
    }

    [Fact]
    public async Task A_row_with_broken_quoting_is_reported_and_the_rows_after_it_are_still_read()
    {
        var report = await ImportAsync(File(
            Row("A99301", "SYNTHETIC SURGERY"),
            Row("A99302", "SYNTHETIC \"BROKEN\" SURGERY"), // the quotes inside the name are not doubled
            Row("A99303", "SYNTHETIC SURGERY")));

        Assert.Equal((2, 1), (Count(report, "created"), Count(report, "errorCount")));
        Assert.Equal(2, report["errors"]![0]!["row"]!.GetValue<int>());
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var file = File(Row("A99401", "SYNTHETIC SURGERY"), Row("A99402", "SYNTHETIC HEALTH CENTRE"), Row("A99403", "SYNTHETIC CLOSED", status: "C"));
        var first = await ImportAsync(file);
        var before = (await Running.Store.FindAsync("gp-a99401", default))!.ETag;

        var second = await ImportAsync(file);

        Assert.Equal(2, Count(first, "created"));
        Assert.Equal((0, 0, 2, 1), (Count(second, "created"), Count(second, "updated"), Count(second, "unchanged"), Skipped(second, "closed")));
        Assert.Equal(before, (await Running.Store.FindAsync("gp-a99401", default))!.ETag);
    }

    [Fact]
    public async Task A_reimport_updates_the_name_and_postcode_but_keeps_what_an_administrator_set_and_deactivates_nothing()
    {
        await ImportAsync(File(Row("A99501", "SYNTHETIC SURGERY"), Row("A99502", "SYNTHETIC OTHER SURGERY"), Row("A99503", "SYNTHETIC THIRD SURGERY")));
        var practice = JsonNode.Parse(await Running.Admin.GetStringAsync("/api/admin/organisations/gp-a99501"))!.AsObject();
        practice["laCode"] = "840";
        practice["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic Safeguarding Lead", ["email"] = "lead@example.invalid" });
        practice["channel"] = new JsonObject { ["kind"] = "webhook", ["url"] = "https://practice.example.invalid/notifyhub" };
        Assert.Equal(HttpStatusCode.OK, (await Running.Admin.PutAsJsonAsync("/api/admin/organisations/gp-a99501", practice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Running.Admin.PostAsync("/api/admin/organisations/gp-a99502/deactivate", null)).StatusCode);

        var report = await ImportAsync(File(Row("A99501", "SYNTHETIC SURGERY (RENAMED)", postcode: "DH1 7ZZ"), Row("A99502", "SYNTHETIC OTHER SURGERY"),
            Row("A99503", "SYNTHETIC THIRD SURGERY", status: "C")));

        Assert.Equal((1, 1, 1), (Count(report, "updated"), Count(report, "unchanged"), Skipped(report, "closed")));
        var after = (await Running.Store.GetAsync("gp-a99501", default))!;
        Assert.Equal(("SYNTHETIC SURGERY (RENAMED)", "DH1 7ZZ", "840", true), (after.Name, after.Postcode, after.LaCode, after.Active));
        Assert.Equal("https://practice.example.invalid/notifyhub", after.Channel!.Url);
        Assert.Equal("lead@example.invalid", Assert.Single(after.Contacts!).Email);
        Assert.False((await Running.Store.GetAsync("gp-a99502", default))!.Active); // an administrator's deactivation stands
        Assert.True((await Running.Store.GetAsync("gp-a99503", default))!.Active); // a practice that closed is left for an administrator
    }

    [Fact]
    public async Task A_file_in_utf8_or_in_windows_1252_is_read_in_its_own_encoding()
    {
        var utf8 = Encoding.UTF8.GetBytes(Row("A99601", "SYNTHETIC CAFÉ SURGERY") + "\r\n");
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(Row("A99602", "SYNTHETIC CAFÉ HEALTH CENTRE") + "\r\n");
        Assert.Contains((byte)0xC9, windows1252);

        await ImportAsync(utf8);
        await ImportAsync(windows1252);

        Assert.Equal("SYNTHETIC CAFÉ SURGERY", (await Running.Store.GetAsync("gp-a99601", default))!.Name);
        Assert.Equal("SYNTHETIC CAFÉ HEALTH CENTRE", (await Running.Store.GetAsync("gp-a99602", default))!.Name);
    }

    [Fact]
    public async Task A_body_that_is_not_the_practice_file_is_refused_saying_why_and_writes_nothing()
    {
        async Task<(HttpStatusCode, string)> Refused(byte[] body, string contentType = "text/csv")
        {
            var response = await PostAsync(body, contentType);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (status, text) = await Refused([]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("empty", text);
        (status, text) = await Refused(Encoding.ASCII.GetBytes("\r\n\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no rows", text);
        (status, text) = await Refused([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("zip", text);
        (status, text) = await Refused(Encoding.ASCII.GetBytes("\"URN\",\"EstablishmentName\"\r\n\"100001\",\"Synthetic School\"\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("27 columns", text);
        (status, _) = await Refused(File(Row("A99701", "SYNTHETIC SURGERY")), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        (status, _) = await Refused(new byte[ImportOdsDirectoryLimit + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        Assert.Null(await Running.Store.FindAsync("gp-a99701", default));
    }

    private const int ImportOdsDirectoryLimit = (int)NotifyHub.Functions.ImportOdsDirectory.MaxBytes;

    [Fact]
    public async Task A_gp_practice_created_through_the_api_with_a_channel_is_found_by_its_ods_code_and_inactive_or_unknown_codes_are_skipped()
    {
        JsonObject Practice(string code) => new()
        {
            ["id"] = "gp-" + code.ToLowerInvariant(), ["type"] = "gp-practice", ["name"] = "Synthetic Surgery " + code, ["odsCode"] = code,
            ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic Safeguarding Lead", ["email"] = "lead@example.invalid" }),
            ["channel"] = new JsonObject { ["kind"] = "email", ["email"] = "practice@example.invalid" },
        };
        Assert.Equal(HttpStatusCode.Created, (await Running.Admin.PostAsJsonAsync("/api/admin/organisations", Practice("A99801"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Running.Admin.PostAsJsonAsync("/api/admin/organisations", Practice("A99802"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Running.Admin.PostAsJsonAsync("/api/admin/organisations", Practice("A99803"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Running.Admin.PostAsync("/api/admin/organisations/gp-a99802/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Running.Admin.PostAsJsonAsync("/api/admin/organisations", Practice("A99801"))).StatusCode);

        var found = await Running.Store.GpPracticesAsync(["a99803", "A99801", "A99802", "A99809", "not a code", " A99801 "], default);

        Assert.Equal(["gp-a99801", "gp-a99803"], found.Select(o => o.Id));
        Assert.Equal("practice@example.invalid", found[0].Channel!.Email);
    }

    [Fact]
    public async Task The_demo_seed_adds_the_demo_gp_practice_which_the_demo_gp_code_finds()
    {
        Assert.Equal(HttpStatusCode.OK, (await Running.Admin.PostAsync("/api/admin/directory/demo", null)).StatusCode);

        var found = Assert.Single(await Running.Store.GpPracticesAsync([DemoSpace.GpPractice], default));

        Assert.Equal(("gp-q99001", "inbox"), (found.Id, found.Channel!.Kind));
    }
}
