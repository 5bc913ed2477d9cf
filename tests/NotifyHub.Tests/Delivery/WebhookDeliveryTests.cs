using System.Net;
using System.Net.Http.Json;
using NotifyHub.Tests.Routing;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

public sealed class WebhookHubFixture : DeliveryHubFixture;

/// <summary>The signed webhook channel, end to end: real receivers on loopback, the signature checked by the npm reference package.</summary>
public class WebhookDeliveryTests(WebhookHubFixture hub) : IClassFixture<WebhookHubFixture>
{
    [Fact]
    public async Task A_routed_notification_reaches_the_schools_webhook_once_signed_so_that_the_reference_implementation_verifies_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        var secret = await RotateSecretAsync(hub, school);

        var incident = await SubmitForSchoolAsync(hub, urn);
        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the school's delivery to be delivered");

        var received = Assert.Single(receiver.Received);
        var notificationId = delivery.GetProperty("notificationId").GetString()!;
        Assert.Equal(notificationId, received.Id);
        Assert.StartsWith("application/json", received.ContentType);
        var (valid, output) = await NodeWebhookVerifier.VerifyAsync(secret, received);
        Assert.True(valid, output);
        Assert.False((await NodeWebhookVerifier.VerifyAsync("whsec_" + Convert.ToBase64String(new byte[32]), received)).Valid);

        using var payload = JsonDocument.Parse(received.Body);
        Assert.Equal("notification.created", payload.RootElement.GetProperty("type").GetString());
        Assert.Equal(1, payload.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(incident.Reference, payload.RootElement.GetProperty("content").GetProperty("incidentReference").GetString());
        // The school's projection: its child, never the adults or the incident summary.
        Assert.False(payload.RootElement.GetProperty("content").TryGetProperty("adults", out _));
        Assert.False(payload.RootElement.GetProperty("content").TryGetProperty("summary", out _));
        Assert.EndsWith($"/api/notifications/{notificationId}/ack", payload.RootElement.GetProperty("links").GetProperty("acknowledge").GetString());

        Assert.Equal("webhook", delivery.GetProperty("channel").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        var attempt = Assert.Single(await AttemptsAsync(hub, notificationId));
        Assert.Equal("delivered", attempt.GetString("Outcome"));
        Assert.Equal(200, attempt.GetInt32("HttpStatus"));
    }

    [Fact]
    public async Task An_issued_webhook_secret_is_kept_encrypted_in_table_storage_and_the_hub_still_signs_with_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        var secret = await RotateSecretAsync(hub, school);

        var row = (await hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.WebhookEndpointsTable)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>(school, "endpoint")).Value;
        var stored = row.GetString("CurrentSecret");
        Assert.StartsWith("v1.", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);

