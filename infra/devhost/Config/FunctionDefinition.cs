using NCrontab;

namespace NotifyHub.DevHost.Config;

/// <summary>One function folder: its name (the folder name) and what triggers it.</summary>
internal abstract record FunctionDefinition(string Name)
{
    public abstract string Describe(string routePrefix);
}

/// <summary>An HTTP-in/HTTP-out function, run by forwarding the request to the handler.</summary>
internal sealed record HttpFunction(string Name, string Route, IReadOnlyList<string>? Methods) : FunctionDefinition(Name)
{
    /// <summary>The full template the front door matches, e.g. <c>api/incidents/{force}/{reference}</c>.</summary>
    public string Template(string routePrefix) =>
        routePrefix.Length == 0 ? Route : routePrefix + "/" + Route;

    public override string Describe(string routePrefix) =>
        $"[{(Methods is null ? "ANY" : string.Join(",", Methods))}] /{Template(routePrefix)}";
}

internal sealed record QueueFunction(string Name, string BindingName, string QueueName) : FunctionDefinition(Name)
{
    public override string Describe(string routePrefix) => $"queueTrigger {QueueName}";
}

internal sealed record TimerFunction(
    string Name, string BindingName, string Expression, CrontabSchedule Schedule, bool RunOnStartup, bool? UseMonitor)
    : FunctionDefinition(Name)
{
    public override string Describe(string routePrefix) => $"timerTrigger {Expression}";
}
