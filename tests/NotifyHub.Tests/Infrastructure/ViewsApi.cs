using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>The rebuild of the views, through the admin API: start it, follow it to the end.</summary>
public static class ViewsApi
{
    /// <summary>Rebuilds every view from the ledger and answers the finished run (a rebuild already running is waited for, then a new one started).</summary>
    public static async Task<JsonElement> RebuildAsync(HubFixture hub, TimeSpan? timeout = null)
    {
        while (true)
        {
            using var start = new HttpRequestMessage(HttpMethod.Post, "/api/admin/views/rebuild");
            start.Headers.Add("X-Api-Key", hub.AdminKey);
            var response = await hub.Http.SendAsync(start);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var running = (await CurrentAsync(hub)).GetProperty("id").GetString()!;
                await FollowAsync(hub, running, timeout);
                continue;
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            return await FollowAsync(hub, id, timeout);
        }
    }

    private static Task<JsonElement> FollowAsync(HubFixture hub, string id, TimeSpan? timeout) =>
        Eventually.UntilAsync(async () =>
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/views/rebuild/{id}");
            get.Headers.Add("X-Api-Key", hub.AdminKey);
            return await (await hub.Http.SendAsync(get)).Content.ReadFromJsonAsync<JsonElement>();
        }, run => run.GetProperty("status").GetString() == "done", $"rebuild {id} to finish", timeout ?? TimeSpan.FromSeconds(60));

    private static async Task<JsonElement> CurrentAsync(HubFixture hub)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/admin/health");
        get.Headers.Add("X-Api-Key", hub.AdminKey);
        var health = await (await hub.Http.SendAsync(get)).Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("views").GetProperty("latestRebuild");
    }
}
