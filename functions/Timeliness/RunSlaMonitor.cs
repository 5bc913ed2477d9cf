using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Routing;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/sla-monitor/run</c> (admin): runs <c>SlaMonitor</c> now and answers what it did. In Development
/// only, the body may give <c>{"asOf":"…"}</c>, a clock to judge by (the README's demo lets an incident go late without
/// waiting for its due time).
/// </summary>
public sealed class RunSlaMonitor(LatenessMonitor monitor, IConfiguration configuration, AuditTrail audit)
{
    public sealed record Request(DateTimeOffset? AsOf);

    [Function(nameof(RunSlaMonitor))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/sla-monitor/run")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        DateTimeOffset? asOf = null;
        if (request.ContentLength is > 0 || request.ContentType is not null)
        {
            var (body, problem) = await JsonBody.ReadValidatedAsync(request, 4096, Validate, ct);
            if (problem is not null) return problem;
            asOf = body!.AsOf;
            if (asOf is not null && !RoutingOptions.IsDevelopment(configuration))
                return Problems.Invalid("asOf", "is for the local demo only: it is accepted in the Development environment, never in a deployed hub");
        }
        var run = await monitor.RunAsync(asOf, ct, request: true);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.SlaMonitorRun, ["sla-monitor"],
            new { asOf, run.Due, run.MarkedLate, run.Escalated }, ct);
        return TypedResults.Ok(run);
    }

    private static Validated<Request> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var asOf = f.Instant("asOf", required: false);
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new Request(asOf), errors);
    }
}
