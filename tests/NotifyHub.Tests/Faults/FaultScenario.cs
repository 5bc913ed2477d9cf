using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using NotifyHub.Storage;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Faults;

/// <summary>
/// One run of the whole life of an incident through the hub's public surfaces, as its users and its timers would drive it,
/// tolerating whatever a fault does to any one step (a 5xx is tried again, as a client would; a worker killed mid-request
/// is restarted by the DevHost): submitted (and resubmitted), routed to six recipients, delivered on every channel — a
/// webhook retried, a webhook falling back to a secure email, two emails, two inboxes — acknowledged through the API and
/// through an email link, judged late (all but the school's), escalated (reminders and alerts to two contacts), listed in a
/// manifest beside a reference never received, and purged. Then the timers run until the hub is quiet.
/// </summary>
public sealed partial class FaultScenario(FaultHubFixture hub)
{
    public string Reference { get; } = "FAULT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
    public string IncidentId { get; private set; } = "";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public async Task RunAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var incident = ExampleIncident.For(hub.ForceCode, Reference, now.AddDays(-10)).WithUniqueChildren()
            .With("location.laCode", FaultHubFixture.La).With("location.postcodeDistrict", FaultHubFixture.District)
            .With("children[0].schoolUrn", FaultHubFixture.SchoolUrn).With("children[0].gpPracticeOdsCode", FaultHubFixture.Gp)
            .With("children[1].gpPracticeOdsCode", FaultHubFixture.Gp).ToJsonString();

        // Submitted; a police system that got no answer sends it again (the same incident: 202 with the same id).
        var accepted = await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/incidents", hub.ForceKey, incident), HttpStatusCode.Accepted);
        IncidentId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/incidents", hub.ForceKey, incident), HttpStatusCode.Accepted);

        var deliveries = await ConvergeUntilAsync(StatusAsync, s => s?.GetProperty("status").GetString() == "routed"
            && Deliveries(s.Value).Count == 6
            && Deliveries(s.Value).Values.All(d => d.GetProperty("status").GetString() is "delivered" || d.GetProperty("channel").GetString() == "inbox"),
            "routing and the first deliveries (school retried, probation fallen back to email)");

