using Azure;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Storage;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/queues/{queue}/replay</c> (admin): once the cause of a failure is fixed, moves
/// every message the host gave up on (<c>{queue}-poison</c>) back onto <c>{queue}</c>, bodies
/// unchanged. Each is sent before it is deleted, so a crash here can only replay a message twice —
/// which the idempotent consumers absorb — never lose one.
/// </summary>
public sealed class ReplayPoisonMessages(QueueServiceClient queues)
{
    public sealed record Replayed(string Queue, int Count);

    [Function(nameof(ReplayPoisonMessages))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/queues/{queue}/replay")] HttpRequest request, string queue)
    {
        if (!StorageNames.Queues.Contains(queue))
            return Problems.NotFound($"There is no queue {queue}; the hub's queues are {string.Join(", ", StorageNames.Queues)}.");
        var ct = request.HttpContext.RequestAborted;
        var target = queues.GetQueueClient(queue);
        var poison = queues.GetQueueClient(queue + "-poison");
        var count = 0;
        try
        {
            while (true)
            {
                var batch = (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
                if (batch.Length == 0) break;
                foreach (var message in batch)
                {
                    await target.SendMessageAsync(message.Body, cancellationToken: ct);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    count++;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && count == 0)
        {
            // No poison queue: nothing was ever given up on.
        }
        return TypedResults.Ok(new Replayed(queue, count));
    }
}
