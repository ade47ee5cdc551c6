using System.Text;

namespace Serverless.Protocol.Tests;

/// <summary>Every malformed request is a typed error before anything is stored or run.</summary>
public sealed class RequestValidationTests
{
    private const int PayloadLimit = 1024;

    [Fact]
    public void WellFormedRequest_Parses_AndPassesValidation()
    {
        JobRequest request = Parse("""{"requestId":"r-1.a_b","action":"echo","payload":{"x":1},"priority":"high"}""");

        RequestValidator.Validate(request, PayloadLimit);

        Assert.Equal("r-1.a_b", request.RequestId);
        Assert.Equal("echo", request.Action);
        Assert.Equal(1, request.Payload.GetProperty("x").GetInt32());
        Assert.Equal("high", request.Priority);
    }

    [Theory]
    [InlineData("""not json""")]
    [InlineData("""{"requestId":"r1",""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""  "a string"  """)]
    [InlineData("""null""")]
    [InlineData("""{"requestId":42,"action":"echo"}""")]
    [InlineData("""{"requestId":"r1","action":{"nested":true}}""")]
    [InlineData("""{"requestId":"r1","action":"echo","priority":7}""")]
    public void MalformedJson_IsAValidationError(string json)
    {
        JobException error = Assert.Throws<JobException>(() => ParseAndValidate(json));

        Assert.Equal(ErrorCodes.ValidationError, error.Error.Code);
        Assert.False(error.Error.Retryable);
    }

    [Fact]
    public void NestingDeeperThanTheLimit_IsAValidationError()
    {
        string deep = new string('[', ProtocolLimits.MaxJsonDepth + 1) + new string(']', ProtocolLimits.MaxJsonDepth + 1);

        JobException error = Assert.Throws<JobException>(() => ParseAndValidate($$"""{"requestId":"r1","action":"echo","payload":{{deep}}}"""));

        Assert.Equal(ErrorCodes.ValidationError, error.Error.Code);
    }

    [Theory]
    [InlineData("""{"action":"echo"}""", "requestId is required")]
    [InlineData("""{"requestId":"","action":"echo"}""", "requestId is required")]
    [InlineData("""{"requestId":"a/b","action":"echo"}""", "requestId must be")]
    [InlineData("""{"requestId":"a\\b","action":"echo"}""", "requestId must be")]
    [InlineData("""{"requestId":"a#b","action":"echo"}""", "requestId must be")]
    [InlineData("""{"requestId":"a?b","action":"echo"}""", "requestId must be")]
    [InlineData("""{"requestId":"a\u0001b","action":"echo"}""", "requestId must be")]
    [InlineData("""{"requestId":"r1"}""", "action is required")]
    [InlineData("""{"requestId":"r1","action":"../etc"}""", "action must be")]
    [InlineData("""{"requestId":"r1","action":"echo","priority":"urgent"}""", "priority must be")]
    public void FieldRules_NameTheFieldAtFault(string json, string expected)
    {
        JobException error = Assert.Throws<JobException>(() => ParseAndValidate(json));

        Assert.Equal(ErrorCodes.ValidationError, error.Error.Code);
        Assert.Contains(expected, error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongIds_AreRefused()
    {
        string requestId = new('r', ProtocolLimits.MaxRequestIdLength + 1);
        string action = new('a', ProtocolLimits.MaxActionLength + 1);

        Assert.Throws<JobException>(() => ParseAndValidate($$"""{"requestId":"{{requestId}}","action":"echo"}"""));
        Assert.Throws<JobException>(() => ParseAndValidate($$"""{"requestId":"r1","action":"{{action}}"}"""));
        ParseAndValidate($$"""{"requestId":"{{requestId[1..]}}","action":"{{action[1..]}}"}""");
    }

    [Fact]
    public void PayloadOverTheLimit_IsPayloadTooLarge_MeasuredInUtf8Bytes()
    {
        // 'é' is two bytes in UTF-8: 600 of them are 1,200 bytes (plus quotes), over the 1,024 limit.
        JobException error = Assert.Throws<JobException>(() =>
            ParseAndValidate($$"""{"requestId":"r1","action":"echo","payload":"{{new string('é', 600)}}"}"""));

        Assert.Equal(ErrorCodes.PayloadTooLarge, error.Error.Code);
        Assert.Contains("limit is 1024", error.Error.Message, StringComparison.Ordinal);
        ParseAndValidate($$"""{"requestId":"r1","action":"echo","payload":"{{new string('é', 500)}}"}""");
    }

    [Fact]
    public void ErrorMessages_DoNotEchoTheInput()
    {
        const string secret = "SECRET-INPUT-TEXT";

        JobException error = Assert.Throws<JobException>(() => ParseAndValidate($$"""{"requestId":"r1","action":"echo","payload":{"{{secret}}": }"""));

        Assert.DoesNotContain(secret, error.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("a'b", false)]
    public void JobIds_AreCheckedBeforeAnyLookUp(string jobId, bool valid)
    {
        if (valid)
        {
            RequestValidator.ValidateJobId(jobId);
        }
        else
        {
            Assert.Equal(ErrorCodes.ValidationError, Assert.Throws<JobException>(() => RequestValidator.ValidateJobId(jobId)).Error.Code);
        }
    }

    private static JobRequest Parse(string json) => JobRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    private static void ParseAndValidate(string json) => RequestValidator.Validate(Parse(json), PayloadLimit);
}
