using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Invocations;

namespace NotifyHub.DevHost.Timers;

/// <summary>
/// One timer-triggered function (TimerListener): runs only while this instance holds the listener
/// lock, fires on the NCRONTAB schedule in UTC, honours past-due and runOnStartup when it starts,
/// and claims every scheduled occurrence in the status blob (ETag-conditional) before invoking, so that
/// two instances never fire the same occurrence even around a lock hand-over. Failures are not retried.
/// </summary>
internal sealed class TimerListener(
    TimerFunction function, ScheduleStatusStore status, ListenerLock listenerLock,
    Invoker invoker, TimeProvider time, ILogger logger)
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
            catch (Exception e)
            {
                // Storage down or unreachable, or a request that timed out (an OperationCanceledException that is not
                // the stop): try for the lock again rather than let the timer end without a word.
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
        var stored = await status.ReadAsync(cancellationToken);
        var data = TriggerData.Timer(function, stored.Status, isPastDue: false, time.GetUtcNow());
        return await invoker.InvokeAsync(function, data, "This function was programmatically called via the host APIs.", cancellationToken);
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
        var stored = await ReadAsync(held);
        var current = stored.Status;
        if (useMonitor)
        {
            // As the host's schedule monitor: record an initial status, or correct one the schedule no longer gives.
            var (atStart, changed) = TimerSchedule.AtStart(function.Schedule, stored.Status, now);
            if (changed && await status.TryWriteAsync(atStart, stored.ETag, held)) current = atStart;
            else if (changed) current = (await ReadAsync(held)).Status;
        }
        var decision = TimerSchedule.OnStartup(current, now, useMonitor, function.RunOnStartup);
        switch (decision.Action)
        {
            case StartupAction.RunPastDue:
                Log.PastDue(logger, function.Name, decision.PastDueOccurrence!.Value);
                await FireAsync(decision.PastDueOccurrence.Value, isPastDue: true, useMonitor, abort);
                break;
            case StartupAction.RunOnStartup:
                var data = TriggerData.Timer(function, useMonitor ? current : null, isPastDue: false, now);
                await invoker.InvokeAsync(function, data, "Timer fired on startup (runOnStartup).", abort);
                if (useMonitor)
                {
                    // As the host, a start-up run is recorded as the last run (it is not a claimed occurrence).
                    var afterStartup = await ReadAsync(abort);
                    await status.TryWriteAsync(TimerSchedule.AfterRun(function.Schedule, now, now), afterStartup.ETag, abort);
                }
                break;
        }

        var after = time.GetUtcNow();
        while (true)
        {
            var next = TimerSchedule.NextOccurrence(function.Schedule, after);
            // Timers may wake a little early, and one wait is at most a day: never fire before the occurrence.
            for (var wait = TimerSchedule.WaitBefore(next, time.GetUtcNow()); wait > TimeSpan.Zero; wait = TimerSchedule.WaitBefore(next, time.GetUtcNow()))
            {
                await Task.Delay(wait, time, held);
            }
            await FireAsync(next, isPastDue: false, useMonitor, abort);
            // A run that outlasts later occurrences skips them, as the host does.
            var ended = time.GetUtcNow();
            after = ended > next ? ended : next;
        }
    }

    private async Task FireAsync(DateTimeOffset occurrence, bool isPastDue, bool useMonitor, CancellationToken abort)
    {
        var stored = await ReadAsync(abort);
        if (!TimerSchedule.CanClaim(stored.Status, occurrence)
            || !await status.TryWriteAsync(TimerSchedule.AfterRun(function.Schedule, occurrence, time.GetUtcNow()), stored.ETag, abort))
        {
            Log.OccurrenceTaken(logger, function.Name, occurrence);
            return;
        }

        // Without the monitor the host passes no status (it keeps none); the DevHost keeps it only to claim occurrences.
        var data = TriggerData.Timer(function, useMonitor ? stored.Status : null, isPastDue, time.GetUtcNow());
        await invoker.InvokeAsync(function, data, isPastDue ? "Timer is past due." : $"Timer fired at {occurrence:O}", abort);
    }

    private async Task<StoredStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await status.ReadAsync(cancellationToken);
        if (stored.Unreadable) Log.StatusUnreadable(logger, function.Name, status.BlobName);
        return stored;
    }
}
