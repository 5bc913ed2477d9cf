namespace NotifyHub.Strategy;

public static class StrategyRegistration
{
    public static IServiceCollection AddStrategy(this IServiceCollection services) =>
        services.AddSingleton<StrategyDiscussions>().AddSingleton<MinutesStore>().AddSingleton<StrategyReports>();
}
