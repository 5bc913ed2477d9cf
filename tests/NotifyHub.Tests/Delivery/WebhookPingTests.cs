using System.Net;
using System.Security.Cryptography;
using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// A hub for the daily handshake alone: attempts time out after 1 s, pings go 8 at a time, and the secrets key has a
/// retired predecessor (<see cref="RetiredKey"/>) that still opens what it protected. Timers are off: tests run the ping.
/// </summary>
public sealed class PingHubFixture : HubFixture
{
    public const int PingConcurrency = 8;
    public static readonly byte[] RetiredKey = RandomNumberGenerator.GetBytes(32);
    public static readonly WebhookSecretProtector Current = new(Convert.FromBase64String(LocalSettings.Value("Delivery__WebhookSecretKey")));

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Delivery__AttemptTimeout"] = "00:00:01",
        ["Delivery__PingConcurrency"] = PingConcurrency.ToString(),
        ["Delivery__WebhookSecretPreviousKey"] = Convert.ToBase64String(RetiredKey),
        ["PingWebhookEndpointsSchedule"] = "0 0 0 1 1 *",
        ["ReconcileIncidentsSchedule"] = "0 0 0 1 1 *",
    };

    /// <summary>Creates a school with the given URN, channel and contacts through the admin API.</summary>
    public async Task<string> SchoolAsync(int urn, object channel, bool secret)
    {
        var id = $"school-{urn}";
        var response = await SendAsync(this, HttpMethod.Post, "/api/admin/organisations", AdminKey, new
        {
            id, type = "school", name = $"Synthetic School {urn}", urn = urn.ToString(), laCode = "840", channel,
            contacts = new[] { new { name = "DSL", email = $"dsl-{urn}@school.example" } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        if (secret) await RotateSecretAsync(this, id);
        return id;
    }

    public TableClient Endpoints => Tables.GetTableClient(StorageNames.WebhookEndpointsTable);
}

/// <summary>The daily handshake over many endpoints, some of which never answer: loopback receivers only.</summary>
public class WebhookPingTests(PingHubFixture hub) : IClassFixture<PingHubFixture>
{
    /// <summary>
    /// 1,000 webhook recipients, 50 of which accept the connection and never answer (each holding its ping for the 1 s
    /// attempt timeout). The silent ones sort first, so a bounded run starts with all of its workers waiting on them.
    /// </summary>
    [Fact]
    public async Task The_daily_handshake_pings_a_bounded_number_of_endpoints_at_a_time_and_records_every_ones_result()
    {
        const int silentCount = 50, answeringCount = 950;
        await using var silent = SilentReceivers.Start(silentCount);
        await using var answering = await WebhookReceiver.StartAsync();
        var silentIds = new string[silentCount];
        var answeringIds = new string[answeringCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, silentCount + answeringCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (i < silentCount) silentIds[i] = await hub.SchoolAsync(100000 + i, new { kind = "webhook", url = silent.Urls[i] }, secret: true);
            else answeringIds[i - silentCount] = await hub.SchoolAsync(200000 + i, new { kind = "webhook", url = answering.Url }, secret: true);
        });
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        await hub.RunFunctionAsync("PingWebhookEndpoints");

        var rows = new Dictionary<string, TableEntity>();
        await foreach (var row in hub.Endpoints.QueryAsync<TableEntity>()) rows[row.PartitionKey] = row;
        Assert.All(silentIds, id => Assert.Equal((false, "timeout"), (rows[id].GetBoolean("LastPingOk"), rows[id].GetString("LastPingError"))));
        Assert.All(answeringIds, id => Assert.True(rows[id].GetBoolean("LastPingOk"), $"{id}: {rows[id].GetString("LastPingError")}"));
        Assert.All(silentIds.Concat(answeringIds), id => Assert.True(rows[id].GetDateTimeOffset("LastPingAt") >= started, $"{id} was not pinged in this run"));
        Assert.Equal(answeringCount, answering.Received.Count);
        Assert.Equal(silentCount, silent.Accepted);
        // One at a time, the silent endpoints would hold 1 connection (2 as one closes while the next opens); bounded,
        // never more than the setting.
        Assert.InRange(silent.MostOpenAtOnce, PingHubFixture.PingConcurrency / 2 + 1, PingHubFixture.PingConcurrency);
    }
}

/// <summary>Moving webhook secrets onto the current key, in the daily run, as a pass that does not depend on the pings.</summary>
public class WebhookSecretReprotectionTests(PingHubFixture hub) : IClassFixture<PingHubFixture>
{
    [Fact]
    public async Task Secrets_under_the_retired_key_are_protected_again_for_every_endpoint_even_one_no_ping_reaches_or_that_never_answers()
    {
        await using var silent = SilentReceivers.Start(1);
        var webhook = new { kind = "webhook", url = silent.Urls[0] };
        var neverAnswers = await hub.SchoolAsync(Random.Shared.Next(300000, 899999), webhook, secret: false);
        var nowByEmail = await hub.SchoolAsync(Random.Shared.Next(300000, 899999), new { kind = "email", email = "office@school.example" }, secret: false);
        var deactivated = await hub.SchoolAsync(Random.Shared.Next(300000, 899999), webhook, secret: false);
        (await SendAsync(hub, HttpMethod.Post, $"/api/admin/organisations/{deactivated}/deactivate", hub.AdminKey)).EnsureSuccessStatusCode();
        // Each endpoint's secret as the hub stored it before Delivery:WebhookSecretKey was rotated.
        var retired = new WebhookSecretProtector(PingHubFixture.RetiredKey);
        var secrets = new Dictionary<string, string>();
        foreach (var id in new[] { neverAnswers, nowByEmail, deactivated })
        {
            secrets[id] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            await hub.Endpoints.UpsertEntityAsync(new TableEntity(id, "endpoint") { ["CurrentSecret"] = retired.Protect(secrets[id], id), ["RotatedAt"] = DateTimeOffset.UtcNow });
        }

        await hub.RunFunctionAsync("PingWebhookEndpoints");

        var stored = new Dictionary<string, string>();
        foreach (var id in secrets.Keys) stored[id] = (await hub.Endpoints.GetEntityAsync<TableEntity>(id, "endpoint")).Value.GetString("CurrentSecret");
        var left = stored.Where(s => !s.Value.StartsWith($"v1.{PingHubFixture.Current.CurrentKeyId}.", StringComparison.Ordinal)).Select(s => s.Key).ToList();
        Assert.True(left.Count == 0, "still under the retired key: " + string.Join(", ", left.Select(id =>
            id == neverAnswers ? "the endpoint that never answers" : id == nowByEmail ? "the organisation now reached by email" : "the deactivated organisation")));
        foreach (var (id, secret) in secrets)
        {
            Assert.True(PingHubFixture.Current.TryUnprotect(stored[id], id, out var opened, out var stale, out _), $"{id}'s secret does not open with the current key");
            Assert.Equal((secret, false), (opened, stale));
        }
        var ping = (await hub.Endpoints.GetEntityAsync<TableEntity>(neverAnswers, "endpoint")).Value;
        Assert.Equal("timeout", ping.GetString("LastPingError"));
    }
}
