using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using NotifyHub.Bench;
using NotifyHub.Domain.Directory;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>The GIAS import over real HTTP. Each test runs its own hub with its own tables: the URNs are fixed.</summary>
public class GiasImportTests
{
    private static readonly string SampleFile = Path.Combine(RepoPaths.Root, "tests", "NotifyHub.Tests", "Directory", "Data", "edubasealldata-sample.csv");
    private static readonly string[] Header = SyntheticGias.ReadHeader(SampleFile);

    private static async Task<JsonObject> ImportAsync(DirectoryHub hub, byte[] file)
    {
        var response = await PostAsync(hub, file);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<HttpResponseMessage> PostAsync(DirectoryHub hub, byte[] file, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await hub.Admin.PostAsync("/api/admin/directory/gias", content);
    }

    private static byte[] File(IEnumerable<IReadOnlyDictionary<string, string>> rows, params string[] rawLines)
    {
        using var stream = new MemoryStream();
        SyntheticGias.Write(stream, Header, rows);
        var raw = SyntheticGias.Windows1252.GetBytes(string.Concat(rawLines.Select(l => l + "\r\n")));
        stream.Write(raw);
        return stream.ToArray();
    }

    private static IEnumerable<IReadOnlyDictionary<string, string>> Synthetic(int count) =>
        Enumerable.Range(0, count).Select(i => (IReadOnlyDictionary<string, string>)SyntheticGias.Row(i));

    private static int Count(JsonObject report, string name) => report[name]!.GetValue<int>();

    private static int Skipped(JsonObject report, string reason) => report["skipped"]![reason]?.GetValue<int>() ?? 0;

    [Fact]
    public async Task The_two_real_rows_of_the_sample_become_two_open_schools()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var report = await ImportAsync(hub, await System.IO.File.ReadAllBytesAsync(SampleFile));

        Assert.Equal((2, 2, 0), (Count(report, "rows"), Count(report, "added"), Count(report, "errorCount")));
        var aldgate = (await hub.Store.GetAsync("school-100000", default))!;
        Assert.Equal(new Organisation("school-100000", "school", "The Aldgate School", true, Urn: "100000", LaCode: "201", Phase: "Primary",
            StatutoryLowAge: 3, StatutoryHighAge: 11, Postcode: "EC3A 5DE", Contacts: aldgate.Contacts, SchoolDayStart: new TimeOnly(8, 30)), aldgate);
        var girls = (await hub.Store.GetAsync("school-100001", default))!;
        Assert.Equal(("City of London School for Girls", null, 7, 18), (girls.Name, girls.Phase, girls.StatutoryLowAge, girls.StatutoryHighAge));
        var snapshot = await hub.Store.LoadAsync([new DirectoryKey("school", "urn", "100001")], default);
        Assert.Equal("school-100001", Assert.Single(snapshot.Find(new DirectoryKey("school", "urn", "100001"))).Id);
    }

    [Fact]
    public async Task A_generated_file_is_imported_with_closed_rows_skipped_bad_rows_reported_and_windows_1252_names_read()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var rows = Synthetic(200).ToList();
        var badUrn = new Dictionary<string, string>(SyntheticGias.Row(500)) { ["URN"] = "12AB" };
        var file = File([.. rows, badUrn], "399999,\"840\",\"a row cut short\"");
        var report = await ImportAsync(hub, file);

        var statuses = rows.Select(r => (Status: r["EstablishmentStatus (name)"], Group: r["EstablishmentTypeGroup (name)"])).ToList();
        var closed = statuses.Count(s => s.Status == "Closed");
        var proposed = statuses.Count(s => s.Status == "Proposed to open");
        var notNotified = statuses.Count(s => s.Status.StartsWith("Open", StringComparison.Ordinal) && s.Group is "Universities" or "Other types" or "Welsh schools" or "Online provider");
        Assert.True(closed > 0 && notNotified > 0);
        Assert.Equal(202, Count(report, "rows"));
        Assert.Equal(200 - closed - proposed - notNotified, Count(report, "added"));
        Assert.Equal(closed, Skipped(report, "closed"));
        Assert.Equal(proposed, Skipped(report, "proposed to open"));

        // Errors name the row (the header is row 1) and the column, never the row's content.
        var errors = report["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToArray();
        Assert.Equal([(202, "URN"), (203, "$row")], errors);
        Assert.DoesNotContain("a row cut short", report.ToJsonString());

        // The file is Windows-1252: 0x92 is a curly apostrophe, 0xE9 an e acute.
        Assert.Contains((byte)0x92, file);
        Assert.Contains((byte)0xE9, file);
        foreach (var name in new[] { "St Mary\u2019s Synthetic School", "Café Synthetic Academy" })
        {
            var row = rows.First(r => r["EstablishmentName"].StartsWith(name, StringComparison.Ordinal) && r["EstablishmentStatus (name)"] == "Open" &&
                                      r["EstablishmentTypeGroup (name)"] is not ("Universities" or "Other types" or "Welsh schools" or "Online provider"));
            Assert.Equal(row["EstablishmentName"], (await hub.Store.GetAsync("school-" + row["URN"], default))!.Name);
        }
    }

