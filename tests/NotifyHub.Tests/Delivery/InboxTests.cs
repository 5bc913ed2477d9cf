using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

public sealed class InboxHubFixture : DeliveryHubFixture;

/// <summary>The inbox (pull) channel and the recipient API: a recipient sees, fetches and acknowledges its own notifications only.</summary>
public class InboxTests(InboxHubFixture hub) : IClassFixture<InboxHubFixture>
{
    private async Task<(string School, string Key, (string Force, string Key, string Reference, string IncidentId) Incident, string NotificationId)> InboxNotificationAsync()
    {
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var key = await IssueKeyAsync(hub, school);
        var incident = await SubmitForSchoolAsync(hub, urn);
        var delivery = await DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() == 1, "the notification to reach the inbox");
        Assert.Equal("sending", Status(delivery));
        Assert.Equal("inbox", delivery.GetProperty("channel").GetString());
        return (school, key, incident, delivery.GetProperty("notificationId").GetString()!);
    }

    private async Task<JsonElement> InboxAsync(string key, string query = "")
    {
        var response = await SendAsync(hub, HttpMethod.Get, "/api/inbox" + query, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("notificationId").GetString()!).ToArray();

    [Fact]
    public async Task A_recipient_lists_fetches_and_acknowledges_its_notification_and_the_first_fetch_is_the_delivery()
    {
        var (school, key, incident, id) = await InboxNotificationAsync();
        Assert.Equal([id], Ids(await InboxAsync(key)));

        var fetched = await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", key);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var view = await fetched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", view.GetProperty("status").GetString());
        Assert.Equal(incident.Reference, view.GetProperty("content").GetProperty("incidentReference").GetString());
        Assert.Equal([id], Ids(await InboxAsync(key, "?status=delivered")));
        Assert.Empty(Ids(await InboxAsync(key, "?status=pending")));

        var ack = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", key, new { acknowledgedBy = new { name = "A. Teacher", role = "DSL" } });
        Assert.Equal(HttpStatusCode.Created, ack.StatusCode);
        var again = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", key, new { acknowledgedBy = new { name = "B. Other", role = "Head" } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(second.GetProperty("alreadyAcknowledged").GetBoolean());
        Assert.Equal("A. Teacher", second.GetProperty("acknowledged").GetProperty("name").GetString());

        var delivery = await DeliveryAsync(hub, incident, school, d => Status(d) == "acknowledged", "the force to see the acknowledgement");
        Assert.Equal("DSL", delivery.GetProperty("acknowledgedByRole").GetString());
        Assert.NotEqual(JsonValueKind.Null, delivery.GetProperty("deliveredAt").ValueKind);
    }

    [Fact]
    public async Task An_acknowledgement_before_any_fetch_implies_delivery()
    {
        var (_, key, _, id) = await InboxNotificationAsync();
        var ack = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", key, new { acknowledgedBy = new { name = "A. Nurse", role = "School nurse" } });
        var answer = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("acknowledged", answer.GetProperty("status").GetString());
        Assert.Equal(answer.GetProperty("acknowledged").GetProperty("at").GetDateTimeOffset(), answer.GetProperty("deliveredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task School_X_cannot_list_read_or_acknowledge_school_Ys_notification_and_a_force_cannot_acknowledge()
    {
        var (_, keyX, incident, id) = await InboxNotificationAsync();
        var (schoolY, _) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var keyY = await IssueKeyAsync(hub, schoolY);

        Assert.DoesNotContain(id, Ids(await InboxAsync(keyY)));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", keyY)).StatusCode);
        var ackY = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", keyY, new { acknowledgedBy = new { name = "Y", role = "Y" } });
        Assert.Equal(HttpStatusCode.NotFound, ackY.StatusCode);
        Assert.DoesNotContain(incident.Reference, await ackY.Content.ReadAsStringAsync());
        var ackForce = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", incident.Key, new { acknowledgedBy = new { name = "PC", role = "Police" } });
        // A force has notifications of its own (the MASHs' decisions about its incidents), never a school's: not found.
        Assert.Equal(HttpStatusCode.NotFound, ackForce.StatusCode);

        var view = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", keyX)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", view.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{}""", "acknowledgedBy")]
    [InlineData("""{"acknowledgedBy":{"name":"A"}}""", "acknowledgedBy.role")]
    [InlineData("""{"acknowledgedBy":{"name":"","role":"DSL"}}""", "acknowledgedBy.name")]
    [InlineData("""{"acknowledgedBy":{"name":"A","role":"B","extra":1}}""", "acknowledgedBy.extra")]
    [InlineData("""{"acknowledgedBy":"A"}""", "acknowledgedBy")]
    [InlineData("""[]""", "$")]
    public async Task A_bad_acknowledgement_names_the_bad_field_and_records_nothing(string body, string field)
    {
        var (_, key, _, id) = await InboxNotificationAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{id}/ack") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        var view = await (await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", key)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, view.GetProperty("acknowledged").ValueKind);
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?since=2026-11-26T10:00:00Z&until=2026-11-26T09:00:00Z", "until")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?continuationToken=nope!", "continuationToken")]
    [InlineData("?status=sending&status=delivered", "status")]
    public async Task A_bad_inbox_query_names_the_bad_parameter(string query, string field)
    {
        var (school, _) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var response = await SendAsync(hub, HttpMethod.Get, "/api/inbox" + query, await IssueKeyAsync(hub, school));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task The_inbox_pages_newest_first_with_a_continuation_token()
    {
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var key = await IssueKeyAsync(hub, school);
        var (force, forceKey) = await hub.NewForceAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var incident = await SubmitForSchoolAsync(hub, urn, force, forceKey);
            ids.Add($"{incident.IncidentId}.{school}");
        }
        await Eventually.UntilAsync(async () => Ids(await InboxAsync(key)).Length, n => n == 3, "three notifications");

        var first = await InboxAsync(key, "?pageSize=2");
        var token = first.GetProperty("continuationToken").GetString()!;
        var second = await InboxAsync(key, "?pageSize=2&continuationToken=" + Uri.EscapeDataString(token));
        ids.Reverse();
        Assert.Equal(ids, Ids(first).Concat(Ids(second)));
    }
}
