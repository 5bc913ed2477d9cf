using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Handler;

namespace NotifyHub.DevHost.Timers;

/// <summary>
/// One timer-triggered function (TimerListener): runs only while this instance holds the listener
/// lock, fires on the NCRONTAB schedule in UTC, honours past-due and runOnStartup when it starts,
/// and claims every occurrence in the status blob (ETag-conditional) before invoking, so that two
/// instances never fire the same occurrence even around a lock hand-over. Failures are not retried.
/// </summary>
internal sealed class TimerListener(
    TimerFunction function, ScheduleStatusStore status, ListenerLock listenerLock,
    InvocationClient invoker, TimeProvider time, ILogger logger)
{
    public TimerFunction Function => function;

    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await listenerLock.TryAcquireAsync(stopping))
                {
                    await Task.Delay(ListenerLock.AcquirePollingInterval, time, stopping);
                    continue;
                }

                Log.LockAcquired(logger, function.Name);
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var renewing = RenewOrLetGoAsync(held);
                try
                {
                    await ScheduleLoopAsync(held.Token, abort);
                }
                catch (OperationCanceledException) when (held.IsCancellationRequested)
                {
                }
                finally
                {
                    await held.CancelAsync();
                    await renewing;
                    await listenerLock.ReleaseAsync();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage down or unreachable: try for the lock again rather than stop the timer.
                Log.TimerError(logger, e, function.Name);
                try
                {
                    await Task.Delay(ListenerLock.AcquirePollingInterval, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs the function now (admin invoke): not past due, with the stored status, nothing claimed.</summary>
    public async Task<InvocationResult> InvokeNowAsync(CancellationToken cancellationToken)
    {
        var (stored, _) = await status.ReadAsync(cancellationToken);
        var envelope = InvocationEnvelope.ForTimer(function.BindingName, stored, isPastDue: false, invoker.NewSys(function.Name));
        return await invoker.InvokeAsync(function.Name, "admin", envelope, cancellationToken);
    }

    private async Task RenewOrLetGoAsync(CancellationTokenSource held)
    {
        var lost = await listenerLock.KeepRenewingAsync(time, held.Token);
        if (lost is not null)
        {
            Log.LockLost(logger, lost, function.Name);
            await held.CancelAsync();
        }
    }

    private async Task ScheduleLoopAsync(CancellationToken held, CancellationToken abort)
    {
        var now = time.GetUtcNow();
        var useMonitor = TimerSchedule.UseMonitor(function.Schedule, function.UseMonitor, now);
        var (stored, _) = await status.ReadAsync(held);
        var decision = TimerSchedule.OnStartup(stored, now, useMonitor, function.RunOnStartup);
        switch (decision.Action)
        {
            case StartupAction.RunPastDue:
                Log.PastDue(logger, function.Name, decision.PastDueOccurrence!.Value);
                await FireAsync(decision.PastDueOccurrence.Value, isPastDue: true, useMonitor, abort);
                break;
            case StartupAction.RunOnStartup:
                await FireAsync(now, isPastDue: false, useMonitor, abort);
                break;
        }

        var after = time.GetUtcNow();
        while (true)
        {
            var next = TimerSchedule.NextOccurrence(function.Schedule, after);
            // Timers may wake a little early; never fire before the occurrence.
            for (var wait = next - time.GetUtcNow(); wait > TimeSpan.Zero; wait = next - time.GetUtcNow())
            {
                await Task.Delay(wait, time, held);
            }
            await FireAsync(next, isPastDue: false, useMonitor, abort);
            // A run that outlasts later occurrences skips them, as the host does.
            var current = time.GetUtcNow();
            after = current > next ? current : next;
        }
    }

    private async Task FireAsync(DateTimeOffset occurrence, bool isPastDue, bool useMonitor, CancellationToken abort)
    {
        var (stored, etag) = await status.ReadAsync(abort);
        if (!TimerSchedule.CanClaim(stored, occurrence)
            || !await status.TryWriteAsync(TimerSchedule.AfterRun(function.Schedule, occurrence, time.GetUtcNow()), etag, abort))
        {
            Log.OccurrenceTaken(logger, function.Name, occurrence);
            return;
        }

        // Without the monitor the host passes no status (it keeps none); the DevHost keeps it only to claim occurrences.
        var envelope = InvocationEnvelope.ForTimer(function.BindingName, useMonitor ? stored : null, isPastDue, invoker.NewSys(function.Name));
        await invoker.InvokeAsync(function.Name, isPastDue ? "past due" : "Timer fired at " + occurrence.ToString("O"), envelope, abort);
    }
}
