using Serverless.Testing;

namespace Serverless.Core.Tests.Events;

/// <summary>The Core tests that share one in-memory Azurite (blobs, queues, tables).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (events)";
}
