using NotifyHub.Timeliness;

namespace NotifyHub.Ledger;

public static class LedgerRegistration
{
    /// <summary>The ledger, its one writer, the projector and its views, the outbox, and the rebuild.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<ProjectionHints>();
        services.AddSingleton<RowViewWriter>();
        services.AddSingleton<RollupView>();
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<Projector>();
        services.AddSingleton<ViewRebuild>();
        return services;
    }
}
