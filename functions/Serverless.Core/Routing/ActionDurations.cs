using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Core.Handlers;
using Serverless.Core.Jobs;
using Serverless.Protocol;

namespace Serverless.Core.Routing;

/// <summary>
/// Each action's observed durations (sync runs and whole async jobs) over a rolling window, and the routing
/// decision they lead to. Reads are in memory; <see cref="RouteStatisticsSync"/> merges the windows of all
/// instances through Table storage in the background.
/// </summary>
internal sealed class ActionDurations(IOptions<RouterOptions> options) : IActionDurationRecorder
{
    private readonly ConcurrentDictionary<string, ActionState> _actions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(TimeSpan Estimate, TimeSpan Threshold), RouteDecision> _declared = new();

    /// <summary>Sync or async for <paramref name="handler"/>: its declared estimate, or its observed p95 with hysteresis.</summary>
    public RouteDecision Decide(IJobHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        RouterOptions settings = options.Value;
        TimeSpan threshold = settings.SyncThreshold;
        if (handler.EstimatedDuration > threshold || !_actions.TryGetValue(handler.Action, out ActionState? state))
        {
            return DeclaredDecision(handler.EstimatedDuration, threshold);
        }

        lock (state)
        {
            if (state.Window.Count < settings.MinimumSamples)
            {
                return DeclaredDecision(handler.EstimatedDuration, threshold);
            }

            TimeSpan p95 = TimeSpan.FromSeconds(state.P95());

            // Hysteresis: once async, an action returns to sync only well below the threshold, so it does not flap.
            state.RoutedAsync = state.RoutedAsync
                ? p95 >= threshold * settings.ReturnToSyncFactor
                : p95 > threshold;

            // The reason goes to the client with every sync result: it is formatted again only when the p95 it shows (to
            // the millisecond), the mode or the threshold changes, not on every request.
            string mode = state.RoutedAsync ? JobMode.Async : JobMode.Sync;
            long p95Ms = (long)Math.Round(p95.TotalMilliseconds, MidpointRounding.AwayFromZero);
            if (state.LastDecision is not { } last || last.Mode != mode || state.LastP95Ms != p95Ms || state.LastThreshold != threshold)
            {
                state.LastDecision = new RouteDecision(mode, RouteDecision.Observed, state.RoutedAsync
                    ? $"observed p95 {Seconds(p95)} exceeds the {Seconds(threshold)} threshold"
                    : $"observed p95 {Seconds(p95)} is within the {Seconds(threshold)} threshold");
                state.LastP95Ms = p95Ms;
                state.LastThreshold = threshold;
            }

            return state.LastDecision;
        }
    }

    /// <summary>The action's p95 over the window, or null below the minimum number of samples.</summary>
    public TimeSpan? ObservedP95(string action)
    {
        if (!_actions.TryGetValue(action, out ActionState? state))
        {
            return null;
        }

        lock (state)
        {
            return state.Window.Count < options.Value.MinimumSamples ? null : TimeSpan.FromSeconds(state.P95());
        }
    }

    /// <summary>Records how long one run of <paramref name="action"/> took.</summary>
    public void Record(string action, TimeSpan duration)
    {
        ActionState state = _actions.GetOrAdd(action, _ => new ActionState());
        int size = options.Value.DurationWindow;
        lock (state)
        {
            state.Append(duration.TotalSeconds, size);

            // Only the newest window's worth can survive the merge, so no more is kept for it.
            Append(state.Pending, duration.TotalSeconds, size);
        }
    }

    /// <summary>Samples recorded here since the last call, per action (for sharing).</summary>
    internal Dictionary<string, double[]> TakePending()
    {
        var pending = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach ((string action, ActionState state) in _actions)
        {
            lock (state)
            {
                if (state.Pending.Count > 0)
                {
                    pending[action] = [.. state.Pending];
                    state.Pending.Clear();
                }
            }
        }

        return pending;
    }

    /// <summary>Replaces the action's window with the one merged across instances.</summary>
    internal void Apply(string action, IReadOnlyList<double> merged)
    {
        ActionState state = _actions.GetOrAdd(action, _ => new ActionState());
        int size = options.Value.DurationWindow;
        lock (state)
        {
            state.Clear();
            foreach (double sample in merged)
            {
                state.Append(sample, size);
            }

            // Samples taken here since the merge was read are not in it yet.
            foreach (double sample in state.Pending)
            {
                state.Append(sample, size);
            }
        }
    }

    private static void Append(List<double> window, double sample, int size)
    {
        window.Add(sample);
        if (window.Count > size)
        {
            window.RemoveRange(0, window.Count - size);
        }
    }

    private RouteDecision DeclaredDecision(TimeSpan estimate, TimeSpan threshold) =>
        _declared.GetOrAdd((estimate, threshold), static key => key.Estimate > key.Threshold
            ? new RouteDecision(JobMode.Async, RouteDecision.Declared, $"declared estimate {Seconds(key.Estimate)} exceeds the {Seconds(key.Threshold)} threshold")
            : new RouteDecision(JobMode.Sync, RouteDecision.Declared, $"declared estimate {Seconds(key.Estimate)} is within the {Seconds(key.Threshold)} threshold"));

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// One action's window in arrival order and kept sorted beside it, so recording a run and reading the p95 on
    /// every sync request cost a binary search and a short copy, never a sort or an allocation. Callers hold its lock.
    /// </summary>
    private sealed class ActionState
    {
        private readonly List<double> _sorted = [];

        public List<double> Window { get; } = [];

        public List<double> Pending { get; } = [];

        public bool RoutedAsync { get; set; }

        public RouteDecision? LastDecision { get; set; }

        public long LastP95Ms { get; set; }

        public TimeSpan LastThreshold { get; set; }

        public void Append(double sample, int size)
        {
            Window.Add(sample);
            int at = _sorted.BinarySearch(sample);
            _sorted.Insert(at < 0 ? ~at : at, sample);
            while (Window.Count > size)
            {
                _sorted.RemoveAt(_sorted.BinarySearch(Window[0]));
                Window.RemoveAt(0);
            }
        }

        public void Clear()
        {
            Window.Clear();
            _sorted.Clear();
        }

        public double P95() => _sorted[Math.Clamp((int)Math.Ceiling(0.95 * _sorted.Count) - 1, 0, _sorted.Count - 1)];
    }
}
