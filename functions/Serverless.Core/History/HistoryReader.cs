namespace Serverless.Core.History;

/// <summary>
/// Answers history queries: the stored minutes of every instance plus this instance's minutes not written yet (so
/// the current minute shows at once), summed per <c>step</c> minutes and per action — or over all actions
/// (<see cref="AllActions"/>) when none is asked for.
/// </summary>
internal sealed class HistoryReader
{
    /// <summary>The action of points that sum every action.</summary>
    public const string AllActions = "*";

    private readonly HistoryStore _store;
    private readonly HistoryRecorder _recorder;

    internal HistoryReader(HistoryStore store, HistoryRecorder recorder)
    {
        _store = store;
        _recorder = recorder;
    }

    public async Task<IReadOnlyList<HistoryPoint>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? action, int step, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        IReadOnlyList<MinuteRollup> stored = await _store.ReadAsync(from, to, action, cancellationToken).ConfigureAwait(false);
        IEnumerable<MinuteRollup> rows = stored.Concat(_recorder.Unwritten().Where(m => m.Minute >= from && m.Minute < to && (action is null || m.Action == action)));

        var points = new Dictionary<(DateTimeOffset, string), MinuteRollup>();
        long stepTicks = TimeSpan.TicksPerMinute * step;
        foreach (MinuteRollup row in rows)
        {
            var bin = new DateTimeOffset(row.Minute.UtcTicks - (row.Minute.UtcTicks % stepTicks), TimeSpan.Zero);
            string key = action ?? AllActions;
            if (!points.TryGetValue((bin, key), out MinuteRollup? sum))
            {
                sum = new MinuteRollup(bin, key);
                points[(bin, key)] = sum;
            }

            sum.Merge(row);
        }

        return [.. points.Values.OrderBy(p => p.Minute).Select(p => p.ToPoint())];
    }
}
