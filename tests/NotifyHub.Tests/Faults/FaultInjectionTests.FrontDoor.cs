using System.Net;
using System.Text.Json;
using NotifyHub.Ledger;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Faults;

/// <summary>The front door under faults (issue 22): a release is stored before it is answered, and its share is never lost.</summary>
public partial class FaultInjectionTests
{
    private const string FrontDoorLa = "873";

    /// <summary>LA 873 tells its school (on email) through its MASH (inbox); the example incident is routed there. Answers the review's id, the MASH's key and the share's id.</summary>
    private async Task<(string Review, string RelayKey, string Share, string IncidentId)> HeldAtTheFrontDoorAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (relay, urn) = ($"mash-{FrontDoorLa}-{tag}", Random.Shared.Next(100000, 899999).ToString());
        foreach (var organisation in new object[]
        {
            new { id = relay, type = "mash", name = "Synthetic Front Door", laCode = FrontDoorLa, channel = new { kind = "inbox" } },
            new { id = "school-" + urn, type = "school", name = "Synthetic Front Door School", urn, laCode = FrontDoorLa,
                channel = new { kind = "email", email = $"front-door-{tag}@faults.example.invalid" } },
        })
        {
            var created = await DeliveryApi.SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, organisation);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        // One LA, one path: the latest relay is the LA's front door (paths are replaced whole).
        var paths = await DeliveryApi.SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{FrontDoorLa}/paths", hub.AdminKey,
            new { paths = new[] { new { recipientType = "school", via = relay } } });
        Assert.True(paths.IsSuccessStatusCode, await paths.Content.ReadAsStringAsync());
        var incident = ExampleIncident.For(hub.ForceCode, "FD-" + tag, DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", FrontDoorLa).With("location.postcodeDistrict", "ZF7").With("children[0].schoolUrn", urn)
            .With("children[0].gpPracticeOdsCode", null).With("children[1].gpPracticeOdsCode", null);
        var submitted = await NotifyHub.Tests.Routing.RouteIncidentTests.SubmitAsync(hub, incident, hub.ForceCode, hub.ForceKey);
        var review = $"{submitted.IncidentId}.{relay}~v1";
        var ledger = new LedgerStore(hub.Tables);
        await Eventually.UntilAsync(async () => (await ledger.LoadAsync(submitted.IncidentId, LedgerParts.None, null, default)).Delivery($"{relay}~v1") is not null,
            found => found, "the review");
        return (review, await DeliveryApi.IssueKeyAsync(hub, relay), $"{submitted.IncidentId}.school-{urn}", submitted.IncidentId);
    }

    [Theory]
    [InlineData("kill-before")]
    [InlineData("fail-after")]
    public async Task A_release_whose_first_message_is_lost_to_a_crash_is_stored_and_its_share_is_sent_once_all_the_same(string mode)
    {
        var (review, relayKey, share, incidentId) = await HeldAtTheFrontDoorAsync();
        var scenario = new FaultScenario(hub);
        // Routing's own messages all sent first, so that the fault is the release's.
        await scenario.QuietAsync();

        // The release is committed, then its apply dies at the share's first message (or that message's answer is lost).
        await hub.ArmAsync(mode, 1, @"^POST .*/messages");
        var body = """{"releasedBy":{"name":"Synthetic Social Worker","role":"MASH social worker"}}""";
        var first = await scenario.SendOnceAsync(HttpMethod.Post, $"/api/notifications/{review}/release", relayKey, body);
        var (_, fired, request) = await hub.FaultStateAsync();
        await hub.ArmAsync("count", int.MaxValue);
        Assert.True(fired, $"the release's message was never failed ({mode})");
        // Answered 201 (the lost answer was the queue's), or not at all (the worker died: the DevHost answers 5xx).
        Assert.True(first.StatusCode == HttpStatusCode.Created || (int)first.StatusCode >= 500, $"{(int)first.StatusCode} {request}");

        // Stored all the same: asked again, the relay is told it was released; the share goes, once.
        var again = await scenario.UntilAsync(() => scenario.SendOnceAsync(HttpMethod.Post, $"/api/notifications/{review}/release", relayKey, body),
            r => (int)r.StatusCode < 500, "the hub to answer again");
        Assert.True(again.StatusCode is HttpStatusCode.Conflict, $"{(int)again.StatusCode}");
        Assert.Contains("it was released on", (await again.Content.ReadAsStringAsync()));
        await scenario.UntilAsync(async () => (await hub.Mail.EmailsAsync()).Select(FaultScenario.MessageId)
            .Count(id => id.StartsWith(share + ".", StringComparison.Ordinal)), n => n >= 1, "the school's email once released");
        await scenario.QuietAsync();
        var sent = (await hub.Mail.EmailsAsync()).Select(FaultScenario.MessageId).Where(id => id.StartsWith(share + ".", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{share}.a1"], sent.Select(id => id[..id.IndexOf('@')]));
        var events = (await new LedgerStore(hub.Tables).AllEventsAsync(incidentId, default)).Select(e => e.Event).ToList();
        Assert.Single(events, e => e.Type == "share.released");
        await AssertViewsEqualTheirRebuildAsync($"{mode} at the release's message");
    }
}
