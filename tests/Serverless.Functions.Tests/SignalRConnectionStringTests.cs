using Serverless.Core.SignalRService;

namespace Serverless.Functions.Tests;

public class SignalRConnectionStringTests
{
    private const string Key = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";

    [Fact]
    public void Parse_AccessKey_ReadsEndpointAndKey()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://demo.service.signalr.net;AccessKey={Key};Version=1.0;");

        Assert.Equal(new Uri("https://demo.service.signalr.net/"), parsed.Endpoint);
        Assert.Equal(parsed.Endpoint, parsed.ClientEndpoint);
        Assert.Equal(parsed.Endpoint, parsed.ServerEndpoint);
        Assert.Equal("https://demo.service.signalr.net/", parsed.AudienceBase);
        Assert.Equal(Key, parsed.AccessKey);
    }

    [Fact]
    public void Parse_Port_ReplacesEndpointPortButNotTheAudiences()
    {
        var parsed = SignalRConnectionString.Parse($"endpoint=http://localhost/;accesskey={Key};port=8888");

        Assert.Equal(new Uri("http://localhost:8888/"), parsed.Endpoint);
        Assert.Equal(new Uri("http://localhost:8888/"), parsed.ClientEndpoint);
        Assert.Equal(new Uri("http://localhost:8888/"), parsed.ServerEndpoint);
        // The SDK's audience base is scheme://host/ of the endpoint: the port is left out.
        Assert.Equal("http://localhost/", parsed.AudienceBase);
    }

    [Fact]
    public void Parse_PortInEndpointUrl_LeftOutOfAudiences()
    {
        var parsed = SignalRConnectionString.Parse($"Endpoint=https://demo.service.signalr.net:8443;AccessKey={Key}");

        Assert.Equal(new Uri("https://demo.service.signalr.net:8443/"), parsed.ServerEndpoint);
        Assert.Equal("https://demo.service.signalr.net/", parsed.AudienceBase);
    }

    [Fact]
    public void Parse_ClientAndServerEndpoints_KeptApartFromTheServiceEndpoint()
    {
        var parsed = SignalRConnectionString.Parse(
            $"Endpoint=https://demo.service.signalr.net;ClientEndpoint=https://gateway.contoso.com/realtime;ServerEndpoint=http://10.0.0.4:8080;AccessKey={Key};Version=1.0;Port=443");

        Assert.Equal(new Uri("https://gateway.contoso.com/realtime/"), parsed.ClientEndpoint);
        Assert.Equal(new Uri("http://10.0.0.4:8080/"), parsed.ServerEndpoint);
        Assert.Equal(new Uri("https://demo.service.signalr.net/"), parsed.Endpoint);
        Assert.Equal("https://demo.service.signalr.net/", parsed.AudienceBase);
    }

    [Theory]
    [InlineData("AuthType=azure.msi")]
    [InlineData("AuthType=azure.msi;ClientId=abc")]
    [InlineData("AuthType=aad")]
    public void Parse_AuthTypeWithoutKey_RefusedBecauseUpstreamSignaturesNeedTheKey(string auth)
    {
        Assert.False(SignalRConnectionString.TryParse($"Endpoint=https://demo.service.signalr.net;{auth};Version=1.0;", out _, out string? error));
        Assert.Contains("AccessKey", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Endpoint")]
    [InlineData("AccessKey=x", "Endpoint")]
    [InlineData("Endpoint=ftp://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz", "Endpoint")]
    [InlineData("Endpoint=https://x", "AccessKey")]
    [InlineData("Endpoint=https://x;AccessKey=short", "AccessKey")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;Version=2.0", "Version")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;Port=0", "Port")]
    [InlineData("Endpoint=https://x;garbage", "Key=Value")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;ClientEndpoint=gateway", "ClientEndpoint")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;ServerEndpoint=ws://x", "ServerEndpoint")]
    [InlineData("Endpoint=https://x;AccessKey=0123456789abcdefghijklmnopqrstuvwxyz;ClientEndpoint=https://g/?a=b", "ClientEndpoint")]
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
