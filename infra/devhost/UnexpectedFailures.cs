namespace NotifyHub.DevHost;

/// <summary>
/// How many pieces of background work — a queue message's processing, an admin run answered with 202 — ended with an exception the DevHost's own handling did not expect. Each one is logged where it happened, with
/// what it concerned; the count makes them visible (<see cref="RunningDevHost.UnexpectedFailures"/>), so a failure
/// that nobody awaited cannot pass for "no work".
/// </summary>
internal sealed class UnexpectedFailures
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);
}
