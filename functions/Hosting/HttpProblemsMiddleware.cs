using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace NotifyHub.Hosting;

/// <summary>
/// An HTTP function that throws answers problem+json, never a bare 500 or a dropped connection:
/// 503 when storage could not be reached (the client may retry: nothing half-done is acknowledged),
/// 500 for anything else. Queue and timer functions are left alone: their failures belong to the host,
/// which retries and finally poisons the message.
/// </summary>
public sealed partial class HttpProblemsMiddleware(ILogger<HttpProblemsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!context.IsHttpFunction())
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsStorageOutage(e) && !context.CancellationToken.IsCancellationRequested)
        {
            StorageUnavailable(logger, e, context.FunctionDefinition.Name, context.InvocationId);
            context.GetInvocationResult().Value = Problems.Unavailable("Storage did not answer; nothing was stored. Retry shortly.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Unexpected(logger, e, context.FunctionDefinition.Name, context.InvocationId);
            context.GetInvocationResult().Value = Problems.Unexpected(context.InvocationId);
        }
    }

    private static bool IsStorageOutage(Exception e) =>
        e is RequestFailedException { Status: 0 or >= 500 } or HttpRequestException or TimeoutException;

    [LoggerMessage(900, LogLevel.Error, "{Function} failed because storage did not answer (invocation {InvocationId})")]
    private static partial void StorageUnavailable(ILogger logger, Exception exception, string function, string invocationId);

    [LoggerMessage(901, LogLevel.Error, "{Function} failed unexpectedly (invocation {InvocationId})")]
    private static partial void Unexpected(ILogger logger, Exception exception, string function, string invocationId);
}
