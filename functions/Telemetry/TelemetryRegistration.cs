using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NotifyHub.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs from the worker, exported only where asked: to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the template sets it), over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the standard <c>OTEL_*</c> settings), both when both are.
/// With neither, nothing is collected or exported.
/// </summary>
public static class TelemetryRegistration
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The worker's own invocation spans (one per invocation, parented on the host's trace context).</summary>
    private const string WorkerActivitySource = "Microsoft.Azure.Functions.Worker";

    public static FunctionsApplicationBuilder AddHubTelemetry(this FunctionsApplicationBuilder builder)
    {
        var azureMonitor = !string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorSetting]);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        if (!azureMonitor && !otlp) return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(WorkerActivitySource, HubTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(HubTelemetry.Name))
            .WithLogging();
        if (azureMonitor) telemetry.UseAzureMonitorExporter();
        if (otlp) telemetry.UseOtlpExporter();
        return builder;
    }
}
