using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace NotifyHub.Storage;

/// <summary>
/// What a fault plan asks for, at the <see cref="At"/>-th storage request (counted from when the plan was written) whose
/// <c>{METHOD} {path}</c> matches the regular expression <see cref="Match"/> (every request when empty):
/// <c>fail-before</c> (the request is not sent, and the caller gets a 503), <c>fail-after</c> (it is sent and lands, and the caller
/// still gets a 503: an answer lost on the way back), <c>kill-before</c> and <c>kill-after</c> (the worker process is killed
/// there, as a crash would). <c>count</c> injects nothing and only counts.
/// </summary>
/// <param name="Times">How many matching requests in a row fail from <see cref="At"/> on (an outage longer than the hub's own retries).</param>
public sealed record FaultPlan(string Id, string Mode, int At, string? Match = null, int Times = 1);

/// <summary>
/// Tests only: an Azure SDK pipeline policy that makes one storage request of the hub fail, or kills the worker at it,
/// as the plan in the file named by <c>Testing:FaultPlanFile</c> says (<see cref="FaultPlan"/>). It reads the file again
/// whenever it changes, counting afresh for each new plan, and records what it counted and what it did in
/// <c>{file}.state</c> (<c>{"id","count","fired","request"}</c>). Registered only when the setting is given, which start-up
/// refuses outside the Development environment. It sits before the SDK's retries, so a failure reaches the hub's own code
/// as an outage that outlasted them would.
/// </summary>
public sealed class FaultInjectionPolicy(string planFile) : HttpPipelinePolicy
{
    private readonly object _gate = new();
    private DateTime _planWritten;
    private FaultPlan? _plan;
    private int _count;
    private bool _fired;

    public const string Setting = "Testing:FaultPlanFile";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var action = Before(message);
        ProcessNext(message, pipeline);
        After(message, action);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var action = Before(message);
        await ProcessNextAsync(message, pipeline);
        After(message, action);
    }

    private string? Before(HttpMessage message)
    {
        string? action = null;
        lock (_gate)
        {
            Reload();
            if (_plan is not { } plan) return null;
            var request = $"{message.Request.Method} {message.Request.Uri.Path}";
            if (!string.IsNullOrEmpty(plan.Match) && !System.Text.RegularExpressions.Regex.IsMatch(request, plan.Match)) return null;
            _count++;
            if (plan.Mode != "count" && _count >= plan.At && _count < plan.At + Math.Max(1, plan.Times) && !(_fired && plan.Mode.StartsWith("kill", StringComparison.Ordinal)))
            {
                _fired = true;
                action = plan.Mode;
            }
            Save(action is null ? null : request);
        }
        switch (action)
        {
            case "fail-before":
                throw new RequestFailedException(503, "Injected storage failure (before the request was sent).");
            case "kill-before":
                Kill();
                break;
        }
        return action;
    }

    private static void After(HttpMessage message, string? action)
    {
        switch (action)
        {
            case "fail-after":
                throw new RequestFailedException(503, $"Injected storage failure (after the request landed with {message.Response.Status}).");
            case "kill-after":
                Kill();
                break;
        }
    }

    private static void Kill()
    {
        // A crash, not a shutdown: nothing after this line runs, no catch, no finally, no flush.
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    private void Reload()
    {
        var written = File.Exists(planFile) ? File.GetLastWriteTimeUtc(planFile) : default;
        if (written == _planWritten) return;
        _planWritten = written;
        FaultPlan? plan = null;
        try { plan = written == default ? null : JsonSerializer.Deserialize<FaultPlan>(File.ReadAllText(planFile), QueueJson.Options); }
        catch (Exception e) when (e is JsonException or IOException) { }
        if (plan?.Id == _plan?.Id) return;
        (_plan, _count, _fired) = (plan, 0, false);
        // A worker started after this plan was written (the one it killed, restarted) takes up its count and never fires it again.
        var state = planFile + ".state";
        if (plan is null || !File.Exists(state)) return;
        try
        {
            var saved = JsonDocument.Parse(File.ReadAllText(state)).RootElement;
            if (saved.GetProperty("id").GetString() != plan.Id) return;
            (_count, _fired) = (saved.GetProperty("count").GetInt32(), saved.GetProperty("fired").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException) { }
    }

    private void Save(string? firedAt)
    {
        var state = planFile + ".state";
        var fired = firedAt ?? (_fired && File.Exists(state) ? JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("request").GetString() : null);
        File.WriteAllText(state + ".tmp", JsonSerializer.Serialize(new { id = _plan!.Id, count = _count, fired = _fired, request = fired }, QueueJson.Options));
        File.Move(state + ".tmp", state, overwrite: true);
    }
}
