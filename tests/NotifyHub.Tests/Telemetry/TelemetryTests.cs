using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using NotifyHub.Storage;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Tests.Routing;
using NotifyHub.Tests.Telemetry.Otlp;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Telemetry;

/// <summary>
/// The hub exporting its telemetry over OTLP/HTTP to a receiver in the test, as it would to a collector; schools are due an
/// hour after the police report (so the monitor, run with <c>asOf</c>, finds a late share); a failing queue message is
/// poisoned after two attempts. Timers that a test runs itself are off.
/// </summary>
public sealed class TelemetryHubFixture : DeliveryHubFixture
{
    public OtlpReceiver Otlp { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["SlaMonitorSchedule"] = "0 0 0 1 1 *",
        ["ReconcileManifestsSchedule"] = "0 0 0 1 1 *",
        ["Timeliness__Rules__0__RecipientType"] = "school",
        ["Timeliness__Rules__0__Deadline"] = "elapsed 1h",
    };

    protected override Action<JsonObject>? ChangeHostJson => host =>
    {
        base.ChangeHostJson!(host);
        host["extensions"]!["queues"]!["maxDequeueCount"] = 2;
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00.200";
    };

    public override async Task InitializeAsync()
    {
        Otlp = await OtlpReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Otlp.DisposeAsync();
    }
}

public sealed class TelemetryTests(TelemetryHubFixture hub) : IClassFixture<TelemetryHubFixture>
{
    /// <summary>What a full run did: the ids to look for in the telemetry.</summary>
    private sealed record Run(string TraceId, string Force, string IncidentId, string NotificationId, int Deliveries);

    private const string AcknowledgerName = "Rowan Quillfeather";

    /// <summary>
    /// The example incident as police send it — its names, dates of birth and postcode district untouched — through
    /// everything the hub does with it: accepted, routed (a school by webhook; the GP, midwife and probation shares
    /// unrouted), delivered, found late, acknowledged, listed on a manifest beside a reference that never came. Also a
    /// refused copy of it, and an unreadable message on the incidents queue.
    /// </summary>
    private async Task<Run> FullRunAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var (force, forceKey) = await hub.NewForceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, urn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        var schoolKey = await IssueKeyAsync(hub, school);

