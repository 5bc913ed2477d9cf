using Microsoft.Azure.Functions.Worker;

namespace NotifyHub.Hosting;

public static class FunctionContextExtensions
{
    /// <summary>Whether the function is triggered by HTTP (its trigger binding is <c>httpTrigger</c>).</summary>
    public static bool IsHttpFunction(this FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => b.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase));
}
