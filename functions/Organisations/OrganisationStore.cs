using Azure;
using Azure.Data.Tables;
using NotifyHub.Domain.Directory;
using NotifyHub.Storage;

namespace NotifyHub.Organisations;

/// <summary>The directory of organisations. Table <c>Organisations</c>: partition = organisation id, row <c>profile</c>.</summary>
public sealed class OrganisationStore(TableServiceClient tables, TimeProvider time)
{
    private const string ProfileRow = "profile";

    private TableClient Table => tables.GetTableClient(StorageNames.OrganisationsTable);

    /// <summary>Adds the organisation; false when one with that id exists.</summary>
    public async Task<bool> AddAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(organisation.Id, ProfileRow)
            {
                ["Type"] = organisation.Type,
                ["Name"] = organisation.Name,
                ["ForceCode"] = organisation.ForceCode,
                ["LaCode"] = organisation.LaCode,
                ["Active"] = organisation.Active,
                ["CreatedAt"] = time.GetUtcNow(),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<Organisation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id, ProfileRow, cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var e = row.Value!;
        return new Organisation(id, e.GetString("Type"), e.GetString("Name"), e.GetBoolean("Active") ?? true,
            ForceCode: e.GetString("ForceCode"), LaCode: e.GetString("LaCode"));
    }
}
