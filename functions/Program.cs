using Microsoft.Azure.Functions.Worker.Builder;
using NotifyHub.Hosting;

// `NotifyHub.Functions create-admin-key` bootstraps the first administrator key without a running hub.
if (args is [AdminCommands.CreateAdminKey, ..])
{
    return await AdminCommands.CreateAdminKeyAsync(args[1..]);
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddNotifyHub();
await builder.Build().RunAsync();
return 0;
