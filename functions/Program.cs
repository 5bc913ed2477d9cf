using Microsoft.Azure.Functions.Worker.Builder;
using NotifyHub.Hosting;

// `NotifyHub.Functions create-admin-key` bootstraps the first administrator key without a running hub.
if (args is [AdminCommands.CreateAdminKey, ..])
{
    return await AdminCommands.CreateAdminKeyAsync(args[1..]);
}

// `NotifyHub.Functions verify-evidence FILE [--public-key PEM]` checks an evidence export offline.
if (args is [NotifyHub.Evidence.VerifyEvidenceCommand.Name, ..])
{
    return await NotifyHub.Evidence.VerifyEvidenceCommand.RunAsync(args[1..], Console.Out, Console.Error, Console.In);
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddNotifyHub();
// The pages link to these assets: a build without one fails here, not in a reader's browser.
NotifyHub.Web.StaticAssets.Verify();
var app = builder.Build();
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested)
{
    // Asked to stop (WorkerTerminate, Ctrl-C) before start-up had finished: a requested stop, not a crash.
}
return 0;
