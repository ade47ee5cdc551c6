namespace Serverless.Core.Jobs;

/// <summary>Where a finished job's duration goes, so routing can learn from it without jobs depending on routing.</summary>
internal interface IActionDurationRecorder
{
    /// <summary>Records that a run of <paramref name="action"/> took <paramref name="duration"/>, submit to end.</summary>
    void Record(string action, TimeSpan duration);
}
