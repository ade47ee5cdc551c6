using Serverless.Cli.Commands;
using Serverless.Protocol;

namespace Serverless.Client.Tests;

public sealed class StageProgressTests
{
    private static JobMessage Message(string stage, double percent, int? coalesced) =>
        new() { Type = MessageTypes.Progress, JobId = "j", Seq = 1, Stage = stage, Percent = percent, Coalesced = coalesced };

    [Fact]
    public void Update_SecondStageStarts_FinishesTheFirstAndScalesTheRest()
    {
        var stages = new StageProgress();

        Assert.Equal([("collect", 10.0)], stages.Update(Message("collect", 10, 3)));
        Assert.Equal([("collect", 100.0), ("analyze", 0.0)], stages.Update(Message("analyze", 25, null)));
        Assert.Equal([("analyze", 50.0)], stages.Update(Message("analyze", 37.5, 2)));
        Assert.Equal([("collect", 100.0), ("analyze", 100.0), ("render", 20.0)], stages.Update(Message("render", 55, 1)));
    }
}
