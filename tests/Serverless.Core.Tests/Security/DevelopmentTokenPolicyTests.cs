using Serverless.Core.Security;

namespace Serverless.Core.Tests.Security;

public sealed class DevelopmentTokenPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.2:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://192.168.1.4:5080", false)]
    [InlineData("http://example.com:5080", false)]
    [InlineData("not a url", false)]
    public void IsLoopback_ListeningUrl(string address, bool loopback)
    {
        Assert.Equal(loopback, DevelopmentTokenPolicy.IsLoopback(address));
    }

    [Fact]
    public void IsAllowed_OnlyWhenEnabledInDevelopmentOnLoopbackOnly()
    {
        string[] loopback = ["http://127.0.0.1:5080"];

        Assert.True(DevelopmentTokenPolicy.IsAllowed(true, "Development", loopback, out _));
        Assert.False(DevelopmentTokenPolicy.IsAllowed(false, "Development", loopback, out _));
        Assert.False(DevelopmentTokenPolicy.IsAllowed(true, "Production", loopback, out string production));
        Assert.False(DevelopmentTokenPolicy.IsAllowed(true, "Development", ["http://127.0.0.1:5080", "http://0.0.0.0:5081"], out string exposed));
        Assert.False(DevelopmentTokenPolicy.IsAllowed(true, "Development", [], out _));
        Assert.Contains("Production", production, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", exposed, StringComparison.Ordinal);
    }
}
