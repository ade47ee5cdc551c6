using Serverless.Core;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Handlers;

/// <summary>The extension point: one class plus <c>AddJobHandler&lt;T&gt;()</c> gives a new action, run durably.</summary>
[Collection(StackCollection.Name)]
public sealed class CustomHandlerTests(LocalStackFixture stack)
{
    [Fact]
    public async Task AddJobHandler_NewAction_RunsAsAsyncJobOnTheLocalHost()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(services: s => s.AddJobHandler<WordCountHandler>());
        await using HubClient client = await host.ConnectAsync("custom-user");

        JobMessage accepted = await client.SubmitAsync("wc-1", "word_count", new { text = "to be or not to be" });
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(30));
        JobMessage invalid = await client.SubmitAsync("wc-2", "word_count", new { text = "" });

        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(["split", "count"], messages.Where(m => m.Metadata is not null).Select(m => m.Stage!));
        Assert.Equal(6, messages[^1].Result!.Value.GetProperty("words").GetInt32());
        Assert.Equal(2, messages[^1].Result!.Value.GetProperty("counts").GetProperty("be").GetInt32());
        Assert.Equal(ErrorCodes.ValidationError, invalid.Error!.Code);
    }
}
