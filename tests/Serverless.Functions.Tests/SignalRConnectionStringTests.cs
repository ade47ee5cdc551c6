using Serverless.Core.SignalRService;

namespace Serverless.Functions.Tests;

public class SignalRConnectionStringTests
{
    private const string Key = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";

    [Fact]
    public void Parse_AccessKey_ReadsEndpointAndKey()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://demo.service.signalr.net;AccessKey={Key};Version=1.0;");

        Assert.Equal("https://demo.service.signalr.net", parsed.BaseUrl);
        Assert.Equal(Key, parsed.AccessKey);
        Assert.False(parsed.UsesManagedIdentity);
    }

    [Fact]
    public void Parse_Port_ReplacesEndpointPort()
    {
        var parsed = SignalRConnectionString.Parse($"endpoint=http://localhost/;accesskey={Key};port=8888");

        Assert.Equal("http://localhost:8888", parsed.BaseUrl);
    }

    [Fact]
    public void Parse_ManagedIdentity_HasNoKeyAndKeepsClientId()
    {
        var system = SignalRConnectionString.Parse("Endpoint=https://demo.service.signalr.net;AuthType=azure.msi;Version=1.0;");
        var user = SignalRConnectionString.Parse("Endpoint=https://demo.service.signalr.net;AuthType=azure.msi;ClientId=abc;Version=1.0;");

        Assert.True(system.UsesManagedIdentity);
        Assert.Null(system.ClientId);
        Assert.True(user.UsesManagedIdentity);
        Assert.Equal("abc", user.ClientId);
    }

    [Theory]
    [InlineData("", "Endpoint")]
    [InlineData("AccessKey=x", "Endpoint")]
    [InlineData("Endpoint=ftp://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz", "Endpoint")]
    [InlineData("Endpoint=https://x", "AccessKey")]
    [InlineData("Endpoint=https://x;AccessKey=short", "AccessKey")]
    [InlineData("Endpoint=https://x;AuthType=aad", "AuthType")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;Version=2.0", "Version")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;Port=0", "Port")]
    [InlineData("Endpoint=https://x;garbage", "Key=Value")]
    public void TryParse_Invalid_SaysWhy(string connectionString, string reason)
    {
        Assert.False(SignalRConnectionString.TryParse(connectionString, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://demo.service.signalr.net;AccessKey={Key}");

        Assert.DoesNotContain(Key, parsed.ToString(), StringComparison.Ordinal);
    }
}
