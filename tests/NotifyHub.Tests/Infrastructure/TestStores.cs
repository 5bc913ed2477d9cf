using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Delivery;
using NotifyHub.Routing;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>The hub's stores wired as the app wires them, for tests that call a store directly against Azurite.</summary>
public static class TestStores
{
    public static DeliveryStore Deliveries(TableServiceClient tables, QueueServiceClient queues, TimeProvider time)
    {
        var rollups = new RollupStore(tables);
        var sla = new SlaStore(tables);
        return new DeliveryStore(tables, queues, new ReceiptStore(tables, queues, rollups, sla), sla, rollups, time);
    }
}
