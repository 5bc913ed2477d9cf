using Microsoft.Azure.Functions.Worker;

namespace NotifyHub.TestWorker;

public sealed class TimerFunctions
{
    [Function("Tick")]
    public static void Tick([TimerTrigger("%TickSchedule%", UseMonitor = true)] TimerInfo timer, FunctionContext context) =>
        Recorder.Write("Tick", new
        {
            timer.IsPastDue,
            last = timer.ScheduleStatus?.Last,
            next = timer.ScheduleStatus?.Next,
            lastUpdated = timer.ScheduleStatus?.LastUpdated,
            processId = Environment.ProcessId,
            invocationId = context.InvocationId,
        });

    [Function("StartupTick")]
    public static void StartupTick([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer) =>
        Recorder.Write("StartupTick", new { timer.IsPastDue, hasStatus = timer.ScheduleStatus is not null });
}
