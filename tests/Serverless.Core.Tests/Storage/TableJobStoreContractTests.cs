using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Testing;

namespace Serverless.Core.Tests.Storage;

/// <summary><see cref="JobStoreContractTests"/> on the Table store, on Azurite, with fresh tables per test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableJobStoreContractTests(AzuriteFixture azurite) : JobStoreContractTests
{
    private StoreStack? _stack;

    private protected override async Task<IJobStore> StartStoreAsync()
    {
        _stack = await StoreStack.StartAsync(azurite.ConnectionString);
        return _stack.Store;
    }

    protected override async Task StopStoreAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
