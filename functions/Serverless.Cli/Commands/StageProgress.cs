using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary>
/// Turns the job's overall percent into a percent per stage. Stages weigh the same, so the overall percent at
/// which stage k starts (k·100/n) gives the stage count n once the second stage has started; until then the first
/// stage shows the overall percent.
/// </summary>
internal sealed class StageProgress
{
    private readonly List<string> _stages = [];
    private int? _stageCount;

    /// <summary>The stages whose bar changes with <paramref name="message"/>: earlier stages are done, the current one moves.</summary>
    public IReadOnlyList<(string Stage, double Percent)> Update(JobMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Stage is not { } stage)
        {
            return [];
        }

        double overall = message.Percent ?? 0;
        var changes = new List<(string, double)>();
        int index = _stages.IndexOf(stage);
        if (index < 0)
        {
            _stages.Add(stage);
            index = _stages.Count - 1;

            // A stage-start message carries no coalesced count and sits exactly at the stage's lower bound.
            if (index > 0 && overall > 0 && message.Coalesced is null)
            {
                _stageCount ??= (int)Math.Round(index * 100 / overall);
            }

            changes.AddRange(_stages.Take(index).Select(done => (done, 100.0)));
        }

        double percent = _stageCount is { } count and > 0
            ? Math.Clamp((overall - (index * 100.0 / count)) * count, 0, 100)
            : overall;
        changes.Add((stage, percent));
        return changes;
    }

    public IReadOnlyList<string> Stages => _stages;
}