        await DeliveryAsync(hub, await SubmitForSchoolAsync(hub, urn), school, d => Status(d) == "delivered", "the delivery to be delivered");
        var (valid, output) = await NodeWebhookVerifier.VerifyAsync(secret, Assert.Single(receiver.Received));
        Assert.True(valid, output);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_a_third_attempt_with_the_same_webhook_id_and_every_attempt_is_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync((context, n) =>
        {
            context.Response.StatusCode = n < 2 ? 500 : 204;
            return n < 2 ? context.Response.WriteAsync("synthetic outage " + n) : Task.CompletedTask;
        });
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);

        var incident = await SubmitForSchoolAsync(hub, urn);
        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the delivery to succeed on its third attempt");

        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        // The force sees the attempt log in the status: when, which channel, how each ended; never the receiver's response.
        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], log.Select(a => a.GetProperty("number").GetInt32()));
        Assert.Equal(["http-500", "http-500", null], log.Select(a => a.GetProperty("errorClass").GetString()));
        Assert.All(log, a => Assert.False(a.TryGetProperty("response", out _)));
        var attempts = await AttemptsAsync(hub, delivery.GetProperty("notificationId").GetString()!);
        Assert.Equal(["failed", "failed", "delivered"], attempts.Select(a => a.GetString("Outcome")));
        Assert.Equal([500, 500, 204], attempts.Select(a => a.GetInt32("HttpStatus") ?? 0));
        Assert.Equal("http-500", attempts[0].GetString("ErrorClass"));
        Assert.Equal("synthetic outage 0", attempts[0].GetString("Response"));
        Assert.All(attempts, a => Assert.Equal("webhook", a.GetString("Channel")));
    }

    private static async Task<(string School, string Urn)> WebhookSchoolAsync(HubFixture hub, string url, string? contactEmail = null)
    {
        object[] contacts = contactEmail is null ? [] : [new { name = "Designated Safeguarding Lead", role = "DSL", email = contactEmail }];
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url }, contacts);
        await RotateSecretAsync(hub, school);
        return (school, urn);
    }

    private async Task<(JsonElement Delivery, IReadOnlyList<Azure.Data.Tables.TableEntity> Attempts)> FinalAsync(string school, string urn, string status)
    {
        var incident = await SubmitForSchoolAsync(hub, urn);
        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == status, $"the delivery to end {status}");
        return (delivery, await AttemptsAsync(hub, delivery.GetProperty("notificationId").GetString()!));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_in_time_is_tried_on_the_schedule_and_the_delivery_fails_with_every_timeout_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (context, _) => await Task.Delay(TimeSpan.FromSeconds(6), context.RequestAborted));
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);

        var (delivery, attempts) = await FinalAsync(school, urn, "failed");

        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(("failed", "timeout"), (a.GetString("Outcome"), a.GetString("ErrorClass"))));
        Assert.All(attempts, a => Assert.Null(a.GetInt32("HttpStatus")));
        Assert.Equal("webhook: timeout after 3 attempts", delivery.GetProperty("failureReason").GetString());
        var health = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/health", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("failedDeliveries").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_honoured_before_the_next_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync((context, n) =>
        {
            context.Response.StatusCode = n == 0 ? 429 : 200;
            if (n == 0) context.Response.Headers.RetryAfter = "2";
            return Task.CompletedTask;
        });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        Assert.Equal([429, 200], attempts.Select(a => a.GetInt32("HttpStatus") ?? 0));
        Assert.Equal("http-429", attempts[0].GetString("ErrorClass"));
        var gap = attempts[1].GetDateTimeOffset("StartedAt")!.Value - attempts[0].GetDateTimeOffset("StartedAt")!.Value;
        Assert.True(gap >= TimeSpan.FromSeconds(2), $"the second attempt came {gap} after the first, within the 2 s the receiver asked for");
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_the_delivery_fails_as_a_missing_share_when_there_is_no_fallback()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var (school, urn) = await WebhookSchoolAsync(hub, $"http://127.0.0.1:{port}/hook");

        var (delivery, attempts) = await FinalAsync(school, urn, "failed");

        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("connection-refused", a.GetString("ErrorClass")));
        Assert.Equal("webhook: connection-refused after 3 attempts", delivery.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task A_410_gone_disables_the_endpoint_and_the_notification_falls_back_to_a_secure_email_link()
    {
        await using var receiver = await WebhookReceiver.StartAsync((context, _) => { context.Response.StatusCode = 410; return Task.CompletedTask; });
        var contact = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url, contact);

        var (delivery, attempts) = await FinalAsync(school, urn, "delivered");

        Assert.Equal(["webhook", "email"], attempts.Select(a => a.GetString("Channel")));
        Assert.Equal(("permanent-failure", "http-410-gone", 410), (attempts[0].GetString("Outcome"), attempts[0].GetString("ErrorClass"), attempts[0].GetInt32("HttpStatus") ?? 0));
        Assert.Equal("delivered", attempts[1].GetString("Outcome"));
        Assert.Equal("email", delivery.GetProperty("channel").GetString());
        Assert.Single(await Eventually.UntilAsync(() => hub.Mail.EmailsToAsync(contact), m => m.Count == 1, "the fallback email"));

        // The endpoint stays disabled: the next notification to this school goes to email without calling the receiver.
        var (_, next) = await FinalAsync(school, urn, "delivered");
        Assert.Equal(["webhook", "email"], next.Select(a => a.GetString("Channel")));
        Assert.Equal("endpoint-disabled", next[0].GetString("ErrorClass"));
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync((context, n) =>
        {
            context.Response.StatusCode = n == 0 ? 307 : 200;
            if (n == 0) context.Response.Headers.Location = elsewhere.Url;
            return Task.CompletedTask;
        });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        Assert.Equal("http-307-redirect-not-followed", attempts[0].GetString("ErrorClass"));
        Assert.Empty(elsewhere.Received);
        Assert.Equal(2, receiver.Received.Count);
    }

    [Theory]
    [InlineData("https://localhost:{port}/hook")]
    [InlineData("https://127.0.0.1:{port}/hook")]
    [InlineData("https://[::1]:{port}/hook")]
    [InlineData("https://2130706433:{port}/hook")]
    [InlineData("https://[::ffff:127.0.0.1]:{port}/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.1/hook")]
    public async Task A_webhook_address_that_resolves_into_a_private_or_loopback_network_is_never_connected_to(string template)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = template.Replace("{port}", new Uri(receiver.Url).Port.ToString());
        var contact = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await WebhookSchoolAsync(hub, url, contact);

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        Assert.Equal(("webhook", "permanent-failure", "address-refused"), (attempts[0].GetString("Channel"), attempts[0].GetString("Outcome"), attempts[0].GetString("ErrorClass")));
        Assert.Equal("email", attempts[1].GetString("Channel"));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_signing_secret_found_in_the_clear_is_never_signed_with_the_email_fallback_takes_over_and_the_silent_list_says_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var contact = $"dsl-{Guid.NewGuid():N}@school.example.invalid";
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url }, [new { name = "DSL", email = contact }]);
        // As a copy of the table from before secrets were encrypted, or a hand-made row, would hold it.
        await hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.WebhookEndpointsTable).UpsertEntityAsync(
            new Azure.Data.Tables.TableEntity(school, "endpoint") { ["CurrentSecret"] = "whsec_" + Convert.ToBase64String(new byte[32]), ["RotatedAt"] = DateTimeOffset.UtcNow });

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        Assert.Empty(receiver.Received);
        Assert.Equal(("webhook", "permanent-failure", "no-signing-secret"), (attempts[0].GetString("Channel"), attempts[0].GetString("Outcome"), attempts[0].GetString("ErrorClass")));
        Assert.Equal("email", attempts[1].GetString("Channel"));
        var silent = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/webhooks/silent", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        var item = silent.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("organisationId").GetString() == school);
        Assert.False(item.GetProperty("hasSigningSecret").GetBoolean());
        Assert.Equal("stored-in-the-clear", item.GetProperty("secretProblem").GetString());
    }

    [Fact]
    public async Task A_huge_response_body_is_never_read_beyond_1_KB()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 200;
            var chunk = new string('x', 64 * 1024);
            for (var i = 0; i < 160; i++) await context.Response.WriteAsync(chunk, context.RequestAborted); // 10 MB
        });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        var response = Assert.Single(attempts).GetString("Response")!;
        Assert.Equal(new string('x', 1024), response);
    }

    [Fact]
    public async Task A_2xx_whose_body_trickles_past_the_timeout_is_still_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 202;
            await context.Response.StartAsync();
            for (var i = 0; i < 10; i++)
            {
                await context.Response.WriteAsync(".", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(500, context.RequestAborted);
            }
        });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);

        var (_, attempts) = await FinalAsync(school, urn, "delivered");

        var attempt = Assert.Single(attempts);
        Assert.Equal((202, "(response body not read in time)"), (attempt.GetInt32("HttpStatus") ?? 0, attempt.GetString("Response")));
    }

    [Fact]
    public async Task Copies_of_a_delivery_message_never_send_the_notification_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (context, _) => { await Task.Delay(700); context.Response.StatusCode = 200; });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);
        var incident = await SubmitForSchoolAsync(hub, urn);
        await RouteIncidentTests.RoutedAsync(hub, incident.Force, incident.Key, incident.Reference);
        var queue = hub.Queues.GetQueueClient(NotifyHub.Storage.StorageNames.DeliveriesQueue);
        for (var i = 0; i < 4; i++)
            await queue.SendMessageAsync(JsonSerializer.Serialize(new NotifyHub.Delivery.DeliveryMessage(incident.IncidentId, school), JsonSerializerOptions.Web));

        await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the delivery");
        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 0, "the copies to be consumed");

        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Copies_of_an_incidents_first_attempts_message_send_each_of_its_notifications_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (context, _) => { await Task.Delay(300); context.Response.StatusCode = 200; });
        var (first, firstUrn) = await WebhookSchoolAsync(hub, receiver.Url);
        var (second, secondUrn) = await WebhookSchoolAsync(hub, receiver.Url);
        var incident = await RouteIncidentTests.SubmitAsync(hub, ExampleIncident.For("X", "X", DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("location.postcodeDistrict", "ZZ1")
            .With("children[0].schoolUrn", firstUrn).With("children[0].gpPracticeOdsCode", null)
            .With("children[1].schoolUrn", secondUrn).With("children[1].gpPracticeOdsCode", null));
        var routed = await RouteIncidentTests.RoutedAsync(hub, incident.Force, incident.Key, incident.Reference);
        var recipients = NotifyHub.Tests.Routing.RouteIncidentTests.Shares(routed).Select(d => d.GetProperty("recipientId").GetString()!).ToList();
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), recipients.Order(StringComparer.Ordinal));

        // Routing's own message, and three copies of it, all at once.
        var queue = hub.Queues.GetQueueClient(NotifyHub.Storage.StorageNames.DeliveriesQueue);
        var copy = JsonSerializer.Serialize(NotifyHub.Delivery.DeliveryMessage.FirstAttempts(incident.IncidentId, recipients), JsonSerializerOptions.Web);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => queue.SendMessageAsync(copy)));

        foreach (var school in recipients)
            await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "both deliveries");
        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 0, "the copies to be consumed");

        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(2, receiver.Received.Select(r => r.Id).Distinct().Count());
        foreach (var school in recipients)
            Assert.Single(await AttemptsAsync(hub, $"{incident.IncidentId}.{school}"));
    }

    [Fact]
    public async Task Reconciliation_requeues_a_delivery_whose_next_message_was_lost_once_a_claim_period()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);
        var incident = await SubmitForSchoolAsync(hub, urn);
        await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the first delivery");

        // As a lost message leaves it (deleted, or poisoned and never replayed): its next attempt due an hour ago, listed open, no message.
        var ledger = hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.LedgerTable);
        var row = (await ledger.GetEntityAsync<Azure.Data.Tables.TableEntity>(incident.IncidentId, "dl|" + school)).Value;
        row["Status"] = "sending";
        row["Sequence"] = 7;
        row["NextAttemptAt"] = DateTimeOffset.UtcNow.AddHours(-1);
        row.Remove("DeliveredAt");
        await ledger.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        await hub.Tables.GetTableClient(NotifyHub.Storage.StorageNames.OpenDeliveriesTable)
            .UpsertEntityAsync(new Azure.Data.Tables.TableEntity("open", $"{incident.IncidentId}.{school}") { ["NextAttemptAt"] = DateTimeOffset.UtcNow.AddHours(-1), ["Sequence"] = 7 });
        Assert.Equal("sending", Status(await DeliveryAsync(hub, incident, school, _ => true, "the delivery")));

        // Reconciliation runs again before the message it queued has been taken: it does not queue another.
        await hub.RunFunctionAsync("ReconcileIncidents");
        await hub.RunFunctionAsync("ReconcileIncidents");

        await DeliveryAsync(hub, incident, school, d => Status(d) == "delivered", "the requeued delivery");
        var events = await new NotifyHub.Ledger.LedgerStore(hub.Tables).AllEventsAsync(incident.IncidentId, default);
        Assert.Single(events, e => e.Event.Type == "delivery.message-requeued");
        Assert.Equal(2, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task After_a_secret_rotation_both_the_new_and_the_previous_secret_verify_the_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        var previous = await RotateSecretAsync(hub, school);
        var current = await RotateSecretAsync(hub, school);

        await FinalAsync(school, urn, "delivered");

        var received = Assert.Single(receiver.Received);
        Assert.Equal(2, received.Signature!.Split(' ').Length);
        Assert.True((await NodeWebhookVerifier.VerifyAsync(current, received)).Valid);
        Assert.True((await NodeWebhookVerifier.VerifyAsync(previous, received)).Valid);
    }

    [Fact]
    public async Task The_daily_handshake_pings_every_webhook_endpoint_and_the_silent_ones_are_listed_with_why()
    {
        await using var alive = await WebhookReceiver.StartAsync();
        await using var dead = await WebhookReceiver.StartAsync((context, _) => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        var (aliveSchool, _) = await NewSchoolAsync(hub, new { kind = "webhook", url = alive.Url });
        var secret = await RotateSecretAsync(hub, aliveSchool);
        var (deadSchool, _) = await NewSchoolAsync(hub, new { kind = "webhook", url = dead.Url });
        await RotateSecretAsync(hub, deadSchool);
        var (noSecretSchool, _) = await NewSchoolAsync(hub, new { kind = "webhook", url = alive.Url });

        await hub.RunFunctionAsync("PingWebhookEndpoints");

        var ping = Assert.Single(alive.Received);
        Assert.True((await NodeWebhookVerifier.VerifyAsync(secret, ping)).Valid);
        using (var body = JsonDocument.Parse(ping.Body))
        {
            Assert.Equal("ping", body.RootElement.GetProperty("type").GetString());
            Assert.False(body.RootElement.TryGetProperty("content", out _));
        }
        var silent = await (await SendAsync(hub, HttpMethod.Get, "/api/admin/webhooks/silent?days=1", hub.AdminKey)).Content.ReadFromJsonAsync<JsonElement>();
        var items = silent.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("organisationId").GetString()!);
        Assert.DoesNotContain(aliveSchool, items.Keys);
        Assert.Equal("http-500", items[deadSchool].GetProperty("lastPingError").GetString());
        Assert.False(items[noSecretSchool].GetProperty("hasSigningSecret").GetBoolean());
        Assert.Equal("no-signing-secret", items[noSecretSchool].GetProperty("lastPingError").GetString());

        var bad = await SendAsync(hub, HttpMethod.Get, "/api/admin/webhooks/silent?days=0", hub.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_trips_its_circuit_breaker_and_attempts_meanwhile_do_not_reach_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync((context, _) => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        var (school, urn) = await WebhookSchoolAsync(hub, receiver.Url);
        var (force, key) = await hub.NewForceAsync();

        // Five notifications of three attempts each: the breaker opens once ten attempts in a row have failed.
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var incident = await SubmitForSchoolAsync(hub, urn, force, key);
            ids.Add((await DeliveryAsync(hub, incident, school, d => Status(d) == "failed", "the delivery to fail")).GetProperty("notificationId").GetString()!);
        }

        var attempts = new List<Azure.Data.Tables.TableEntity>();
        foreach (var id in ids) attempts.AddRange(await AttemptsAsync(hub, id));
        Assert.Equal(15, attempts.Count);
        var open = attempts.Count(a => a.GetString("ErrorClass") == "circuit-open");
        Assert.True(open >= 1, "no attempt met an open circuit: " + string.Join(", ", attempts.Select(a => a.GetString("ErrorClass"))));
        Assert.Equal(15 - open, receiver.Received.Count);
    }
}
