using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// An Azure-path stack of its own for the hostile-input tests, so "nothing was written" can be checked on whole tables:
/// only hostile requests reach it before those checks.
/// </summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    private AzurePathStack? _stack;

    public AzurePathStack Stack => _stack ?? throw new InvalidOperationException("The Azure-path stack has not started.");

    // Reads are limited per user too (cancel, resume, GET): the corpus makes hundreds of them in a burst.
    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync(new Dictionary<string, string?>
    {
        ["Limits__ReadsPerSecond"] = "100000",
        ["Limits__ReadBurst"] = "100000",
    });

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
