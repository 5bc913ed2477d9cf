namespace NotifyHub.FrontDoor;

public static class FrontDoorRegistration
{
    public static IServiceCollection AddFrontDoor(this IServiceCollection services) => services.AddSingleton<FrontDoorReviews>();
}
