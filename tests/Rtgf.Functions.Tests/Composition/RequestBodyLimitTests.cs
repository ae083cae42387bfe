using Microsoft.Extensions.Configuration;

namespace Rtgf.Functions.Tests.Composition;

/// <summary>The worker's Kestrel takes the host's request body limit, not ASP.NET Core's 30,000,000-byte default.</summary>
public sealed class RequestBodyLimitTests
{
    [Fact]
    public void Without_the_setting_the_limit_is_the_hosts_100_MB_default()
    {
        Assert.Equal(104_857_600, RtgfApp.MaxRequestBodySize(Configuration(null)));
    }

    [Theory]
    [InlineData("209715200", 209_715_200)]
    [InlineData("1024", 1024)]
    [InlineData("not a number", 104_857_600)]
    [InlineData("0", 104_857_600)]
    public void The_hosts_setting_is_read_as_the_host_reads_it(string value, long expected)
    {
        Assert.Equal(expected, RtgfApp.MaxRequestBodySize(Configuration(value)));
    }

    private static IConfiguration Configuration(string? limit) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [RtgfApp.RequestBodySizeLimitSetting] = limit })
            .Build();
}
