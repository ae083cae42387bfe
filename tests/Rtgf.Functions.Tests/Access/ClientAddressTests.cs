using System.Net;
using Microsoft.AspNetCore.Http;
using Rtgf.Functions.Access;

namespace Rtgf.Functions.Tests.Access;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:DB8:0:0::1", "2001:db8::/64")]
    [InlineData("2001:db8:0:0:ffff:1234:5678:9abc", "2001:db8::/64")] // one /64: one client
    [InlineData("2001:db8:0:1::1", "2001:db8:0:1::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    public void Of_IsTheConnectionAddress_InOneSpelling(string remote, string expected)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Request.Headers["X-Forwarded-For"] = "198.51.100.1"; // what the client put there: never read

        Assert.Equal(expected, ClientAddress.Of(http.Request));
    }

    [Fact]
    public void Of_WithoutAConnectionAddress_IsUnknown() =>
        Assert.Equal(ClientAddress.Unknown, ClientAddress.Of(new DefaultHttpContext().Request));
}
