using System.Globalization;
using Serverless.Core.Events;
using Serverless.EventStream;

namespace Serverless.Core.Tests.Events;

/// <summary>The wire format of <c>serverless.operator.control</c>, as docs/EVENTS.md shows it.</summary>
public sealed class OperatorControlEventTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-30T05:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public void OperatorControl_Cancel_IsAboutTheJob_DataNamesControlActionAndOperator()
    {
        JobEventEnvelope envelope = JobEvent.OperatorControl("j4c1f09a7d3e5b2c6180f4a9e7d2b3c1", At, new JobEventData
        {
            Control = "cancel",
            Action = "generate_report",
            OperatorId = "alice",
        }).ToEnvelope("/serverless/jobs");

        Assert.Equal(JobEventTypes.OperatorControl, envelope.Type);
        Assert.Equal("j4c1f09a7d3e5b2c6180f4a9e7d2b3c1", envelope.Subject);
        Assert.Null(envelope.Seq);
        Assert.Equal("""{"action":"generate_report","operatorId":"alice","control":"cancel"}""", envelope.Data.ToString());
    }

    [Fact]
    public void OperatorControl_PushCircuit_IsAboutOperators_DataCarriesStateAndUntil()
    {
        JobEventEnvelope envelope = JobEvent.OperatorControl(JobEventTypes.OperatorsSubject, At, new JobEventData
        {
            Control = "push-circuit",
            CircuitState = "open",
            Until = At.AddMinutes(30),
            OperatorId = "alice",
        }).ToEnvelope("/serverless/jobs");

        Assert.Equal("operators", envelope.Subject);
        Assert.Equal(
            """{"operatorId":"alice","control":"push-circuit","circuitState":"open","until":"2026-11-30T05:30:00+00:00"}""",
            envelope.Data.ToString());
    }

    [Fact]
    public void OperatorControl_SameControlAtAnotherTime_IsAnotherEvent()
    {
        var data = new JobEventData { Control = "pause", Action = "echo", OperatorId = "alice" };

        JobEvent first = JobEvent.OperatorControl(JobEventTypes.OperatorsSubject, At, data);
        JobEvent again = JobEvent.OperatorControl(JobEventTypes.OperatorsSubject, At.AddSeconds(1), data);

        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(first.Id, JobEvent.OperatorControl(JobEventTypes.OperatorsSubject, At, data).Id);
    }
}
