using Serverless.Core.Storage;

namespace Serverless.Core.Tests.Storage;

/// <summary>Which account the job store talks to: a configured endpoint always wins over the development default.</summary>
public sealed class StorageClientsTests
{
    [Fact]
    public void ServiceEndpoints_WinOverTheDefaultConnectionString()
    {
        var options = new StorageOptions
        {
            TableServiceUri = new Uri("https://prodaccount.table.core.windows.net"),
            BlobServiceUri = new Uri("https://prodaccount.blob.core.windows.net"),
        };

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.Equal("prodaccount", StorageClients.CreateTableService(options).AccountName);
        Assert.Equal("prodaccount", StorageClients.CreateBlobService(options).AccountName);
    }

    [Fact]
    public void WithoutEndpoints_TheConnectionStringIsUsed()
    {
        var options = new StorageOptions();

        Assert.Equal("devstoreaccount1", StorageClients.CreateTableService(options).AccountName);
        Assert.Equal("devstoreaccount1", StorageClients.CreateBlobService(options).AccountName);
    }

    [Fact]
    public void NeitherEndpointNorConnectionString_IsAClearError()
    {
        var options = new StorageOptions { ConnectionString = "" };

        Assert.Contains("Storage:TableServiceUri", Assert.Throws<InvalidOperationException>(() => StorageClients.CreateTableService(options)).Message, StringComparison.Ordinal);
    }
}
