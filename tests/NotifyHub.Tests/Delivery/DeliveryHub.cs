using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// The hub with delivery running against real parts: a maildev SMTP server started for it, webhook receivers on
/// loopback started by each test, Azurite. Retries are fast (200 ms apart, 3 attempts a channel) so that a failure
/// path runs to its end within a test; reconciliation runs only when a test asks.
/// </summary>
public class DeliveryHubFixture : HubFixture
{
    public Maildev Mail { get; private set; } = null!;

    protected virtual string[] MaildevArguments => [];

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Email__SmtpPort"] = Mail.SmtpPort.ToString(),
        ["Delivery__RetryDelays"] = "00:00:00.200",
        ["Delivery__AttemptsPerChannel"] = "3",
        ["Delivery__AttemptTimeout"] = "00:00:02",
        ["Delivery__RequeueAfter"] = "00:00:01",
        // A copy of a message that arrives while an attempt holds the delivery comes back when the claim lapses: soon, here.
        ["Delivery__ClaimFor"] = "00:00:08",
        ["ReconcileIncidentsSchedule"] = "0 0 0 1 1 *",
    };

    protected override Action<JsonObject>? ChangeHostJson => host =>
    {
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.200";
    };

    public override async Task InitializeAsync()
    {
        Mail = await Maildev.StartAsync(MaildevArguments);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

/// <summary>What the delivery tests do through the hub's public API.</summary>
public static class DeliveryApi
{
    /// <summary>Creates a school (LA 840, a fresh URN) with the given channel and contacts; answers its id.</summary>
    public static async Task<(string Id, string Urn)> NewSchoolAsync(HubFixture hub, object? channel, object[]? contacts = null)
    {
        var urn = Random.Shared.Next(100000, 899999).ToString();
        var id = "school-" + urn;
        var response = await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id, type = OrganisationTypes.School, name = "Synthetic School " + urn, urn, laCode = "840", channel, contacts = contacts ?? [],
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (id, urn);
    }

    public static async Task<string> RotateSecretAsync(HubFixture hub, string organisationId)
    {
        var response = await SendAsync(hub, HttpMethod.Post, $"/api/admin/organisations/{organisationId}/webhook-secrets", hub.AdminKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    public static async Task<string> IssueKeyAsync(HubFixture hub, string organisationId)
    {
        var response = await SendAsync(hub, HttpMethod.Post, $"/api/admin/organisations/{organisationId}/keys", hub.AdminKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    /// <summary>Submits the example incident with its first child at <paramref name="urn"/> (LA 840) and no GP; answers force, key, reference and incident id.</summary>
    public static Task<(string Force, string Key, string Reference, string IncidentId)> SubmitForSchoolAsync(HubFixture hub, string urn,
        string? force = null, string? key = null)
    {
        var incident = ExampleIncident.For("X", "X", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("location.postcodeDistrict", "ZZ1")
            .With("children[0].schoolUrn", urn).With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        return RouteIncidentTests.SubmitAsync(hub, incident, force, key);
    }

    /// <summary>The delivery to <paramref name="recipientId"/> in the force's view of the incident, once it satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonElement> DeliveryAsync(HubFixture hub, (string Force, string Key, string Reference, string IncidentId) incident,
        string recipientId, Func<JsonElement, bool> done, string what, TimeSpan? timeout = null) =>
        await Eventually.UntilAsync(async () =>
        {
            var status = await RouteIncidentTests.StatusAsync(hub, incident.Force, incident.Key, incident.Reference);
            return NotifyHub.Tests.Routing.RouteIncidentTests.Shares(status).FirstOrDefault(d => d.GetProperty("recipientId").GetString() == recipientId);
        }, d => d.ValueKind == JsonValueKind.Object && done(d), what, timeout);

    public static string Status(JsonElement delivery) => delivery.GetProperty("status").GetString()!;

    /// <summary>The attempt records of a notification, read from its incident's ledger (the status API shows them without the receivers' answers).</summary>
    public static async Task<IReadOnlyList<Azure.Data.Tables.TableEntity>> AttemptsAsync(HubFixture hub, string notificationId)
    {
        var table = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.LedgerTable);
        var dot = notificationId.IndexOf('.');
        var (incidentId, prefix) = (notificationId[..dot], "at|" + notificationId[(dot + 1)..] + "|");
        var list = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {incidentId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}")))
            list.Add(row);
        return list;
    }

    public static async Task<HttpResponseMessage> SendAsync(HubFixture hub, HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        return await hub.Http.SendAsync(request);
    }
}
