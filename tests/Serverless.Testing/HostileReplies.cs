using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>The answers to the hostile corpus: each must be the one exact error expected; counted by code for the summary.</summary>
public sealed class HostileReplies
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

    public int Sent { get; private set; }

    public IReadOnlyCollection<string> Codes => _codes.Keys;

    // Each case has one right answer: the exact code (never INTERNAL, TIMEOUT or SERVICE_UNAVAILABLE).
    public void Expect(JobMessage reply, string expected, string what)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Assert.True(reply.Type == MessageTypes.Error, $"{what} was answered '{reply.Type}'");
        Assert.True(reply.Error!.Code == expected, $"{what} was answered {reply.Error.Code}, not {expected}: {reply.Error.Message}");
        _codes[reply.Error.Code] = _codes.GetValueOrDefault(reply.Error.Code) + 1;
        Sent++;
    }

    public string Summary() =>
        $"{Sent} hostile messages: " + string.Join(", ", _codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