        // Health visiting reads and acknowledges through the API; midwifery opens its email link and acknowledges on the page.
        var hv = Notification("health-visiting-" + FaultHubFixture.La);
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Get, $"/api/notifications/{hv}", hub.HealthVisitingKey), HttpStatusCode.OK);
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, $"/api/notifications/{hv}/ack", hub.HealthVisitingKey,
            """{"acknowledgedBy":{"name":"Synthetic Health Visitor","role":"Health visitor"}}"""), HttpStatusCode.Created, HttpStatusCode.OK);
        var link = await ConvergeUntilAsync(() => LinkAsync("midwifery@faults.example.invalid"), l => l is not null, "the midwifery email's link");
        await UntilAnsweredAsync(() => FormAsync(link!, ("action", "open")), HttpStatusCode.OK);
        await UntilAnsweredAsync(() => FormAsync(link!, ("name", "Synthetic Midwife"), ("role", "Community midwife")), HttpStatusCode.Created, HttpStatusCode.OK);

        // Late: the monitor marks all but the school's (the two acknowledged late too); the three not acknowledged are escalated.
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/admin/sla-monitor/run", hub.AdminKey, "{}"), HttpStatusCode.OK);
        await ConvergeUntilAsync(StatusAsync, s => s is { } st && Deliveries(st).Values.Count(d => d.GetProperty("lateAt").ValueKind == JsonValueKind.String) == 5,
            "every share but the school's marked late");
        await ConvergeUntilAsync(EscalationEmailsAsync, n => n >= 3 + 3 * hub.EscalationContacts.Count, "three reminders and their alerts");

        // The MASH acknowledges after its reminder; the force's manifest lists the incident and one it never sent.
        var mash = Notification("mash-" + FaultHubFixture.La);
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, $"/api/notifications/{mash}/ack", hub.MashKey,
            """{"acknowledgedBy":{"name":"Synthetic Duty Officer","role":"MASH duty officer"}}"""), HttpStatusCode.Created, HttpStatusCode.OK);
        var manifest = JsonSerializer.Serialize(new
        {
            forceCode = hub.ForceCode, date = now.ToString("yyyy-MM-dd"),
            incidents = new object[]
            {
                new { incidentReference = Reference, laCode = FaultHubFixture.La },
                new { incidentReference = Reference + "-NEVER", laCode = FaultHubFixture.La },
            },
        });
        await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/manifests", hub.ForceKey, manifest), HttpStatusCode.OK);

        // The retention period (a second here) passes, and the purge runs (again, until it has reached this incident).
        await ConvergeUntilAsync(async () =>
        {
            await TryRunAsync("PurgePersonalData");
            return await TestStores.ContentAsync(hub.Tables, IncidentId, "mash-" + FaultHubFixture.La);
        }, c => c is null, "the purge");

        string Notification(string recipient) => NotifyHub.Tests.Routing.RouteIncidentTests.Shares(deliveries!.Value)
            .Single(d => d.GetProperty("recipientId").GetString() == recipient).GetProperty("notificationId").GetString()!;
    }

    /// <summary>
    /// An incident in LA 872, reported ten days ago: one delivery, to the lone school by email (every other share unrouted).
    /// Submitted until accepted; answers its notification id.
    /// </summary>
    public async Task<string> SubmitLoneAsync()
    {
        var incident = ExampleIncident.For(hub.ForceCode, Reference, DateTimeOffset.UtcNow.AddDays(-10)).WithUniqueChildren()
            .With("location.laCode", FaultHubFixture.LoneLa).With("location.postcodeDistrict", "ZF9")
            .With("children[0].schoolUrn", FaultHubFixture.LoneSchoolUrn).With("children[0].gpPracticeOdsCode", "F87299")
            .With("children[1].gpPracticeOdsCode", "F87299").ToJsonString();
        var accepted = await UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/incidents", hub.ForceKey, incident), HttpStatusCode.Accepted);
        IncidentId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        return $"{IncidentId}.school-{FaultHubFixture.LoneSchoolUrn}";
    }

    /// <summary>The force's view of one delivery, once <paramref name="done"/> holds (the timers run meanwhile).</summary>
    public async Task<JsonElement> DeliveryAsync(string recipientId, Func<JsonElement, bool> done, string what) =>
        (await ConvergeUntilAsync(async () => await StatusAsync() is { } s && s.GetProperty("status").GetString() == "routed"
            ? NotifyHub.Tests.Routing.RouteIncidentTests.Shares(s).FirstOrDefault(d => d.GetProperty("recipientId").GetString() == recipientId)
            : (JsonElement?)null, d => d is { ValueKind: JsonValueKind.Object } v && done(v), what))!.Value;

    /// <summary>Runs SlaMonitor through the admin endpoint until it answers.</summary>
    public Task RunMonitorAsync() => UntilAnsweredAsync(() => SendAsync(HttpMethod.Post, "/api/admin/sla-monitor/run", hub.AdminKey, "{}"), HttpStatusCode.OK);

    /// <summary>Sends a request once (a worker killed mid-request answers 503).</summary>
    public Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, string key, string? json = null) => SendAsync(method, path, key, json);

    /// <summary>Waits for <paramref name="done"/> while the reconciling timers run.</summary>
    public Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) => ConvergeUntilAsync(probe, done, what);

    /// <summary>Runs one timer function now (true when it succeeded).</summary>
    public Task<bool> RunAsync(string function) => TryRunAsync(function);

    /// <summary>Runs the timers until nothing is left to do: no incident noted as lagging, no message waiting, nothing overdue.</summary>
    public Task QuietAsync() => ConvergeUntilAsync(async () =>
    {
        var health = await SendAsync(HttpMethod.Get, "/api/admin/health", hub.AdminKey);
        return health.IsSuccessStatusCode ? await health.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
    }, h => h is { } v && v.GetProperty("views").GetProperty("laggingIncidents").GetInt32() == 0
        && v.GetProperty("queues").EnumerateArray().All(q => q.GetProperty("waiting").GetInt32() == 0 && q.GetProperty("poisoned").GetInt32() == 0)
        && v.GetProperty("overdueDeliveries").GetInt32() == 0 && v.GetProperty("overdueIncidents").GetInt32() == 0, "the hub to be quiet");

    private async Task<JsonElement?> StatusAsync()
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/incidents/{hub.ForceCode}/{Reference}", hub.ForceKey);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    private static Dictionary<string, JsonElement> Deliveries(JsonElement status) =>
        NotifyHub.Tests.Routing.RouteIncidentTests.Shares(status).ToDictionary(d => d.GetProperty("recipientId").GetString()!);

    private async Task<string?> LinkAsync(string address) =>
        (await hub.Mail.EmailsToAsync(address)).Where(e => e.GetProperty("subject").GetString()!.Contains(Reference))
            .Select(e => LinkPattern().Match(e.GetProperty("text").GetString()!)).Where(m => m.Success).Select(m => new Uri(m.Value).PathAndQuery).FirstOrDefault();

    private async Task<int> EscalationEmailsAsync() =>
        (await hub.Mail.EmailsAsync()).Select(MessageId).Distinct()
            .Count(id => id.StartsWith(IncidentId, StringComparison.Ordinal) && (id.Contains(".reminder@") || id.Contains(".alert-")));

    /// <summary>An email's Message-ID, without its angle brackets, as maildev parsed it.</summary>
    public static string MessageId(JsonElement email) =>
        (email.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
            : email.TryGetProperty("headers", out var headers) && headers.TryGetProperty("message-id", out var header) ? header.GetString() : null)?.Trim('<', '>')
        ?? throw new InvalidOperationException("An email without a Message-ID: " + email);

    private Task<HttpResponseMessage> FormAsync(string path, params (string Name, string Value)[] fields) =>
        hub.Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        try
        {
            return await hub.Http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The worker was killed mid-request: as a 503 to the caller, who tries again.
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

    /// <summary>Sends until the hub answers one of <paramref name="expected"/>: a 5xx (an injected failure, a worker restarting) is tried again.</summary>
    private async Task<HttpResponseMessage> UntilAnsweredAsync(Func<Task<HttpResponseMessage>> send, params HttpStatusCode[] expected)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var response = await send();
            if (expected.Contains(response.StatusCode)) return response;
            Assert.True((int)response.StatusCode >= 500 && DateTimeOffset.UtcNow < deadline,
                $"expected {string.Join(" or ", expected)}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{hub.RecentTrouble()}");
            await Task.Delay(300);
        }
    }

    private async Task<bool> TryRunAsync(string function)
    {
        try
        {
            var response = await hub.Http.PostAsync($"/admin/functions/{function}?wait=true", JsonContent.Create(new { input = "" }));
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("succeeded").GetBoolean();
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Waits for <paramref name="done"/>, running the reconciling timers between looks as the host would every minute.</summary>
    private async Task<T> ConvergeUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        var round = 0;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what} (incident {IncidentId}, {Reference}). Last: {value}\n{hub.RecentTrouble()}");
            await Task.Delay(250);
            if (++round % 4 == 0)
            {
                await TryRunAsync("ProjectLedger");
                await TryRunAsync("ReconcileIncidents");
            }
        }
    }

    [GeneratedRegex(@"https?://[^\s]+/api/links/[A-Za-z0-9_.-]+")] private static partial Regex LinkPattern();
}
