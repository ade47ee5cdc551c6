using System.Text.Json;
using Serverless.Core.Events;
using Serverless.Core.Storage;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Events;

/// <summary>The <c>serverless.job.retried</c> event: what it carries, and that docs/EVENTS.md documents it with every other type.</summary>
public sealed class RetriedEventTests
{
    [Fact]
    public void Retried_Envelope_CarriesOperatorIdSeqAndTheStageItRunsAgainFrom()
    {
        var job = new JobRecord { JobId = "jabc", RequestId = "r1", OwnerId = "alice", Action = "simulate", Status = JobStatus.Failed, LastSeq = 6 };
        var started = new JobMessage
        {
            Type = MessageTypes.Progress, JobId = "jabc", Seq = 7, Percent = 50, Stage = "step-2", Message = "Retry 1 from stage 'step-2' started by an operator",
            At = DateTimeOffset.Parse("2025-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
        };

        JobEventEnvelope envelope = JobEvent.Retried(job, started, stageIndex: 1, stageCount: 3, operatorId: "ops").ToEnvelope("/serverless/jobs");

        Assert.Equal(JobEventTypes.Retried, envelope.Type);
        Assert.Equal("jabc.7", envelope.Id);
        Assert.Equal(7, envelope.Seq);
        using JsonDocument data = JsonDocument.Parse(envelope.Data.ToMemory());
        Assert.Equal("ops", data.RootElement.GetProperty("operatorId").GetString());
        Assert.Equal("step-2", data.RootElement.GetProperty("stage").GetString());
        Assert.Equal(1, data.RootElement.GetProperty("stageIndex").GetInt32());
        Assert.Equal(JobStatus.Queued, data.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void EventsDoc_ListsEveryType_AndTheRetriedEventsOperatorId()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "EVENTS.md"));

        // The table abbreviates a family as `serverless.job.completed` / `.failed`.
        string[] missing = [.. JobEventTypes.All.Where(type => !doc.Contains($"`{type}`", StringComparison.Ordinal)
            && !doc.Contains($"`{type[type.LastIndexOf('.')..]}`", StringComparison.Ordinal))];
        Assert.True(missing.Length == 0, "docs/EVENTS.md lacks: " + string.Join(", ", missing));
        Assert.Contains("`operatorId`", doc, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "docs", "EVENTS.md")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("No docs/EVENTS.md above the test output.");
    }
}
