using Microsoft.Extensions.Hosting;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// The front door is embedded: Ctrl-C and SIGTERM belong to whoever owns the process (Program, a
/// test), which stops the whole DevHost in order, not to the web host's default ConsoleLifetime.
/// </summary>
internal sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
