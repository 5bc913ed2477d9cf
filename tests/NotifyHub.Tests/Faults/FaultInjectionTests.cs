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
/// CI runs a spread of points (fractions of the scenario's writes, counted in a clean run first); set
/// <c>NOTIFYHUB_FAULT_POINTS</c> to sweep others, e.g. <c>1-160</c> (every write, each mode in turn) or <c>5,17:kill-after</c>.
/// </para>
/// </summary>
public class FaultInjectionTests(FaultHubFixture hub) : IClassFixture<FaultHubFixture>
{
    private static readonly string[] Modes = ["fail-after", "kill-before", "fail-before", "kill-after"];

    /// <summary>The scenario's storage writes, from a clean run (measured once per fixture).</summary>
    private static int? _writes;
    private static readonly SemaphoreSlim Measuring = new(1, 1);

    public static IEnumerable<object[]> Points()
    {
        var asked = Environment.GetEnvironmentVariable("NOTIFYHUB_FAULT_POINTS");
        if (string.IsNullOrWhiteSpace(asked))
        {
            // A spread over the scenario: its start (ingest, routing), middle (deliveries, acknowledgements, lateness) and end
            // (escalation, manifest, purge), each mode at several places.
            double[] fractions = [0.01, 0.06, 0.12, 0.2, 0.28, 0.36, 0.45, 0.55, 0.64, 0.73, 0.82, 0.9, 0.97];
            for (var i = 0; i < fractions.Length; i++) yield return [Modes[i % Modes.Length], "f" + fractions[i].ToString(CultureInfo.InvariantCulture)];
            yield break;
        }
        var n = 0;
        foreach (var part in asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (points, mode) = part.Split(':') is [var p, var m] ? (p, m) : (part, null);
            var range = points.Split('-');
            var (from, to) = (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[^1], CultureInfo.InvariantCulture));
            for (var at = from; at <= to; at++) yield return [mode ?? Modes[n++ % Modes.Length], at.ToString(CultureInfo.InvariantCulture)];
        }
    }

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
        var writes = _writes ?? (await CleanRunAsync()).Writes;
        var at = point.StartsWith('f') ? Math.Max(1, (int)Math.Round(double.Parse(point[1..], CultureInfo.InvariantCulture) * writes)) : int.Parse(point, CultureInfo.InvariantCulture);
        Assert.True(at <= writes, $"the scenario makes {writes} writes; there is no write {at}");

        var scenario = new FaultScenario(hub);
        await hub.ArmAsync(mode, at);
        await scenario.RunAsync();
        var (_, fired, request) = await hub.FaultStateAsync();
        await hub.ArmAsync("count", int.MaxValue);
        await scenario.QuietAsync();

        Assert.True(fired, $"the fault at write {at} of {writes} ({mode}) never happened");
        await AssertViewsEqualTheirRebuildAsync($"{mode} at write {at} ({request})");
        await AssertSentOnceAsync(scenario.IncidentId, allowCopies: true);
    }

    private async Task<(string IncidentId, int Writes)> CleanRunAsync()
    {
        await Measuring.WaitAsync();
        try
        {
            var scenario = new FaultScenario(hub);
            await hub.ArmAsync("count", int.MaxValue);
            await scenario.RunAsync();
            var (writes, _, _) = await hub.FaultStateAsync();
            await scenario.QuietAsync();
            _writes ??= writes;
            return (scenario.IncidentId, writes);
        }
        finally
        {
            Measuring.Release();
        }
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
        foreach (var table in new[] { StorageNames.RecipientDeliveriesTable, StorageNames.OpenDeliveriesTable, StorageNames.LateSharesTable })
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
