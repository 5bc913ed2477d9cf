using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// The hub with timeliness on real parts (Azurite, maildev, the DevHost): the England-and-Wales bank holidays and LA 840's
/// term dates are loaded through the admin API at start. The timers stay off — tests run <c>SlaMonitor</c> through the
/// admin "run now" with <c>asOf</c>; a run judges whatever awaits judgement by then, so no test depends on another's run.
/// Some schools have due-time overrides by organisation (<c>elapsed 1h</c>), so a test can make a share that is already
/// late, or due within the fallback lead time, without waiting.
/// </summary>
public sealed class TimelinessHubFixture : DeliveryHubFixture
{
    public const string LateSchoolUrn = "987651";
    public const string FallbackSchoolUrn = "987652";
    /// <summary>Two more schools whose shares are due an hour after they are reported, for tests of their own.</summary>
    public const string ConcurrentRunsSchoolUrn = "987653";
    public const string PrefetchSchoolUrn = "987654";
    public const string AcknowledgedLateSchoolUrn = "987655";
    public const string JudgedStatusSchoolUrn = "987656";
    public const string EmailStyleSchoolUrn = "987657";

    /// <summary>The DevHost's and the worker's log is kept: tests read what the lateness log says.</summary>
    public TimelinessHubFixture() => Logs = new CollectedLogs();

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["SlaMonitorSchedule"] = "0 0 0 1 1 *",
        ["DailyDigestSchedule"] = "0 0 0 1 1 *",
        ["ReconcileManifestsSchedule"] = "0 0 0 1 1 *",
        ["Timeliness__Rules__0__RecipientType"] = "school",
        ["Timeliness__Rules__0__OrganisationId"] = "school-" + LateSchoolUrn,
        ["Timeliness__Rules__0__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__1__RecipientType"] = "school",
        ["Timeliness__Rules__1__OrganisationId"] = "school-" + FallbackSchoolUrn,
        ["Timeliness__Rules__1__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__2__RecipientType"] = "school",
        ["Timeliness__Rules__2__OrganisationId"] = "school-" + ConcurrentRunsSchoolUrn,
        ["Timeliness__Rules__2__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__3__RecipientType"] = "school",
        ["Timeliness__Rules__3__OrganisationId"] = "school-" + PrefetchSchoolUrn,
        ["Timeliness__Rules__3__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__4__RecipientType"] = "school",
        ["Timeliness__Rules__4__OrganisationId"] = "school-" + AcknowledgedLateSchoolUrn,
        ["Timeliness__Rules__4__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__5__RecipientType"] = "school",
        ["Timeliness__Rules__5__OrganisationId"] = "school-" + JudgedStatusSchoolUrn,
        ["Timeliness__Rules__5__Deadline"] = "elapsed 1h",
        ["Timeliness__Rules__6__RecipientType"] = "school",
        ["Timeliness__Rules__6__OrganisationId"] = "school-" + EmailStyleSchoolUrn,
        ["Timeliness__Rules__6__Deadline"] = "elapsed 1h",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var holidays = await TimelinessApi.SendRawAsync(this, HttpMethod.Put, "/api/admin/calendars/bank-holidays", AdminKey,
            await File.ReadAllTextAsync(TimelinessApi.DataFile("bank-holidays.json")), "application/json");
        Assert.True(holidays.IsSuccessStatusCode, await holidays.Content.ReadAsStringAsync());
        var terms = await TimelinessApi.SendRawAsync(this, HttpMethod.Put, "/api/admin/calendars/las/840", AdminKey,
            await File.ReadAllTextAsync(TimelinessApi.DataFile("term-dates-example.csv")), "text/csv");
        Assert.True(terms.IsSuccessStatusCode, await terms.Content.ReadAsStringAsync());
    }
}

/// <summary>What the timeliness tests do through the hub's public API.</summary>
public static class TimelinessApi
{
    public static string DataFile(string name) => Path.Combine(RepoPaths.Root, "tests", "NotifyHub.Tests", "Timeliness", "data", name);

