using Azure.Data.Tables;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests;

public class AzuriteTests
{
    [Fact]
    public async Task The_test_storage_account_accepts_table_writes()
    {
        var table = new TableClient(await TestStorage.ConnectionStringAsync(), TestStorage.UniqueName("smoke"));
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });
        var read = await table.GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal(42, read.Value.GetInt32("Value"));
    }
}
