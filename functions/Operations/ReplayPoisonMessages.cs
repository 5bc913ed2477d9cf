using NotifyHub.Audit;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Storage;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/queues/{queue}/replay</c> (admin): once the cause of a failure is fixed, moves the
/// messages the host gave up on (<c>{queue}-poison</c>) back onto <c>{queue}</c>, bodies unchanged. Each
/// call replays each message at most once: only messages that were already poisoned when the call began
/// are replayed, so one that fails again and returns to the poison queue waits for the next call instead
/// of looping. Each is sent before it is deleted, so a crash here can only replay a message twice —
/// which the idempotent consumers absorb — never lose one.
/// </summary>
public sealed class ReplayPoisonMessages(QueueServiceClient queues, TimeProvider time, AuditTrail audit)
{
    /// <summary>How long a message being replayed is hidden from other readers of the poison queue.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public sealed record Replayed(string Queue, int Count, int LeftForNextCall, IReadOnlyList<string> MessageIds);

    [Function(nameof(ReplayPoisonMessages))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/queues/{queue}/replay")] HttpRequest request, string queue)
    {
        if (!StorageNames.Queues.Contains(queue))
            return Problems.NotFound($"There is no queue {queue}; the hub's queues are {string.Join(", ", StorageNames.Queues)}.");
        var ct = request.HttpContext.RequestAborted;
        var target = queues.GetQueueClient(queue);
        var poison = queues.GetQueueClient(queue + "-poison");
        var began = time.GetUtcNow();
        var replayed = new List<string>();
        var left = 0;
        try
        {
            while (true)
            {
                var batch = (await poison.ReceiveMessagesAsync(32, Lease, ct)).Value;
                var older = batch.Where(m => m.InsertedOn is not { } at || at <= began).ToList();
                left += batch.Length - older.Count; // poisoned during this call: hidden for the lease, replayed next time
                if (older.Count == 0) break;
                foreach (var message in older)
                {
                    await target.SendAsync(message.Body, ct);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    replayed.Add(message.MessageId);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && replayed.Count == 0)
        {
            // No poison queue: nothing was ever given up on.
        }
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.PoisonReplayed, replayed,
            new { queue, replayed = replayed.Count, leftForNextCall = left }, ct);
        return TypedResults.Ok(new Replayed(queue, replayed.Count, left, replayed));
    }
}
