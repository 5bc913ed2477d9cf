using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Faults;

/// <summary>
/// The proof that views survive faults: the whole scenario (<see cref="FaultScenario"/>) is run with one storage write made
/// to fail — before it is sent, or after it has landed (an answer lost) — or the worker killed at it, at failure points
/// spread over the scenario's writes. After the timers have run, every view must equal the view rebuilt from the ledger,
/// and no share may have been sent twice except where the channel cannot know (then the copy carries the same id).
/// <para>
/// CI runs a spread of points over the kinds of write (<see cref="Points"/>); set <c>NOTIFYHUB_FAULT_POINTS</c> to sweep
/// others, e.g. <c>1-160</c> (every write in turn, the modes in turn), <c>batch#1-30:kill-after</c> or <c>5,17:fail-before</c>.
/// </para>
/// </summary>
public partial class FaultInjectionTests(FaultHubFixture hub) : IClassFixture<FaultHubFixture>
{
    private static readonly string[] Modes = ["fail-after", "kill-before", "fail-before", "kill-after"];

    /// <summary>
    /// Where to fail, as <c>{kind}#{n}</c> — the n-th write of that kind (a regular expression over <c>{METHOD} {path}</c>) — or
    /// a plain number, the n-th write of any kind. Kinds name the steps that matter: entity-group transactions (ingest, every
    /// ledger commit, the views' batches), the checkpoint, the inbox and rollup views, queue sends (the outbox), the notes for
    /// ProjectLedger, the audit trail.
    /// </summary>
    public static IEnumerable<object[]> Points()
    {
        var asked = Environment.GetEnvironmentVariable("NOTIFYHUB_FAULT_POINTS");
        if (string.IsNullOrWhiteSpace(asked))
        {
            (string Point, string Mode)[] spread =
            [
                ("batch#1", "kill-after"), ("batch#2", "fail-after"), ("batch#4", "kill-before"), ("batch#7", "fail-before"), ("batch#11", "fail-after"),
                ("batch#16", "kill-after"), ("inbox#3", "fail-before"), ("inbox#9", "kill-after"), ("checkpoint#2", "fail-after"),
                ("checkpoint#6", "kill-before"), ("send#2", "fail-after"), ("send#5", "kill-before"), ("rollup#2", "fail-before"),
                ("note#1", "kill-after"), ("audit#3", "fail-after"),
            ];
            foreach (var (point, mode) in spread) yield return [mode, point];
            yield break;
        }
        var n = 0;
        foreach (var part in asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (points, mode) = part.Split(':') is [var p, var m] ? (p, m) : (part, null);
            var (kind, range) = points.Split('#') is [var k, var r] ? (k + "#", r) : ("", points);
            var bounds = range.Split('-');
            var (from, to) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
            for (var at = from; at <= to; at++) yield return [mode ?? Modes[n++ % Modes.Length], kind + at.ToString(CultureInfo.InvariantCulture)];
        }
    }

