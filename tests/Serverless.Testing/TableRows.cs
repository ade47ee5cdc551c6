using Azure;
using Azure.Data.Tables;

namespace Serverless.Testing;

/// <summary>Reads for "nothing was written" checks: a table that was never created holds no rows.</summary>
public static class TableRows
{
    public static async Task<IReadOnlyList<TableEntity>> ReadIfExistsAsync(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(maxPerPage: 100).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Never created: nothing written.
        }

        return rows;
    }
}
