using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

/// <summary>
/// Whatever a recipient's channel does — an exception of any kind, an address its library cannot parse — is that attempt's
/// outcome: recorded, retried on the schedule or given up for the fallback, never a poisoned message.
/// </summary>
public class ChannelFailureTests(DeliveryHubFixture hub) : IClassFixture<DeliveryHubFixture>
{
    private async Task<int> PoisonedAsync()
    {
        try { return (await hub.Queues.GetQueueClient(StorageNames.DeliveriesQueue + "-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount; }
        catch (RequestFailedException e) when (e.Status == 404) { return 0; }
    }

    [Fact]
    public async Task A_channel_that_throws_ends_as_a_recorded_failed_attempt_and_the_delivery_moves_to_its_fallback()
    {
        var held = new TaskCompletionSource();
        await using var receiver = await WebhookReceiver.StartAsync(async (context, n) =>
        {
            if (n == 0) await held.Task;
            context.Response.StatusCode = 500;
        });
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url },
            [new { name = "Designated Safeguarding Lead", role = "DSL", email = $"dsl-{Guid.NewGuid():N}@example.invalid" }]);
        await RotateSecretAsync(hub, school);
        var poisoned = await PoisonedAsync();
        var incident = await SubmitForSchoolAsync(hub, urn);

        // While the first attempt waits at the receiver, what the next attempt would send becomes unreadable to the channel:
        // building the webhook's body throws.
        await Eventually.UntilAsync(() => receiver.Received.Count, n => n >= 1, "the first attempt");
        var ledger = hub.Tables.GetTableClient(StorageNames.LedgerTable);
        var content = new TableEntity(incident.IncidentId, "ct|" + school);
        LargeBinary.Write(content, "Content", [0xFF, 0x00, 0x7B]);
        await ledger.UpsertEntityAsync(content, TableUpdateMode.Replace);
        held.SetResult();

        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) is "delivered" or "failed", "the delivery to end");
        Assert.Equal("delivered", Status(delivery));
        Assert.Equal("email", delivery.GetProperty("channel").GetString());
        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal(["webhook", "webhook", "email"], log.Select(a => a.GetProperty("channel").GetString()));
        Assert.Equal("permanent-failure", log[1].GetProperty("outcome").GetString());
        Assert.StartsWith("channel-exception-", log[1].GetProperty("errorClass").GetString());
        Assert.Equal(poisoned, await PoisonedAsync());
    }

    [Fact]
    public async Task An_email_address_stored_before_the_directory_checked_addresses_fails_the_delivery_with_its_attempts_recorded_and_nothing_poisoned()
    {
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "email", email = $"school-{Guid.NewGuid():N}@example.invalid" });
        // As a row written before the directory refused such addresses would hold it.
        var organisations = hub.Tables.GetTableClient(StorageNames.OrganisationsTable);
        var row = (await organisations.GetEntityAsync<TableEntity>(school, "profile")).Value;
        row["Channel"] = JsonSerializer.Serialize(new { kind = "email", email = "x,head@school..example" }, JsonSerializerOptions.Web);
        await organisations.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        var poisoned = await PoisonedAsync();

        var incident = await SubmitForSchoolAsync(hub, urn);

        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "failed", "the delivery to fail");
        var attempt = Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal("email", attempt.GetProperty("channel").GetString());
        Assert.Equal("permanent-failure", attempt.GetProperty("outcome").GetString());
        Assert.Equal(poisoned, await PoisonedAsync());
    }
}
