using NCrontab;

namespace NotifyHub.DevHost.Functions;

/// <summary>A function the worker declared, as the DevHost runs it: its name and what triggers it.</summary>
internal abstract record FunctionDefinition(string Name, string BindingName)
{
    public abstract string Describe();
}

/// <summary>
/// An HTTP function. <see cref="Template"/> is what the worker's own router matches:
/// <c>{routePrefix}/{route ?? name}</c>; no methods means every method.
/// </summary>
internal sealed record HttpFunction(string Name, string BindingName, string Template, IReadOnlyList<string> Methods) : FunctionDefinition(Name, BindingName)
{
    public override string Describe() =>
        $"[{(Methods.Count == 0 ? "ANY" : string.Join(",", Methods.Select(m => m.ToUpperInvariant())))}] /{Template}";
}

/// <summary>A queue function; with <see cref="DeferredBinding"/> the worker binds an SDK type (QueueMessage) from model binding data.</summary>
internal sealed record QueueFunction(string Name, string BindingName, string QueueName, bool DeferredBinding) : FunctionDefinition(Name, BindingName)
{
    public override string Describe() => $"queueTrigger {QueueName}";
}

internal sealed record TimerFunction(
    string Name, string BindingName, string Expression, CrontabSchedule Schedule, bool RunOnStartup, bool? UseMonitor)
    : FunctionDefinition(Name, BindingName)
{
    public override string Describe() => $"timerTrigger {Expression}";
}