    /// <summary>The kinds of write a point may name, as the fault policy matches them.</summary>
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["batch"] = @"^POST .*/\$batch",
        ["checkpoint"] = @"^PUT .*/Ledger\(.*proj",
        ["inbox"] = @"^PUT .*/RecipientDeliveries\(",
        ["rollup"] = @"^(PUT|POST) .*/Rollups",
        ["send"] = @"^POST .*/messages",
        ["note"] = @"^PUT .*/Views\(",
        ["audit"] = @"^POST .*/Audit",
    };

    [Fact]
    public async Task Without_a_fault_every_view_equals_its_rebuild_and_every_share_is_sent_once()
    {
        var scenario = await CleanRunAsync();
        await AssertViewsEqualTheirRebuildAsync();
        await AssertSentOnceAsync(scenario.IncidentId, allowCopies: false);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public async Task After_a_fault_at_any_write_every_view_equals_its_rebuild_and_no_share_is_sent_twice_but_as_the_same_message(string mode, string point)
    {
        var (match, at) = point.Split('#') is [var kind, var n]
            ? (Kinds[kind], int.Parse(n, CultureInfo.InvariantCulture))
            : (FaultHubFixture.Writes, int.Parse(point, CultureInfo.InvariantCulture));

        var scenario = new FaultScenario(hub);
        await hub.ArmAsync(mode, at, match);
        await scenario.RunAsync();
        var (count, fired, request) = await hub.FaultStateAsync();
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.QuietAsync();

        Assert.True(fired, $"the scenario made {count} writes matching {match}; the fault at the {at}th ({mode}) never happened");
        await AssertViewsEqualTheirRebuildAsync($"{mode} at {point} ({request})");
        // A failure the hub's own retries ride out sends nothing twice; only a crash between a send and its record may.
        await AssertSentOnceAsync(scenario.IncidentId, allowCopies: mode.StartsWith("kill", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_acknowledgement_whose_views_fail_to_follow_is_answered_stored_shows_as_lag_and_is_brought_up_to_date_by_ProjectLedger()
    {
        var scenario = new FaultScenario(hub);
        var notification = await scenario.SubmitLoneAsync();
        var schoolKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, "school-" + FaultHubFixture.LoneSchoolUrn);
        await scenario.DeliveryAsync("school-" + FaultHubFixture.LoneSchoolUrn, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        await scenario.RunMonitorAsync();
        await scenario.UntilAsync(() => LateAsync(notification), late => late, "the share on the late list");

        // Storage refuses the late list's write that should follow the acknowledgement (and keeps refusing, past any retry).
        await hub.ArmAsync("fail-before", 1, @"^DELETE .*/LateShares", times: 100);
        var acknowledged = await scenario.SendOnceAsync(HttpMethod.Post, $"/api/notifications/{notification}/ack", schoolKey,
            """{"acknowledgedBy":{"name":"Synthetic Head","role":"Head teacher"}}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, acknowledged.StatusCode);
        Assert.True((await hub.FaultStateAsync()).Fired);
        Assert.True(await LateAsync(notification)); // the view lags...
        var health = await Timeliness.TimelinessApi.GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.True(health.GetProperty("views").GetProperty("laggingIncidents").GetInt32() >= 1, health.ToString()); // ...and health says so

        await hub.ArmAsync("count", int.MaxValue);
        Assert.True(await scenario.RunAsync("ProjectLedger"));

        Assert.False(await LateAsync(notification));
        // Health counts every noted incident of this hub, and a note made before a commit that never landed (an earlier test
        // of the class kills requests mid-way) is kept for the commit window: what must go is this incident's note. The
        // share's escalation may be catching up the same incident meanwhile, so a run can race it and leave the note to the next.
        var views = hub.Tables.GetTableClient(Storage.StorageNames.ViewsTable);
        await scenario.UntilAsync(async () =>
        {
            var note = await views.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("lagging", scenario.IncidentId);
            if (note.HasValue) await scenario.RunAsync("ProjectLedger");
            return note.HasValue;
        }, noted => !noted, $"incident {scenario.IncidentId}'s lag note to go once ProjectLedger has caught it up");
        await AssertViewsEqualTheirRebuildAsync();
    }

    [Fact]
    public async Task An_email_whose_end_could_not_be_saved_once_is_not_sent_again()
    {
        var scenario = new FaultScenario(hub);
        // Writes in order: ingest (1), routing's commit (2), marking it routed (3), the attempt's claim (4), its end (5).
        await hub.ArmAsync("fail-after", 5, Kinds["batch"]);
        var notification = await scenario.SubmitLoneAsync();
        await scenario.DeliveryAsync("school-" + FaultHubFixture.LoneSchoolUrn, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        var (_, fired, request) = await hub.FaultStateAsync();
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.QuietAsync();

        Assert.True(fired, "the attempt's end was never failed");
        var emails = await EmailIdsAsync(notification);
        Assert.Equal([$"{notification}.a1"], emails.Select(Local));
        var attempts = (await new LedgerStore(hub.Tables).LoadAsync(scenario.IncidentId, LedgerParts.Attempts, null, default)).Attempts;
        Assert.Equal([1], attempts.Select(a => a.Attempt.Number));
        _ = request;
    }

    [Fact]
    public async Task An_email_sent_by_an_attempt_that_died_before_recording_it_goes_again_as_the_same_attempt_with_the_same_Message_ID()
    {
        var scenario = new FaultScenario(hub);
        await hub.ArmAsync("kill-before", 5, Kinds["batch"]);
        var notification = await scenario.SubmitLoneAsync();
        await scenario.DeliveryAsync("school-" + FaultHubFixture.LoneSchoolUrn, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        Assert.True((await hub.FaultStateAsync()).Fired);
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.QuietAsync();

        // The channel cannot know whether the first went: it went again, as the same email.
        var emails = await EmailIdsAsync(notification);
        Assert.Equal([$"{notification}.a1", $"{notification}.a1"], emails.Select(Local));
        var ledger = new LedgerStore(hub.Tables);
        Assert.Equal([1], (await ledger.LoadAsync(scenario.IncidentId, LedgerParts.Attempts, null, default)).Attempts.Select(a => a.Attempt.Number));
        var events = (await ledger.AllEventsAsync(scenario.IncidentId, default)).Select(e => e.Event).Where(e => e.Type.StartsWith("attempt.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["attempt.started", "attempt.started", "attempt.ended"], events.Select(e => e.Type));
        Assert.True(events[1].Flag("resumed"));
        await AssertViewsEqualTheirRebuildAsync();
    }

    [Fact]
    public async Task An_escalation_interrupted_after_alerting_one_contact_alerts_only_the_others_when_it_is_retried()
    {
        var scenario = new FaultScenario(hub);
        var notification = await scenario.SubmitLoneAsync();
        await scenario.DeliveryAsync("school-" + FaultHubFixture.LoneSchoolUrn, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        // From the monitor's run: marking it late (1); then the escalation's claim (2), the reminder (3), the first alert (4), the
        // second alert's record (5) — which storage refuses past the hub's own retries, so the escalation fails after sending it.
        await hub.ArmAsync("fail-before", 5, Kinds["batch"], times: 3);
        await scenario.RunMonitorAsync();
        await scenario.UntilAsync(async () => (await new LedgerStore(hub.Tables).AllEventsAsync(scenario.IncidentId, default))
            .Count(e => e.Event.Type == "escalation.alert-sent"), n => n == 2, "both alerts recorded");
        Assert.True((await hub.FaultStateAsync()).Fired);
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.QuietAsync();

        var escalations = (await EmailIdsAsync(notification)).Select(Local).Where(id => !id.EndsWith(".a1", StringComparison.Ordinal)).ToList();
        Assert.Single(escalations, id => id.EndsWith(".reminder", StringComparison.Ordinal));
        var alerts = escalations.Where(id => id.Contains(".alert-", StringComparison.Ordinal)).GroupBy(id => id).Select(g => g.Count()).Order().ToList();
        // The first contact was alerted once; the second, whose alert went but was not recorded, again — as the same email.
        Assert.Equal([1, 2], alerts);
        var started = (await new LedgerStore(hub.Tables).AllEventsAsync(scenario.IncidentId, default)).Count(e => e.Event.Type == "escalation.started");
        Assert.Equal(2, started);
    }

    [Fact]
    public async Task The_purge_removes_the_content_what_receivers_answered_and_the_acknowledging_persons_name_and_records_it_on_the_ledger()
    {
        var scenario = new FaultScenario(hub);
        var notification = await scenario.SubmitLoneAsync();
        var recipient = "school-" + FaultHubFixture.LoneSchoolUrn;
        var schoolKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, recipient);
        await scenario.DeliveryAsync(recipient, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        (await scenario.SendOnceAsync(HttpMethod.Post, $"/api/notifications/{notification}/ack", schoolKey,
            """{"acknowledgedBy":{"name":"Synthetic Purgeable Person","role":"Head teacher"}}""")).EnsureSuccessStatusCode();
        var store = new LedgerStore(hub.Tables);
        var before = await store.LoadAsync(scenario.IncidentId, LedgerParts.Attempts | LedgerParts.Content, null, default);
        Assert.Contains(before.Attempts, a => a.Attempt.SmtpReply is not null);
        Assert.Equal("Synthetic Purgeable Person", before.Delivery(recipient)!.Receipt.Acknowledged!.Name);

        // Past the retention period (a second here): the purge runs until it has reached this incident.
        var after = await scenario.UntilAsync(async () =>
        {
            Assert.True(await scenario.RunAsync("PurgePersonalData"));
            return await store.LoadAsync(scenario.IncidentId, LedgerParts.Attempts | LedgerParts.Content, null, default);
        }, l => l.Content.Count == 0, "the purge to reach the incident");
        Assert.Empty(after.Content);
        Assert.All(after.Attempts, a => Assert.Null(a.Attempt.SmtpReply));
        Assert.All(after.Attempts, a => Assert.Null(a.Attempt.Response));
        Assert.Equal(("", "Head teacher"), (after.Delivery(recipient)!.Receipt.Acknowledged!.Name, after.Delivery(recipient)!.Receipt.Acknowledged!.Role));
        Assert.NotNull(after.Delivery(recipient)!.ContentPurgedAt);
        var purged = Assert.Single(await store.AllEventsAsync(scenario.IncidentId, default), e => e.Event.Type == "delivery.content-purged");
        Assert.Equal(recipient, purged.Event.Subject);
        var rows = await hub.Tables.GetTableClient(StorageNames.LedgerTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {scenario.IncidentId}")).ToListAsync();
        Assert.DoesNotContain(rows, r => r.Any(p => p.Value is string text && text.Contains("Purgeable", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_rebuild_of_the_views_while_shares_are_acknowledged_loses_none_of_the_acknowledgements()
    {
        var recipient = "school-" + FaultHubFixture.LoneSchoolUrn;
        var schoolKey = await Delivery.DeliveryApi.IssueKeyAsync(hub, recipient);
        var notifications = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var scenario = new FaultScenario(hub);
            notifications.Add(await scenario.SubmitLoneAsync());
            await scenario.DeliveryAsync(recipient, d => d.GetProperty("status").GetString() == "delivered", "the email delivery");
        }

        // The rebuild and the acknowledgements at once: whichever writes a view last must have read the latest state.
        var rebuild = ViewsApi.RebuildAsync(hub, TimeSpan.FromMinutes(3));
        foreach (var notification in notifications)
        {
            var acknowledged = await new FaultScenario(hub).SendOnceAsync(HttpMethod.Post, $"/api/notifications/{notification}/ack", schoolKey,
                """{"acknowledgedBy":{"name":"Synthetic Head","role":"Head teacher"}}""");
            Assert.Equal(System.Net.HttpStatusCode.Created, acknowledged.StatusCode);
        }
        await rebuild;

        var inbox = await Timeliness.TimelinessApi.GetAsync(hub, "/api/inbox?pageSize=100", schoolKey);
        var statuses = inbox.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("notificationId").GetString()!, i => i.GetProperty("status").GetString());
        Assert.All(notifications, n => Assert.Equal("acknowledged", statuses[n]));
        await AssertViewsEqualTheirRebuildAsync("a rebuild beside live acknowledgements");
    }

    private async Task<bool> LateAsync(string notification) =>
        (await Timeliness.TimelinessApi.GetAsync(hub, "/api/reports/late", hub.AdminKey)).GetProperty("items").EnumerateArray()
            .Any(i => i.GetProperty("notificationId").GetString() == notification);

    private async Task<IReadOnlyList<string>> EmailIdsAsync(string notification) =>
        (await hub.Mail.EmailsAsync()).Select(FaultScenario.MessageId).Where(id => id.StartsWith(notification + ".", StringComparison.Ordinal)).Order().ToList();

    private static string Local(string messageId) => messageId.Split('@')[0];

    private async Task<(string IncidentId, int Writes)> CleanRunAsync()
    {
        var scenario = new FaultScenario(hub);
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.RunAsync();
        var (writes, _, _) = await hub.FaultStateAsync();
        await scenario.QuietAsync();
        return (scenario.IncidentId, writes);
    }

    /// <summary>Snapshots every view, rebuilds them all from the ledger, snapshots again: the two must be the same.</summary>
    private async Task AssertViewsEqualTheirRebuildAsync(string? fault = null)
    {
        var before = await SnapshotAsync();
        var run = await ViewsApi.RebuildAsync(hub, TimeSpan.FromMinutes(3));
        var after = await SnapshotAsync();
        var differences = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: live {before.GetValueOrDefault(k) ?? "(none)"} / rebuilt {after.GetValueOrDefault(k) ?? "(none)"}").ToList();
        Assert.True(differences.Count == 0,
            $"after {fault ?? "no fault"}, {differences.Count} view rows differ from their rebuild (run {run}):\n{string.Join("\n", differences.Take(20))}");
        Assert.Equal(0, run.GetProperty("rowsRemoved").GetInt32());
        Assert.Equal(0, run.GetProperty("rowsRewritten").GetInt32());
    }

    /// <summary>Every row of every view (facts of the rollups without the ledger version they were taken at), as text by key.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in new[] { StorageNames.RecipientDeliveriesTable, StorageNames.OpenDeliveriesTable, StorageNames.LateSharesTable, StorageNames.FrontDoorHopsTable })
        {
            await foreach (var row in hub.Tables.GetTableClient(table).QueryAsync<TableEntity>())
                rows[$"{table}/{row.PartitionKey}/{row.RowKey}"] = Text(row);
        }
        await foreach (var row in hub.Tables.GetTableClient(StorageNames.DueIndexTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {LatenessViews.AwaitingPartition}")))
            rows[$"{StorageNames.DueIndexTable}/{row.PartitionKey}/{row.RowKey}"] = Text(row);
        await foreach (var row in hub.Tables.GetTableClient(StorageNames.RollupsTable).QueryAsync<TableEntity>())
        {
            if (row.PartitionKey == "las") { rows[$"Rollups/las/{row.RowKey}"] = ""; continue; }
            foreach (var fact in RollupStore.Decode(row)) rows[$"Rollups/{row.PartitionKey}/{row.RowKey}/{fact.Key}"] = JsonSerializer.Serialize(fact with { Version = 0 });
        }
        return rows;
    }

    private static string Text(TableEntity row) =>
        string.Join(";", row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={(p.Value is DateTimeOffset d ? d.UtcTicks.ToString(CultureInfo.InvariantCulture) : Convert.ToString(p.Value, CultureInfo.InvariantCulture))}"));

    /// <summary>
    /// Each share reached its recipient once: the school's webhook accepted once per notification, and every email one copy
    /// per Message-ID (each delivery email being a recorded attempt). With a fault, a channel that cannot know whether a send
    /// landed before the hub recorded it may be sent the same message again — the same webhook-id, the same Message-ID — once.
    /// </summary>
    private async Task AssertSentOnceAsync(string incidentId, bool allowCopies)
    {
        var most = allowCopies ? 2 : 1;
        foreach (var (id, count) in hub.Accepted.Where(a => a.Key.StartsWith(incidentId, StringComparison.Ordinal)))
            Assert.True(count <= most, $"webhook {id} was accepted {count} times");
        var ledger = await new LedgerStore(hub.Tables).LoadAsync(incidentId, LedgerParts.Attempts, null, default);
        Assert.True(hub.Accepted.Keys.Any(k => k.StartsWith(incidentId, StringComparison.Ordinal)), "the school's webhook accepted nothing: " +
            string.Join(", ", ledger.Attempts.Select(a => $"{a.RecipientId} {a.Attempt.Number} {a.Attempt.Channel} {a.Outcome} {a.ErrorClass}")));
        var emails = (await hub.Mail.EmailsAsync()).Select(FaultScenario.MessageId)
            .Where(id => id.StartsWith(incidentId, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(emails);
        foreach (var copies in emails.GroupBy(id => id))
        {
            Assert.True(copies.Count() <= most, $"email {copies.Key} was sent {copies.Count()} times");
            // {incident}.{recipient}.a{n}@host: a delivery email is a recorded attempt of that delivery on the email channel.
            var parts = copies.Key.Split('@')[0].Split('.');
            if (parts[^1] is ['a', .. var number] && number.All(char.IsAsciiDigit))
            {
                Assert.True(ledger.Attempts.Any(a => a.RecipientId == parts[1] && a.Attempt.Number == int.Parse(number, CultureInfo.InvariantCulture)
                    && a.Attempt.Channel == "email"), $"email {copies.Key} is no recorded attempt: " +
                    string.Join(", ", ledger.Attempts.Select(a => $"{a.RecipientId} {a.Attempt.Number} {a.Attempt.Channel}")));
            }
        }
    }
}
