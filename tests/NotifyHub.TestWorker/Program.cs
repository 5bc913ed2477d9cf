using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// A test can make every later start of this worker fail at once, to see what the host does then.
if (Environment.GetEnvironmentVariable("CrashOnStartIfExists") is { Length: > 0 } flag && File.Exists(flag))
{
    Console.Error.WriteLine("crashing on start, as the test asked");
    return 3;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
await builder.Build().RunAsync();
return 0;
