using Serverless.Core.Storage;
using Serverless.Testing;

namespace Serverless.Core.Tests.Storage;

/// <summary><see cref="JobStoreContractTests"/> on the in-memory store of the function and router tests.</summary>
public sealed class InMemoryJobStoreContractTests : JobStoreContractTests
{
    private protected override Task<IJobStore> StartStoreAsync() => Task.FromResult<IJobStore>(new InMemoryJobStore());

    protected override Task StopStoreAsync() => Task.CompletedTask;
}
