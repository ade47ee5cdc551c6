using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Infrastructure;

/// <summary>The tests that share one local stack: one Azurite and one local host for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "Local stack";
}