        var reference = "OTEL-" + Guid.NewGuid().ToString("N")[..10];
        var incident = ExampleIncident.For(force, reference, now).With("location.laCode", "840").With("children[0].schoolUrn", urn);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var post = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = new StringContent(incident.ToJsonString(), Encoding.UTF8, "application/json") })
        {
            post.Headers.Add("X-Api-Key", forceKey);
            post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            var accepted = await hub.Http.SendAsync(post);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        var status = await RouteIncidentTests.StatusAsync(hub, force, forceKey, reference);
        var incidentId = status.GetProperty("incidentId").GetString()!;
        var delivery = await DeliveryAsync(hub, (force, forceKey, reference, incidentId), school, d => Status(d) == "delivered", "the school's delivery to be delivered");
        var notificationId = delivery.GetProperty("notificationId").GetString()!;
        var deliveries = (await RouteIncidentTests.StatusAsync(hub, force, forceKey, reference)).GetProperty("deliveries").GetArrayLength();

        // Refused: the same personal data in a body that fails validation.
        var refused = await SendAsync(hub, HttpMethod.Post, "/api/incidents", forceKey,
            JsonNode.Parse(incident.ToJsonString())!.AsObject().With("children[0].dateOfBirth", "2016-02-30"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var monitor = await SendAsync(hub, HttpMethod.Post, "/api/admin/sla-monitor/run", hub.AdminKey, new { asOf = now.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ") });
        Assert.True(monitor.IsSuccessStatusCode, await monitor.Content.ReadAsStringAsync());
        var ack = await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{notificationId}/ack", schoolKey,
            new { acknowledgedBy = new { name = AcknowledgerName, role = "Designated Safeguarding Lead" } });
        Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());

        var manifest = await SendAsync(hub, HttpMethod.Post, "/api/manifests", forceKey, new
        {
            forceCode = force, date = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            incidents = new[] { new { incidentReference = reference, laCode = "840" }, new { incidentReference = reference + "-NEVER", laCode = "840" } },
        });
        Assert.True(manifest.IsSuccessStatusCode, await manifest.Content.ReadAsStringAsync());

        await hub.Queues.GetQueueClient(StorageNames.IncidentsQueue).SendMessageAsync("not a message the hub wrote");
        return new Run(traceId, force, incidentId, notificationId, deliveries);
    }

    [Fact]
    public async Task One_trace_follows_an_incident_from_its_post_through_routing_to_each_delivery()
    {
        var run = await FullRunAsync();

        var trace = await Eventually.UntilAsync(() => hub.Otlp.Spans.Where(s => s.Span.TraceId.ToByteArray().SequenceEqual(Convert.FromHexString(run.TraceId))).ToList(),
            spans => spans.Count(s => s.Span.Name == "Deliver") >= run.Deliveries && spans.Any(s => s.Span.Name == "RouteIncident"),
            "the trace of the POST to reach each delivery");

        var byId = trace.ToDictionary(s => s.Span.SpanId);
        // The POST's invocation, parented on the caller's traceparent (whose span is not ours, so not exported).
        var post = Assert.Single(trace, s => s.Scope == "Microsoft.Azure.Functions.Worker" && !byId.ContainsKey(s.Span.ParentSpanId));
        var route = Assert.Single(trace, s => s.Span.Name == "RouteIncident");
        Assert.Equal(post.Span.SpanId, route.Span.ParentSpanId);
        Assert.Equal(5, route.Span.Kind); // consumer
        // Routing's one message starts every first attempt: one DeliverNotification invocation under RouteIncident, one Deliver span per delivery under it.
        var first = Assert.Single(trace, s => s.Span.Name == "DeliverNotification" && s.Span.ParentSpanId == route.Span.SpanId);
        var attempts = trace.Where(s => s.Span.Name == "Deliver" && s.Span.ParentSpanId == first.Span.SpanId).ToList();
        Assert.Equal(run.Deliveries, attempts.Count);
        Assert.Equal(run.Deliveries, attempts.Select(a => a.Span.Attributes.Single(x => x.Key == "notifyhub.notification_id").Value.StringValue).Distinct().Count());
        Assert.All(attempts, a => Assert.Contains(a.Span.Attributes, x => x.Key == "notifyhub.channel"));
        // Every later attempt, a message of its own, continues the trace from the attempt before it.
        Assert.All(trace.Where(s => s.Span.Name == "DeliverNotification" && s.Span.SpanId != first.Span.SpanId),
            d => Assert.Equal("Deliver", byId[d.Span.ParentSpanId].Span.Name));
        // Each consumer span links to the invocation the host started for it.
        Assert.All(trace.Where(s => s.Span.Name == "DeliverNotification").Append(route), s => Assert.Single(s.Span.Links));
        Assert.Contains(route.Span.Attributes, a => a.Key == "faas.name" && a.Value.StringValue == "RouteIncident");
    }

    [Fact]
    public async Task Metrics_count_incidents_accepted_and_routed_deliveries_by_outcome_and_shares_late_missing_and_poisoned()
    {
        var before = Snapshot();
        var run = await FullRunAsync();
        // A message that fails on every attempt (its incident row has lost its payload): poisoned after the second.
        var table = hub.Tables.GetTableClient(StorageNames.IncidentsTable);
        var broken = "BROKEN-" + Guid.NewGuid().ToString("N")[..8];
        await table.AddEntityAsync(new TableEntity(run.Force, "i:" + broken) { ["IncidentId"] = "inc_broken" + broken, ["Status"] = "queued" });
        await hub.Queues.GetQueueClient(StorageNames.IncidentsQueue).SendMessageAsync(
            JsonSerializer.Serialize(new { incidentId = "inc_broken" + broken, forceCode = run.Force, incidentReference = broken }));

        await Eventually.UntilAsync(() => Snapshot(), now =>
                hub.Otlp.Total("notifyhub.incidents.accepted", ("notifyhub.force_code", run.Force)) == 1
                && hub.Otlp.Total("notifyhub.incidents.routed", ("notifyhub.force_code", run.Force)) == 1
                && now.Delivered > before.Delivered && now.Acknowledged > before.Acknowledged && now.Late > before.Late
                && now.Unrouted >= before.Unrouted + 3 && now.MissingAtSource == before.MissingAtSource + 1
                && now.Unreadable == before.Unreadable + 1 && now.MaxDequeue == before.MaxDequeue + 1,
            "every counter to move", TimeSpan.FromSeconds(60));
        var poisoned = await hub.Queues.GetQueueClient(StorageNames.IncidentsQueue + "-poison").PeekMessagesAsync(32);
        Assert.Contains(poisoned.Value, m => m.Body.ToString().Contains(broken));
    }

    private sealed record Counts(long Delivered, long Acknowledged, long Late, long Unrouted, long MissingAtSource, long Unreadable, long MaxDequeue);

    private Counts Snapshot() => new(
        hub.Otlp.Total("notifyhub.deliveries", ("notifyhub.outcome", "delivered"), ("notifyhub.recipient_type", "school")),
        hub.Otlp.Total("notifyhub.deliveries", ("notifyhub.outcome", "acknowledged"), ("notifyhub.recipient_type", "school")),
        hub.Otlp.Total("notifyhub.shares.late", ("notifyhub.recipient_type", "school")),
        hub.Otlp.Total("notifyhub.shares.missing", ("notifyhub.missing_kind", "unrouted")),
        hub.Otlp.Total("notifyhub.shares.missing", ("notifyhub.missing_kind", "missing-at-source")),
        hub.Otlp.Total("notifyhub.messages.poison", ("faas.name", "RouteIncident"), ("notifyhub.reason", "unreadable")),
        hub.Otlp.Total("notifyhub.messages.poison", ("faas.name", "RouteIncident"), ("notifyhub.reason", "max-dequeue-count")));

    [Fact]
    public async Task Nothing_exported_in_a_full_run_holds_a_name_a_date_of_birth_or_the_postcode_district_of_the_example_incident()
    {
        var run = await FullRunAsync();
        // Wait until the run's last acts are exported: the logs name the incident and the acknowledgement was counted.
        await Eventually.UntilAsync(() => hub.Otlp.Strings().ToList(),
            strings => strings.Contains(run.IncidentId) && strings.Contains(run.NotificationId)
                && hub.Otlp.Logs.Any(l => l.Attributes.Any(a => a.Key == "IncidentId" && a.Value.StringValue == run.IncidentId)),
            "the run's telemetry to be exported", TimeSpan.FromSeconds(60));
        // And whatever the run's stragglers export next: two more metric exports (every 500 ms) come after the span and
        // log batches (every 200 ms) queued before them.
        var exports = hub.Otlp.MetricExports;
        await Eventually.UntilAsync(() => hub.Otlp.MetricExports, n => n >= exports + 2, "two more metric exports", TimeSpan.FromSeconds(30));

        var example = ExampleIncident.Load();
        var people = example["children"]!.AsArray().Concat(example["adults"]!.AsArray()).Select(p => p!.AsObject()).ToList();
        var names = people.SelectMany(p => new[] { p["givenName"]!.GetValue<string>(), p["familyName"]!.GetValue<string>() })
            .Append(example["officer"]!["name"]!.GetValue<string>()).Append(AcknowledgerName).Distinct().ToList();
        var births = people.Select(p => DateOnly.ParseExact(p["dateOfBirth"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var dates = births.SelectMany(d => new[] { "yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "yyyyMMdd", "d MMMM yyyy", "dd MMM yyyy", "MM/dd/yyyy" }
            .Select(format => d.ToString(format, CultureInfo.InvariantCulture))).Distinct().ToList();
        var district = example["location"]!["postcodeDistrict"]!.GetValue<string>();
        string[] otherText = [example["summary"]!.GetValue<string>()[..30], "hid upstairs", "943 476 5919", "9434765919", "01234 567890"];
        var needles = names.Concat(dates).Append(district).Concat(otherText).ToList();

        // Every string the telemetry holds, as words (a three-letter name is found only where it stands as a word) ...
        var strings = hub.Otlp.Strings().Distinct().ToList();
        Assert.NotEmpty(strings);
        var found = needles.SelectMany(n => strings.Where(s => Regex.IsMatch(s, $@"(?<![A-Za-z0-9]){Regex.Escape(n)}(?![A-Za-z0-9])"))
            .Select(s => $"'{n}' in \"{s}\"")).ToList();
        // ... and the raw bytes of every export, for anything the parsed subset of OTLP skips (needles long enough not to
        // turn up by chance in binary ids).
        var raw = hub.Otlp.Bodies.Select(b => Encoding.Latin1.GetString(b)).ToList();
        found.AddRange(needles.Where(n => n.Length >= 5).SelectMany(n => raw.Where(r => r.Contains(n, StringComparison.Ordinal)).Select(_ => $"'{n}' in an export's bytes")));
        Assert.True(found.Count == 0, "Personal data in the telemetry:\n" + string.Join("\n", found.Distinct()));
    }
}
