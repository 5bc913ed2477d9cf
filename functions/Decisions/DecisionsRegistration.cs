namespace NotifyHub.Decisions;

public static class DecisionsRegistration
{
    public static IServiceCollection AddDecisions(this IServiceCollection services) => services.AddSingleton<MashDecisions>().AddSingleton<LinkDecisions>();
}
