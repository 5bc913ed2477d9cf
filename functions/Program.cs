using NotifyHub;
using NotifyHub.Hosting;

if (args.Length > 0 && args[0] == AdminCommands.CreateAdminKey)
{
    return await AdminCommands.CreateAdminKeyAsync(args[1..]);
}

FunctionApp.Build(args).Run();
return 0;
