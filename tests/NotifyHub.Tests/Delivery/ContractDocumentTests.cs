using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Delivery.DeliveryApi;

namespace NotifyHub.Tests.Delivery;

public sealed class ContractHubFixture : DeliveryHubFixture;

/// <summary>
/// The integrators' contract (docs/openapi.json, served at /api/openapi.json, and docs/schemas/notification.v1.json)
/// against the built function list and against what the hub really answers and really sends.
/// </summary>
public class ContractDocumentTests(ContractHubFixture hub) : IClassFixture<ContractHubFixture>
{
    private static readonly JsonObject OpenApi = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "openapi.json")))!.AsObject();

    /// <summary>docs/schemas/notification.v1.json, loaded once (its $id may be registered once per process).</summary>
    private static readonly Lazy<JsonSchema> PayloadSchema =
        new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "schemas", "notification.v1.json"))));

    /// <summary>A component schema of the OpenAPI document as a JSON Schema (2020-12) that keeps its $refs into the components.</summary>
    private static JsonSchema Component(string name)
    {
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://notifyhub.example/openapi/" + Guid.NewGuid().ToString("N"),
            ["$ref"] = "#/components/schemas/" + name,
            ["components"] = OpenApi["components"]!.DeepClone(),
        };
        return JsonSchema.FromText(wrapper.ToJsonString());
    }

    private static JsonNode? ResponseSchema(string path, string method, int status)
    {
        var response = OpenApi["paths"]?[path]?[method]?["responses"]?[status.ToString()];
        if (response?["$ref"]?.GetValue<string>() is { } reference)
            response = OpenApi["components"]!["responses"]![reference[(reference.LastIndexOf('/') + 1)..]];
        return response?["content"]?.AsObject().First().Value?["schema"];
    }

    private static void AssertValid(JsonSchema schema, string json, string what)
    {
        using var document = JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, $"{what} does not match its schema: {string.Join("; ", errors)}\n{json}");
    }

    /// <summary>Checks a real answer against the schema the document gives for that path, method and status.</summary>
    private static async Task AssertDocumentedAsync(HttpResponseMessage response, string path, string method)
    {
        var status = (int)response.StatusCode;
        var schema = ResponseSchema(path, method, status);
        Assert.True(schema is not null, $"{method.ToUpperInvariant()} {path} answered {status}, which docs/openapi.json does not document");
        var reference = schema!["$ref"]?.GetValue<string>();
        Assert.NotNull(reference);
        AssertValid(Component(reference![(reference.LastIndexOf('/') + 1)..]), await response.Content.ReadAsStringAsync(), $"{method.ToUpperInvariant()} {path} {status}");
    }

    /// <summary>What people read in a browser, not what integrators call: the landing page, the API reference itself, the docs and the pages' assets.</summary>
    private static readonly HashSet<string> PagesOutsideTheApi = ["ShowHome", "ShowApiReference", "ShowDoc", "GetAsset"];

    [Fact]
    public void The_document_has_one_operation_per_HTTP_function_with_its_route_method_and_name()
    {
        var declared = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsScriptRoot, "functions.metadata")))!.AsArray()
            .Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger"))!))
            .Where(f => f.Trigger["type"]!.GetValue<string>() == "httpTrigger" && !PagesOutsideTheApi.Contains(f.Name))
            .SelectMany(f => f.Trigger["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToLowerInvariant()} /{f.Trigger["route"]!.GetValue<string>()} {f.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        var documented = OpenApi["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Value is JsonObject op && op.ContainsKey("operationId"))
                .Select(o => $"{o.Key} {p.Key} {o.Value!["operationId"]!.GetValue<string>()}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, documented);
    }

    [Fact]
    public async Task The_hub_serves_the_document_to_anyone()
    {
        var response = await SendAsync(hub, HttpMethod.Get, "/api/openapi.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(OpenApi, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task Real_answers_of_the_force_recipient_and_admin_APIs_match_their_documented_schemas()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookSchool, webhookUrn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        var secret = await SendAsync(hub, HttpMethod.Post, $"/api/admin/organisations/{webhookSchool}/webhook-secrets", hub.AdminKey);
        await AssertDocumentedAsync(secret, "/api/admin/organisations/{id}/webhook-secrets", "post");

        var (school, urn) = await NewSchoolAsync(hub, new { kind = "inbox" });
        var key = await IssueKeyAsync(hub, school);
        var incident = await SubmitForSchoolAsync(hub, urn);
        var delivery = await DeliveryAsync(hub, incident, school, d => d.GetProperty("attempts").GetInt32() == 1, "the inbox delivery");
        var id = delivery.GetProperty("notificationId").GetString()!;

        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/inbox", key), "/api/inbox", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", key), "/api/notifications/{id}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", key, new { acknowledgedBy = new { name = "A", role = "DSL" } }),
            "/api/notifications/{id}/ack", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{id}/ack", key, new { }), "/api/notifications/{id}/ack", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{id}", incident.Key), "/api/notifications/{id}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{incident.Force}/{incident.Reference}", incident.Key),
            "/api/incidents/{force}/{reference}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/admin/health", hub.AdminKey), "/api/admin/health", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/admin/webhooks/silent", hub.AdminKey), "/api/admin/webhooks/silent", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/admin/organisations/{school}", hub.AdminKey), "/api/admin/organisations/{id}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/admin/audit?pageSize=5", hub.AdminKey), "/api/admin/audit", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/admin/notifications/{id}/revoke-links", hub.AdminKey),
            "/api/admin/notifications/{id}/revoke-links", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new { id = "x" }), "/api/admin/organisations", "post");
        var (lead, _, _) = await Timeliness.TimelinessApi.NewLeadAsync(hub, ["840"]);
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links/revoke", hub.AdminKey, new { organisationId = lead }),
            "/api/reports/dashboard-links/revoke", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, "/api/reports/dashboard-links/revoke", hub.AdminKey, new { }),
            "/api/reports/dashboard-links/revoke", "post");

        var webhookIncident = await SubmitForSchoolAsync(hub, webhookUrn);
        await DeliveryAsync(hub, webhookIncident, webhookSchool, d => Status(d) == "delivered", "the webhook delivery");
        AssertValid(PayloadSchema.Value, Assert.Single(receiver.Received).Body, "the webhook payload");
    }

    [Fact]
    public async Task Real_answers_of_the_decisions_API_match_their_documented_schemas()
    {
        var la = Random.Shared.Next(600, 699).ToString();
        var mash = "mash-contract-" + Guid.NewGuid().ToString("N")[..6];
        (await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "inbox" },
        })).EnsureSuccessStatusCode();
        var mashKey = await IssueKeyAsync(hub, mash);
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, schoolUrn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        var schoolKey = await IssueKeyAsync(hub, school);
        var (force, forceKey) = await hub.NewForceAsync();
        var submitted = await Routing.RouteIncidentTests.SubmitAsync(hub,
            ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la).With("children[0].schoolUrn", schoolUrn),
            force, forceKey);
        await Routing.RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        var path = $"/api/notifications/{submitted.IncidentId}.{mash}/decisions";

        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, path, mashKey), "/api/notifications/{id}/decisions", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/decisions/awaiting", mashKey), "/api/decisions/awaiting", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, path, mashKey, new
        {
            outcome = "early-help", children = new[] { 0 }, decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1), joint = true, jointWith = new[] { "police" },
            rationale = "Synthetic.", nextSteps = new[] { new { owner = mash, action = "Synthetic step", dueOn = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd") } },
        }), "/api/notifications/{id}/decisions", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, path, mashKey, new { outcome = "x" }), "/api/notifications/{id}/decisions", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, path, mashKey), "/api/notifications/{id}/decisions", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{force}/{submitted.Reference}/decisions", forceKey),
            "/api/incidents/{force}/{reference}/decisions", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions", hub.AdminKey), "/api/reports/decisions", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/decisions?to=nope", hub.AdminKey), "/api/reports/decisions", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/strategy", hub.AdminKey), "/api/reports/strategy", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/strategy?to=nope", hub.AdminKey), "/api/reports/strategy", "get");

        // The decision's follow-ups: the school's decision.shared webhook and the force's own copy (inbox and view), a challenge and its answer.
        async Task<HttpResponseMessage> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending, string documentedPath, string method)
        {
            var response = await sending;
            Assert.True(response.StatusCode == expected, $"{method.ToUpperInvariant()} {documentedPath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await AssertDocumentedAsync(response, documentedPath, method);
            return response;
        }
        var shareId = $"{submitted.IncidentId}.{school}~d1";
        var shared = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == shareId).ToList()), l => l.Count >= 1,
            "the decision.shared webhook");
        AssertValid(PayloadSchema.Value, shared[0].Body, "the decision.shared payload");
        var forceShare = $"{submitted.IncidentId}.force-{force.ToLowerInvariant()}~d1";
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{forceShare}", forceKey), "/api/notifications/{id}", "get");
        await Eventually.UntilAsync(async () => await (await SendAsync(hub, HttpMethod.Get, "/api/inbox", forceKey)).Content.ReadAsStringAsync(),
            body => body.Contains(forceShare, StringComparison.Ordinal), "the decision in the force's inbox");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, "/api/inbox", forceKey), "/api/inbox", "get");

        const string challengeOp = "/api/notifications/{id}/challenge", responseOp = "/api/notifications/{id}/response";
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", schoolKey, new { reason = "" }),
            challengeOp, "post");
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{submitted.IncidentId}.{school}/challenge", schoolKey,
            new { reason = "r", asks = "a" }), challengeOp, "post");
        var raised = await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", schoolKey,
            new { reason = "Synthetic reason.", asks = "Synthetic asks." }), challengeOp, "post");
        var challengeId = (await raised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{shareId}/challenge", schoolKey,
            new { reason = "Again.", asks = "Again." }), challengeOp, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{challengeId}", mashKey), "/api/notifications/{id}", "get");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/ack", mashKey,
            new { acknowledgedBy = new { name = "A", role = "B" } }), "/api/notifications/{id}/ack", "post");
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", mashKey,
            new { response = "upheld", reasons = "r", respondedBy = new { name = "A", role = "B" } }), responseOp, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", mashKey,
            new { response = "not-upheld", reasons = "Synthetic reasons.", respondedBy = new { name = "A Manager", role = "MASH team manager" } }), responseOp, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{challengeId}/response", mashKey,
            new { response = "not-upheld", reasons = "Again.", respondedBy = new { name = "A", role = "B" } }), responseOp, "post");
        var answerId = $"{submitted.IncidentId}.{school}~r1";
        var answered = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == answerId).ToList()), l => l.Count >= 1,
            "the challenge.answered webhook");
        AssertValid(PayloadSchema.Value, answered[0].Body, "the challenge.answered payload");
    }

    [Fact]
    public async Task Real_answers_of_the_front_door_API_and_its_webhooks_match_their_documented_schemas()
    {
        var la = Random.Shared.Next(560, 600).ToString();
        await using var receiver = await WebhookReceiver.StartAsync();
        var relay = "mash-front-door-" + Guid.NewGuid().ToString("N")[..6];
        (await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = relay, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "webhook", url = receiver.Url },
        })).EnsureSuccessStatusCode();
        await RotateSecretAsync(hub, relay);
        var relayKey = await IssueKeyAsync(hub, relay);
        var (school, schoolUrn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        const string paths = "/api/admin/areas/{laCode}/paths";
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{la}/paths", hub.AdminKey,
            new { paths = new[] { new { recipientType = "school", via = relay, autoReleaseWhenLate = true } } }), paths, "put");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Put, $"/api/admin/areas/{la}/paths", hub.AdminKey, new { paths = 1 }), paths, "put");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/admin/areas/{la}/paths", hub.AdminKey), paths, "get");

        var (force, forceKey) = await hub.NewForceAsync();
        var submitted = await Routing.RouteIncidentTests.SubmitAsync(hub,
            ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la).With("children[0].schoolUrn", schoolUrn),
            force, forceKey);
        var review = $"{submitted.IncidentId}.{relay}~v1";
        async Task<string> WebhookAsync(string notificationId, string what) =>
            (await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == notificationId).ToList()), l => l.Count >= 1, what))[0].Body;
        AssertValid(PayloadSchema.Value, await WebhookAsync(review, "the relay.review webhook"), "the relay.review payload");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{review}", relayKey), "/api/notifications/{id}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{force}/{submitted.Reference}", forceKey), "/api/incidents/{force}/{reference}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{review}/withhold", relayKey, new { reason = "x" }),
            "/api/notifications/{id}/withhold", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{review}/release", relayKey,
            new { releasedBy = new { name = "A", role = "MASH social worker" }, note = "Synthetic note.", remove = new[] { "child.demeanour" } }), "/api/notifications/{id}/release", "post");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{review}/withhold", relayKey,
            new { withheldBy = new { name = "A", role = "B" }, reason = "duplicate" }), "/api/notifications/{id}/withhold", "post");
        AssertValid(PayloadSchema.Value, await WebhookAsync($"{submitted.IncidentId}.{school}", "the released share's webhook"), "the released share's payload");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, $"/api/incidents/{force}/{submitted.Reference}", forceKey), "/api/incidents/{force}/{reference}", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/front-door", hub.AdminKey), "/api/reports/front-door", "get");
        await AssertDocumentedAsync(await SendAsync(hub, HttpMethod.Get, "/api/reports/front-door?from=x", hub.AdminKey), "/api/reports/front-door", "get");
    }

    [Fact]
    public async Task Real_answers_of_the_strategy_discussions_API_and_its_webhooks_match_their_documented_schemas()
    {
        var la = Random.Shared.Next(900, 990).ToString();
        var mash = "mash-strategy-" + Guid.NewGuid().ToString("N")[..6];
        (await SendAsync(hub, HttpMethod.Post, "/api/admin/organisations", hub.AdminKey, new
        {
            id = mash, type = "mash", name = "Synthetic MASH " + la, laCode = la, channel = new { kind = "inbox" },
        })).EnsureSuccessStatusCode();
        var mashKey = await IssueKeyAsync(hub, mash);
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, schoolUrn) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        var schoolKey = await IssueKeyAsync(hub, school);
        var (force, forceKey) = await hub.NewForceAsync();
        var submitted = await Routing.RouteIncidentTests.SubmitAsync(hub,
            ExampleIncident.For(force, "x", DateTimeOffset.UtcNow).WithUniqueChildren().With("location.laCode", la).With("children[0].schoolUrn", schoolUrn),
            force, forceKey);
        await Routing.RouteIncidentTests.RoutedAsync(hub, force, forceKey, submitted.Reference);
        (await SendAsync(hub, HttpMethod.Post, $"/api/notifications/{submitted.IncidentId}.{mash}/decisions", mashKey, new
        {
            outcome = "strategy-discussion", decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1), joint = false, rationale = "Synthetic.",
        })).EnsureSuccessStatusCode();

        async Task<HttpResponseMessage> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending, string documentedPath, string method)
        {
            var response = await sending;
            Assert.True(response.StatusCode == expected, $"{method.ToUpperInvariant()} {documentedPath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await AssertDocumentedAsync(response, documentedPath, method);
            return response;
        }
        async Task<HttpResponseMessage> PostBytesAsync(string path, string key, byte[] bytes, string contentType)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new(contentType);
            request.Headers.Add("X-Api-Key", key);
            return await hub.Http.SendAsync(request);
        }
        async Task<string> WebhookAsync(string notificationId, string what) =>
            (await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Where(r => r.Id == notificationId).ToList()), l => l.Count >= 1, what))[0].Body;

        const string schedule = "/api/notifications/{id}/schedule", invitees = "/api/notifications/{id}/invitees", answer = "/api/notifications/{id}/answer",
            information = "/api/notifications/{id}/information", held = "/api/notifications/{id}/held", minutes = "/api/notifications/{id}/minutes",
            strategy = "/api/notifications/{id}/strategy";
        var due = $"{submitted.IncidentId}.{mash}~s1";
        var invitation = $"{submitted.IncidentId}.{school}~i1";
        var forceId = "force-" + force.ToLowerInvariant();
        var forceInvitation = $"{submitted.IncidentId}.{forceId}~i1";

        // Before it is scheduled.
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/schedule", schoolKey, new { }), schedule, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/invitees", mashKey, new { remove = new[] { forceId } }),
            invitees, "post");
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/schedule", mashKey, new { at = "soon", how = "pigeon" }),
            schedule, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/schedule", mashKey,
            new { at = DateTimeOffset.UtcNow.AddDays(1), how = "phone" }), schedule, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/schedule", mashKey,
            new { at = DateTimeOffset.UtcNow.AddDays(1), how = "phone" }), schedule, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/invitees", mashKey, new { remove = new[] { forceId } }),
            invitees, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/invitees", mashKey, new { add = new[] { forceId } }),
            invitees, "post");
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/invitees", mashKey, new { }), invitees, "post");
        AssertValid(PayloadSchema.Value, await WebhookAsync(invitation, "the strategy.invited webhook"), "the strategy.invited payload");

        // Answers, information and reads.
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/answer", schoolKey,
            new { answer = "attending", by = new { name = "A", role = "B" } }), answer, "post");
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/answer", schoolKey, new { answer = "maybe" }),
            answer, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/answer", schoolKey,
            new { answer = "sending-information", by = new { name = "A Teacher", role = "DSL" } }), answer, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/answer", schoolKey,
            new { answer = "attending", by = new { name = "A Teacher", role = "DSL" } }), answer, "post");
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/information", schoolKey, new { }),
            information, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/information", schoolKey,
            new { text = "Synthetic information." }), information, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{forceInvitation}/answer", forceKey,
            new { answer = "attending", by = new { name = "A Officer", role = "DS" } }), answer, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{forceInvitation}", forceKey), "/api/notifications/{id}", "get");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{forceInvitation}/strategy", forceKey), strategy, "get");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{due}/strategy", mashKey), strategy, "get");
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{due}/strategy", schoolKey), strategy, "get");
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{invitation}/minutes", schoolKey), minutes, "get");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/minutes", mashKey, new { text = "Too soon." }),
            minutes, "post");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, "/api/inbox", schoolKey), "/api/inbox", "get");

        // Held, with an action for the school.
        await ExpectAsync(HttpStatusCode.BadRequest, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/held", mashKey,
            new { heldAt = DateTimeOffset.UtcNow, attended = new[] { "not-invited-org" }, outcome = "early-help" }), held, "post");
        await ExpectAsync(HttpStatusCode.Created, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/held", mashKey, new
        {
            heldAt = DateTimeOffset.UtcNow, attended = new[] { forceId }, outcome = "section-47-enquiry",
            actions = new[] { new { owner = school, action = "Synthetic action.", dueOn = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd") } },
        }), held, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/held", mashKey,
            new { heldAt = DateTimeOffset.UtcNow, outcome = "early-help" }), held, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/information", schoolKey,
            new { text = "Too late." }), information, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{invitation}/answer", schoolKey,
            new { answer = "attending", by = new { name = "A", role = "B" } }), answer, "post");
        AssertValid(PayloadSchema.Value, await WebhookAsync($"{submitted.IncidentId}.{school}~a1-1", "the strategy.action-assigned webhook"),
            "the strategy.action-assigned payload");

        // The minutes, as a PDF.
        await ExpectAsync(HttpStatusCode.UnsupportedMediaType, PostBytesAsync($"/api/notifications/{due}/minutes", mashKey, "minutes"u8.ToArray(), "text/plain"),
            minutes, "post");
        await ExpectAsync(HttpStatusCode.BadRequest, PostBytesAsync($"/api/notifications/{due}/minutes", mashKey, "not a pdf"u8.ToArray(), "application/pdf"),
            minutes, "post");
        await ExpectAsync(HttpStatusCode.Created, PostBytesAsync($"/api/notifications/{due}/minutes", mashKey, "%PDF-1.4\n% Synthetic\n%%EOF\n"u8.ToArray(),
            "application/pdf"), minutes, "post");
        await ExpectAsync(HttpStatusCode.Conflict, SendAsync(hub, HttpMethod.Post, $"/api/notifications/{due}/minutes", mashKey, new { text = "Again." }),
            minutes, "post");
        AssertValid(PayloadSchema.Value, await WebhookAsync($"{submitted.IncidentId}.{school}~m1", "the strategy.minutes-shared webhook"),
            "the strategy.minutes-shared payload");
        var pdf = await SendAsync(hub, HttpMethod.Get, $"/api/notifications/{submitted.IncidentId}.{school}~m1/minutes", schoolKey);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/notifications/{submitted.IncidentId}.{school}~m1/strategy", schoolKey),
            strategy, "get");
        await ExpectAsync(HttpStatusCode.OK, SendAsync(hub, HttpMethod.Get, $"/api/incidents/{force}/{submitted.Reference}", forceKey),
            "/api/incidents/{force}/{reference}", "get");
    }

    [Fact]
    public async Task The_daily_ping_matches_the_payload_schema()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (school, _) = await NewSchoolAsync(hub, new { kind = "webhook", url = receiver.Url });
        await RotateSecretAsync(hub, school);
        await hub.RunFunctionAsync("PingWebhookEndpoints");
        AssertValid(PayloadSchema.Value, Assert.Single(receiver.Received).Body, "the ping payload");
    }
}