    [Fact]
    public async Task A_file_resaved_as_utf8_with_a_byte_order_mark_is_read_as_utf8()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var row = new Dictionary<string, string>(SyntheticGias.Row(0))
        {
            ["EstablishmentStatus (name)"] = "Open", ["EstablishmentTypeGroup (name)"] = "Academies", ["CloseDate"] = "",
            ["EstablishmentName"] = "Café Synthetic Academy",
        };
        var windows1252 = File([row]);
        var utf8 = System.Text.Encoding.UTF8.GetPreamble()
            .Concat(System.Text.Encoding.UTF8.GetBytes(SyntheticGias.Windows1252.GetString(windows1252))).ToArray();

        var report = await ImportAsync(hub, utf8);

        Assert.Equal(1, Count(report, "added"));
        Assert.Equal("Café Synthetic Academy", (await hub.Store.GetAsync("school-" + row["URN"], default))!.Name);
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var file = File(Synthetic(150));
        var first = await ImportAsync(hub, file);
        var second = await ImportAsync(hub, file);

        Assert.True(Count(first, "added") > 100);
        Assert.Equal((0, 0, Count(first, "added"), 0), (Count(second, "added"), Count(second, "updated"), Count(second, "unchanged"), Count(second, "deactivated")));
    }

    [Fact]
    public async Task What_administrators_set_on_a_school_survives_a_reimport_that_changes_its_gias_fields()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var row = new Dictionary<string, string>(SyntheticGias.Row(0)) { ["EstablishmentStatus (name)"] = "Open", ["EstablishmentTypeGroup (name)"] = "Academies", ["CloseDate"] = "" };
        await ImportAsync(hub, File([row]));
        var id = "school-" + row["URN"];
        var school = JsonNode.Parse(await hub.Admin.GetStringAsync($"/api/admin/organisations/{id}"))!.AsObject();
        school["schoolDayStart"] = "08:50";
        school["calendarOverride"] = "synthetic-trust-calendar";
        school["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic DSL", ["role"] = "DSL", ["email"] = "dsl@example.invalid" });
        school["channel"] = new JsonObject { ["kind"] = "webhook", ["url"] = "https://school.example.invalid/notifyhub" };
        Assert.Equal(HttpStatusCode.OK, (await hub.Admin.PutAsJsonAsync($"/api/admin/organisations/{id}", school)).StatusCode);

        row["EstablishmentName"] = "Synthetic School 00001 (renamed)";
        var report = await ImportAsync(hub, File([row]));

        Assert.Equal(1, Count(report, "updated"));
        var after = (await hub.Store.GetAsync(id, default))!;
        Assert.Equal("Synthetic School 00001 (renamed)", after.Name);
        Assert.Equal((new TimeOnly(8, 50), "synthetic-trust-calendar", "https://school.example.invalid/notifyhub"), (after.SchoolDayStart, after.CalendarOverride, after.Channel!.Url));
        Assert.Equal("dsl@example.invalid", Assert.Single(after.Contacts!).Email);
    }

    [Fact]
    public async Task A_school_that_closed_is_marked_inactive_unless_it_has_deliveries_and_is_never_deleted()
    {
        await using var hub = await DirectoryHub.StartAsync();
        Dictionary<string, string> Open(int i) => new(SyntheticGias.Row(i)) { ["EstablishmentStatus (name)"] = "Open", ["EstablishmentTypeGroup (name)"] = "Academies", ["CloseDate"] = "" };
        var (a, b) = (Open(0), Open(1));
        await ImportAsync(hub, File([a, b]));

        // A delivery to school b, as routing records it on the recipient side: table RecipientDeliveries, PK = recipient id.
        var deliveries = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.RecipientDeliveriesTable);
        await deliveries.CreateIfNotExistsAsync();
        await deliveries.AddEntityAsync(new TableEntity("school-" + b["URN"], "delivery-1"));

        a["EstablishmentStatus (name)"] = b["EstablishmentStatus (name)"] = "Closed";
        a["CloseDate"] = b["CloseDate"] = SyntheticGias.ClosedDate;
        var report = await ImportAsync(hub, File([a, b]));

        Assert.Equal(1, Count(report, "deactivated"));
        Assert.Equal(1, Skipped(report, "closed, kept active: has deliveries"));
        Assert.False((await hub.Store.GetAsync("school-" + a["URN"], default))!.Active);
        Assert.True((await hub.Store.GetAsync("school-" + b["URN"], default))!.Active);
        var key = new DirectoryKey("school", "urn", a["URN"]);
        Assert.Empty((await hub.Store.LoadAsync([key], default)).Find(key));

        var again = await ImportAsync(hub, File([a, b]));
        Assert.Equal((0, 1), (Count(again, "deactivated"), Skipped(again, "closed")));
    }

    [Fact]
    public async Task A_file_without_a_needed_column_is_refused_naming_the_column()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var response = await PostAsync(hub, Encoding.ASCII.GetBytes("\"URN\",\"EstablishmentName\"\r\n100001,\"Synthetic\"\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("LA (code)", errors);
        Assert.Contains("EstablishmentStatus (name)", errors);
        Assert.DoesNotContain("URN", errors);
    }

    [Fact]
    public async Task A_body_that_is_not_csv_is_refused_with_415()
    {
        await using var hub = await DirectoryHub.StartAsync();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(hub, [1, 2, 3], "application/json")).StatusCode);
    }
}
