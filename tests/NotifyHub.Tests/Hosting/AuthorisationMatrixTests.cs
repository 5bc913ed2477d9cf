using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>The callers of the matrix: their keys, made once for the class.</summary>
public sealed class AuthorisationMatrixFixture : HubFixture
{
    public string ForceA { get; private set; } = "";
    public string OrganisationA => "force-" + ForceA.ToLowerInvariant();
    public string KeyA { get; private set; } = "";
    public string KeyB { get; private set; } = "";
    public string RevokedKey { get; private set; } = "";
    public string DeactivatedKey { get; private set; } = "";
    public string ReferenceA { get; private set; } = "";
    public string SchoolXKey { get; private set; } = "";
    public string SchoolYKey { get; private set; } = "";
    /// <summary>A partnership lead for LA 840.</summary>
    public string PartnershipKey { get; private set; } = "";
    /// <summary>An inspector's key for LA 840 (force A's incident's LA).</summary>
    public string InspectorKey { get; private set; } = "";
    /// <summary>An inspector's key for LA 840 that expired yesterday.</summary>
    public string ExpiredInspectorKey { get; private set; } = "";
    /// <summary>School X's notification of force A's incident.</summary>
    public string NotificationX { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (ForceA, KeyA) = await NewForceAsync();
        (_, KeyB) = await NewForceAsync();

        // A second key of force A, revoked before it is ever used.
        var second = await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{OrganisationA}/keys", AdminKey);
        var issued = await second.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        RevokedKey = issued.GetProperty("apiKey").GetString()!;
        (await SendAsync(HttpMethod.Delete, $"/api/admin/organisations/{OrganisationA}/keys/{issued.GetProperty("keyId").GetString()}", AdminKey)).EnsureSuccessStatusCode();

        // A force whose organisation is deactivated after its key was issued, before the key is ever used.
        var (forceC, keyC) = await NewForceAsync();
        (await SendAsync(HttpMethod.Post, $"/api/admin/organisations/force-{forceC.ToLowerInvariant()}/deactivate", AdminKey)).EnsureSuccessStatusCode();
        DeactivatedKey = keyC;

        // Two recipient schools with inbox keys; force A's incident is routed to school X.
        var (schoolX, urnX) = await Delivery.DeliveryApi.NewSchoolAsync(this, new { kind = "inbox" });
        var (schoolY, _) = await Delivery.DeliveryApi.NewSchoolAsync(this, new { kind = "inbox" });
        SchoolXKey = await Delivery.DeliveryApi.IssueKeyAsync(this, schoolX);
        SchoolYKey = await Delivery.DeliveryApi.IssueKeyAsync(this, schoolY);

        var leadId = "lead-" + Guid.NewGuid().ToString("N")[..8];
        (await SendAsync(HttpMethod.Post, "/api/admin/organisations", AdminKey, System.Text.Json.JsonSerializer.Serialize(new
        {
            id = leadId, type = "partnership-lead", name = "Matrix Partnership", laCodes = new[] { "840" },
            contacts = new[] { new { name = "Lead", email = "lead@example.invalid" } },
        }))).EnsureSuccessStatusCode();
        var leadKey = await SendAsync(HttpMethod.Post, $"/api/admin/organisations/{leadId}/keys", AdminKey);
        PartnershipKey = (await leadKey.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString()!;

        var inspector = await SendAsync(HttpMethod.Post, "/api/admin/inspector-keys", AdminKey,
            """{"inspection":"Matrix inspection","laCodes":["840"],"validForDays":7}""");
        InspectorKey = (await inspector.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString()!;
        var longAgo = DateTimeOffset.UtcNow.AddDays(-30);
        ExpiredInspectorKey = (await new NotifyHub.Auth.ApiKeyStore(Tables, new FixedTime(longAgo))
            .IssueInspectorAsync("Last month's inspection", ["840"], longAgo.AddDays(29), CancellationToken.None)).Secret;

        ReferenceA = "MATRIX-" + Guid.NewGuid().ToString("N")[..8];
        var incident = ExampleIncident.For(ForceA, ReferenceA, DateTimeOffset.UtcNow).WithUniqueChildren()
            .With("location.laCode", "840").With("children[0].schoolUrn", urnX);
        var accepted = await SendAsync(HttpMethod.Post, "/api/incidents", KeyA, incident.ToJsonString());
        accepted.EnsureSuccessStatusCode();
        var incidentId = (await accepted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("incidentId").GetString();
        NotificationX = $"{incidentId}.{schoolX}";
        await Eventually.UntilAsync(async () => (await SendAsync(HttpMethod.Get, $"/api/notifications/{NotificationX}", SchoolXKey)).StatusCode,
            s => s == HttpStatusCode.OK, "school X's notification");
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await Http.SendAsync(request);
    }
}

/// <summary>
/// Every HTTP function against every kind of caller, with the status each must get: nobody reaches a function
/// without a valid key of an active organisation, police keys reach only their own force's incidents, and only
/// administrators reach the admin API. A function missing from the matrix fails the test.
/// </summary>
public class AuthorisationMatrixTests(AuthorisationMatrixFixture hub) : IClassFixture<AuthorisationMatrixFixture>
{
    private enum Caller { NoKey, UnknownKey, RevokedKey, DeactivatedOrganisation, ExpiredInspector, PoliceA, PoliceB, Admin, RecipientX, RecipientY, Partnership, Inspector }

    /// <summary>
    /// What each caller gets. Recipients (schools X and Y) get 403 unless a cell says otherwise. A function opened by an
    /// email link (<paramref name="ByLink"/>) takes no key at all: every caller, key or none, gets what its token earns.
    /// </summary>
    private sealed record Cell(string Function, HttpMethod Method, string Path, string? Body, int Admin, int PoliceA, int PoliceB,
        string ContentType = "application/json", int RecipientX = 403, int RecipientY = 403, bool ByLink = false, int Partnership = 403,
        bool Public = false, int Inspector = 403);

    private IReadOnlyList<Cell> Matrix()
    {
        var a = hub.ForceA;
        var org = hub.OrganisationA;
        var incident = ExampleIncident.For(a, "MATRIX-" + Guid.NewGuid().ToString("N")[..8], DateTimeOffset.UtcNow).WithUniqueChildren().ToJsonString();
        const int forbidden = 403;
        return
        [
            new("IngestIncident", HttpMethod.Post, "/api/incidents", incident, Admin: forbidden, PoliceA: 202, PoliceB: forbidden),
            new("GetIncidentStatus", HttpMethod.Get, $"/api/incidents/{a}/{hub.ReferenceA}", null, Admin: forbidden, PoliceA: 200, PoliceB: forbidden),
            new("CreateOrganisation", HttpMethod.Post, "/api/admin/organisations", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("ListOrganisations", HttpMethod.Get, "/api/admin/organisations", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("GetOrganisation", HttpMethod.Get, $"/api/admin/organisations/{org}", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("UpdateOrganisation", HttpMethod.Put, $"/api/admin/organisations/{org}", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("DeactivateOrganisation", HttpMethod.Post, "/api/admin/organisations/no-such-org/deactivate", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("SetOrganisationCoverage", HttpMethod.Put, $"/api/admin/organisations/{org}/coverage", """{"gpPracticeOdsCodes":[],"postcodeDistricts":[]}""", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("SetAreaPaths", HttpMethod.Put, "/api/admin/areas/840/paths", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("GetAreaPaths", HttpMethod.Get, "/api/admin/areas/840/paths", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("IssueApiKey", HttpMethod.Post, "/api/admin/organisations/no-such-org/keys", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("RevokeApiKey", HttpMethod.Delete, $"/api/admin/organisations/{org}/keys/key_nope", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("ImportGiasDirectory", HttpMethod.Post, "/api/admin/directory/gias", "{}", Admin: 415, PoliceA: forbidden, PoliceB: forbidden),
            new("ImportOdsDirectory", HttpMethod.Post, "/api/admin/directory/ods", "{}", Admin: 415, PoliceA: forbidden, PoliceB: forbidden),
            new("SeedDemoDirectory", HttpMethod.Post, "/api/admin/directory/demo", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("GetHealth", HttpMethod.Get, "/api/admin/health", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("ReplayPoisonMessages", HttpMethod.Post, "/api/admin/queues/not-ours/replay", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("ListStuckIncidents", HttpMethod.Get, "/api/admin/incidents/stuck", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("ListAuditEntries", HttpMethod.Get, "/api/admin/audit", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("RetryStuckIncident", HttpMethod.Post, $"/api/admin/incidents/{a}/no-such-reference/retry", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("RotateWebhookSecret", HttpMethod.Post, "/api/admin/organisations/no-such-org/webhook-secrets", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("RevokeNotificationLinks", HttpMethod.Post, "/api/admin/notifications/no-such-notification/revoke-links", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("ListSilentWebhooks", HttpMethod.Get, "/api/admin/webhooks/silent", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            // Decisions: the MASH the notification is addressed to records and reads them (any other recipient finds no such MASH
            // notification: 404); the submitting force reads them by its reference.
            new("RecordDecision", HttpMethod.Post, "/api/notifications/no-such-notification/decisions", "{}", Admin: forbidden, PoliceA: forbidden,
                PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("ListDecisions", HttpMethod.Get, "/api/notifications/no-such-notification/decisions", null, Admin: forbidden, PoliceA: forbidden,
                PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("ListAwaitingDecisions", HttpMethod.Get, "/api/decisions/awaiting", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden,
                RecipientX: 200, RecipientY: 200, Partnership: 200),
            new("GetDecisionReport", HttpMethod.Get, "/api/reports/decisions", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden, Partnership: 200,
                Inspector: 200),
            new("GetStrategyReport", HttpMethod.Get, "/api/reports/strategy", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden, Partnership: 200,
                Inspector: 200),
            // Evidence: the submitting force, the lead and an inspector of the incident's LA, and administrators export it; an
            // inspector reads evidence and reports only. The public key is for anyone.
            new("GetIncidentEvidence", HttpMethod.Get, $"/api/incidents/{a}/{hub.ReferenceA}/evidence", null, Admin: 200, PoliceA: 200, PoliceB: forbidden,
                Partnership: 200, Inspector: 200),
            new("GetEvidencePublicKey", HttpMethod.Get, "/.well-known/notifyhub-evidence-key.pem", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            new("AnchorEvidenceNow", HttpMethod.Post, "/api/admin/evidence/anchors", null, Admin: 201, PoliceA: forbidden, PoliceB: forbidden),
            new("IssueInspectorKey", HttpMethod.Post, "/api/admin/inspector-keys", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("GetIncidentDecisions", HttpMethod.Get, $"/api/incidents/{a}/{hub.ReferenceA}/decisions", null, Admin: forbidden, PoliceA: 200, PoliceB: forbidden),
            // Open to anyone, key or none: what holds no data — the contract, the landing page, the API reference, the docs, the assets.
            new("GetOpenApi", HttpMethod.Get, "/api/openapi.json", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            new("ShowHome", HttpMethod.Get, "/", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            new("ShowApiReference", HttpMethod.Get, "/api/reference", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            new("ShowDoc", HttpMethod.Get, "/docs/routing.md", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            new("GetAsset", HttpMethod.Get, "/assets/site.css", null, Admin: 200, PoliceA: 200, PoliceB: 200, Public: true),
            // Timeliness: calendars and the monitor are the administrators'; reports are the partnership leads' (and the late and
            // missing lists the forces' too); a school sees no report. Bodies that fail validation show the caller got past authorisation.
            new("LoadBankHolidays", HttpMethod.Put, "/api/admin/calendars/bank-holidays", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("LoadTermDates", HttpMethod.Put, "/api/admin/calendars/las/840", "la_code,term,first_day,last_day\n", Admin: 400, PoliceA: forbidden,
                PoliceB: forbidden, ContentType: "text/csv"),
            new("LoadSchoolCalendar", HttpMethod.Put, "/api/admin/calendars/schools/matrix-trust", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("ListCalendars", HttpMethod.Get, "/api/admin/calendars", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden),
            new("RunSlaMonitor", HttpMethod.Post, "/api/admin/sla-monitor/run", "{\"unknown\":1}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden),
            new("StartViewRebuild", HttpMethod.Post, "/api/admin/views/rebuild", null, Admin: 202, PoliceA: forbidden, PoliceB: forbidden),
            new("GetViewRebuild", HttpMethod.Get, "/api/admin/views/rebuild/0", null, Admin: 404, PoliceA: forbidden, PoliceB: forbidden),
            new("SubmitManifest", HttpMethod.Post, "/api/manifests", "{}", Admin: forbidden, PoliceA: 400, PoliceB: 400),
            new("GetTimelinessReport", HttpMethod.Get, "/api/reports/timeliness?groupBy=recipientType", null, Admin: 200, PoliceA: forbidden,
                PoliceB: forbidden, Partnership: 200, Inspector: 200),
            new("ListLateShares", HttpMethod.Get, "/api/reports/late", null, Admin: 200, PoliceA: 200, PoliceB: 200, Partnership: 200),
            new("ListMissingShares", HttpMethod.Get, "/api/reports/missing", null, Admin: 200, PoliceA: 200, PoliceB: 200, Partnership: 200),
            // Schools are recipients but not the MASH: a recipient key reaches the function, which refuses all but a MASH.
            new("ListRepeatChildren", HttpMethod.Get, "/api/reports/repeat-children", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden, Partnership: 200),
            new("CreateDashboardLink", HttpMethod.Post, "/api/reports/dashboard-links", null, Admin: forbidden, PoliceA: forbidden, PoliceB: forbidden,
                Partnership: 201),
            // A lead revokes its own links with no body; an administrator must name the lead, so an empty body is a 400 naming the field.
            new("RevokeDashboardLinks", HttpMethod.Post, "/api/reports/dashboard-links/revoke", "{}", Admin: 400, PoliceA: forbidden, PoliceB: forbidden,
                Partnership: 200),
            new("OpenDashboard", HttpMethod.Get, "/api/dashboard/not-a-token", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404,
                ByLink: true),
            new("GetDashboardData", HttpMethod.Get, "/api/dashboard/not-a-token/timeliness", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404,
                RecipientY: 404, ByLink: true),
            new("GetDashboardDecisions", HttpMethod.Get, "/api/dashboard/not-a-token/decisions", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404,
                RecipientY: 404, ByLink: true),
            new("GetDashboardStrategy", HttpMethod.Get, "/api/dashboard/not-a-token/strategy", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404,
                RecipientY: 404, ByLink: true),
            new("OpenLateShares", HttpMethod.Get, "/api/dashboard/not-a-token/late", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404,
                RecipientY: 404, ByLink: true),
            new("OpenEvidenceTimeline", HttpMethod.Get, "/api/evidence/not-a-token", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404,
                RecipientY: 404, ByLink: true),
            // A force is sent the MASHs' decisions about its incidents: it has an inbox, and never sees a notification that is not its own.
            new("ListInbox", HttpMethod.Get, "/api/inbox", null, Admin: forbidden, PoliceA: 200, PoliceB: 200, RecipientX: 200, RecipientY: 200),
            new("GetNotification", HttpMethod.Get, $"/api/notifications/{hub.NotificationX}", null, Admin: forbidden, PoliceA: 404, PoliceB: 404,
                RecipientX: 200, RecipientY: 404),
            // An empty body: school X gets as far as validation (and acknowledges nothing); school Y never learns the notification exists.
            new("AcknowledgeNotification", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/ack", "{}", Admin: forbidden, PoliceA: 404,
                PoliceB: 404, RecipientX: 400, RecipientY: 404),
            // Only a decision's own recipient challenges it (school X's incident share is not a decision: 404 for it too), and only
            // the MASH a challenge was sent to answers it.
            new("ChallengeDecision", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/challenge", "{}", Admin: forbidden, PoliceA: 404,
                PoliceB: 404, RecipientX: 404, RecipientY: 404),
            new("AnswerChallenge", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/response", "{}", Admin: forbidden, PoliceA: forbidden,
                PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            // Strategy discussions: only the chair, through what is due from it (a recipient key), schedules, changes the invitees, records
            // it held and shares the minutes; invitees (recipients, or the force with its police key) answer, send information and read it.
            // School X's incident share is neither the chair's nor an invitation: 404 for every caller the role lets through.
            new("ScheduleStrategyDiscussion", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/schedule", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("ChangeStrategyInvitees", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/invitees", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("RecordStrategyHeld", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/held", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("ShareStrategyMinutes", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/minutes", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("AnswerInvitation", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/answer", "{}", Admin: forbidden,
                PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404),
            new("SendStrategyInformation", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/information", "{}", Admin: forbidden,
                PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404),
            new("GetStrategyDiscussion", HttpMethod.Get, $"/api/notifications/{hub.NotificationX}/strategy", null, Admin: forbidden,
                PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404),
            new("GetStrategyMinutes", HttpMethod.Get, $"/api/notifications/{hub.NotificationX}/minutes", null, Admin: forbidden,
                PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404),
            // The front door: only the relay a review was sent to releases or withholds it (school X's share is no review: 404 for
            // every recipient); the report is the lead's, an inspector's and an administrator's.
            new("ReleaseNotification", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/release", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("WithholdNotification", HttpMethod.Post, $"/api/notifications/{hub.NotificationX}/withhold", "{}", Admin: forbidden,
                PoliceA: forbidden, PoliceB: forbidden, RecipientX: 404, RecipientY: 404),
            new("GetFrontDoorReport", HttpMethod.Get, "/api/reports/front-door", null, Admin: 200, PoliceA: forbidden, PoliceB: forbidden, Partnership: 200,
                Inspector: 200),
            new("OpenNotificationLink", HttpMethod.Get, "/api/links/not-a-token", null, Admin: 404, PoliceA: 404, PoliceB: 404, RecipientX: 404, RecipientY: 404, ByLink: true),
            new("AcknowledgeByLink", HttpMethod.Post, "/api/links/not-a-token", "name=A&role=B", Admin: 404, PoliceA: 404, PoliceB: 404,
                ContentType: "application/x-www-form-urlencoded", RecipientX: 404, RecipientY: 404, ByLink: true),
        ];
    }

    private string? KeyOf(Caller caller) => caller switch
    {
        Caller.NoKey => null,
        Caller.UnknownKey => "nh_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('='),
        Caller.RevokedKey => hub.RevokedKey,
        Caller.DeactivatedOrganisation => hub.DeactivatedKey,
        Caller.PoliceA => hub.KeyA,
        Caller.PoliceB => hub.KeyB,
        Caller.RecipientX => hub.SchoolXKey,
        Caller.RecipientY => hub.SchoolYKey,
        Caller.Partnership => hub.PartnershipKey,
        Caller.Inspector => hub.InspectorKey,
        Caller.ExpiredInspector => hub.ExpiredInspectorKey,
        _ => hub.AdminKey,
    };

    [Fact]
    public void The_matrix_covers_every_HTTP_function_the_app_declares()
    {
        var declared = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsScriptRoot, "functions.metadata")))!.AsArray()
            .Where(f => f!["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
            .Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(declared, Matrix().Select(c => c.Function).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_function_answers_every_kind_of_caller_with_the_status_its_cell_expects()
    {
        var failures = new List<string>();
        foreach (var cell in Matrix())
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var expected = caller switch
                {
                    _ when cell.ByLink => 404,
                    _ when cell.Public => 200,
                    Caller.Admin => cell.Admin,
                    Caller.PoliceA => cell.PoliceA,
                    Caller.PoliceB => cell.PoliceB,
                    Caller.RecipientX => cell.RecipientX,
                    Caller.RecipientY => cell.RecipientY,
                    Caller.Partnership => cell.Partnership,
                    Caller.Inspector => cell.Inspector,
                    _ => 401,
                };
                using var response = await hub.SendAsync(cell.Method, cell.Path, KeyOf(caller), cell.Body, cell.ContentType);
                if ((int)response.StatusCode != expected)
                    failures.Add($"{cell.Function} as {caller}: {(int)response.StatusCode}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
                else if (expected >= 400)
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