    public static async Task<HttpResponseMessage> SendRawAsync(HubFixture hub, HttpMethod method, string path, string? key, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await hub.Http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A partnership lead for <paramref name="las"/> with an escalation contact (and contact) of its own; answers its id, key and the address.</summary>
    public static async Task<(string Id, string Key, string Email)> NewLeadAsync(HubFixture hub, string[] las, string[]? recipientTypes = null)
    {
        var id = "lead-" + Guid.NewGuid().ToString("N")[..10];
        var email = $"{id}@example.invalid";
        var created = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id, type = "partnership-lead", name = "Synthetic Partnership " + id, laCodes = las,
            contacts = new[] { new { name = "Board Manager", email } },
            escalationContacts = new[] { new { email, recipientTypes = recipientTypes ?? [] } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (id, await DeliveryApi.IssueKeyAsync(hub, id), email);
    }

    /// <summary>A school with an inbox and a contact email of its own, with the given id's URN (or a fresh one) in <paramref name="la"/>.</summary>
    public static async Task<(string Id, string Urn, string Email)> NewSchoolAsync(HubFixture hub, string? urn = null, string la = "840", object? channel = null)
    {
        urn ??= Random.Shared.Next(100000, 899999).ToString();
        var id = "school-" + urn;
        var email = $"dsl-{urn}-{Guid.NewGuid().ToString("N")[..6]}@example.invalid";
        var created = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id, type = "school", name = "Synthetic School " + urn, urn, laCode = la, channel = channel ?? new { kind = "inbox" },
            contacts = new[] { new { name = "Designated Safeguarding Lead", email } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (id, urn, email);
    }

    /// <summary>Submits the example incident in <paramref name="la"/> with its first child at <paramref name="urn"/>, reported 45 minutes before <paramref name="now"/>.</summary>
    public static Task<(string Force, string Key, string Reference, string IncidentId)> SubmitAsync(HubFixture hub, string urn, DateTimeOffset now,
        string la = "840", string? force = null, string? key = null, Func<JsonObject, JsonObject>? change = null)
    {
        var incident = ExampleIncident.For("X", "X", now).WithUniqueChildren()
            .With("location.laCode", la).With("location.postcodeDistrict", "ZZ1")
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        return RouteIncidentTests.SubmitAsync(hub, change is null ? incident : change(incident), force, key);
    }

    /// <summary>A bank-holiday file in GOV.UK's shape listing Christmas Day of each of <paramref name="years"/>: it covers those whole years.</summary>
    public static string BankHolidaysFile(params int[] years) => new JsonObject
    {
        ["england-and-wales"] = new JsonObject
        {
            ["division"] = "england-and-wales",
            ["events"] = new JsonArray([.. years.Select(year => (JsonNode)new JsonObject
            {
                ["title"] = "Christmas Day", ["date"] = $"{year:D4}-12-25", ["notes"] = "", ["bunting"] = true,
            })]),
        },
    }.ToJsonString();

    /// <summary>Loads <see cref="BankHolidaysFile"/> for <paramref name="years"/> through the admin API.</summary>
    public static async Task LoadBankHolidaysAsync(HubFixture hub, params int[] years)
    {
        var loaded = await SendRawAsync(hub, HttpMethod.Put, "/api/admin/calendars/bank-holidays", hub.AdminKey, BankHolidaysFile(years), "application/json");
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> RunMonitorAsync(HubFixture hub, DateTimeOffset asOf) =>
        await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/sla-monitor/run", hub.AdminKey,
            new { asOf = asOf.ToString("yyyy-MM-ddTHH:mm:ssZ") }));

    public static async Task<JsonElement> GetAsync(HubFixture hub, string path, string key) =>
        await JsonAsync(await DeliveryApi.SendAsync(hub, HttpMethod.Get, path, key));
}
