using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>One Azure-path stack (Azurite, SignalR Service emulator, the app in the Functions host) shared by the collection.</summary>
public sealed class AzurePathFixture : IAsyncLifetime
{
    private AzurePathStack? _stack;

    public AzurePathStack Stack => _stack ?? throw new InvalidOperationException("The Azure-path stack has not started.");

    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync();

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzurePathCollection : ICollectionFixture<AzurePathFixture>
{
    public const string Name = "Azure path";
}
