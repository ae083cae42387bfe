using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Tga;

public sealed class TgaSoapClientTests : IDisposable
{
    private const string Password = "tga-Secret-77";
    private static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace T = "http://training.gov.au/services/";
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly OutboundHttpClientFactory _factory;

    public TgaSoapClientTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs));
        _factory = new OutboundHttpClientFactory(_time, _loggerFactory);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task SearchComponentsByModifiedDate_ThreePages_PagesUntilCountAndSendsTheDocumentedRequest()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => Xml(c, 200, TgaXml.ComponentSearchPage("SearchByModifiedDate", 5, n, 2, n switch
        {
            1 => ["A1", "A2"],
            2 => ["A3", "A4"],
            _ => ["A5"],
        })));
        var (client, _) = Create(server);

        var items = await client.SearchComponentsByModifiedDateAsync(
            new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(10)), new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero), new TrainingComponentTypeFilter(Qualification: true, Unit: true));

        Assert.Equal(["A1", "A2", "A3", "A4", "A5"], items.Select(i => i.Code));
        Assert.Equal(3, server.Count);
        var first = server.Received[0];
        Assert.Equal("/Deewr.Tga.Webservices/TrainingComponentService.svc/Training", first.PathAndQuery);
        Assert.Equal("\"http://training.gov.au/services/ITrainingComponentService/SearchByModifiedDate\"", first.Headers["SOAPAction"]);
        Assert.StartsWith("text/xml", first.Headers["Content-Type"], StringComparison.Ordinal);
        var envelope = XDocument.Parse(first.BodyText);
        var token = envelope.Descendants(Wsse + "UsernameToken").Single();
        Assert.Equal("reader", token.Element(Wsse + "Username")!.Value);
        Assert.Equal(Password, token.Element(Wsse + "Password")!.Value);
        Assert.EndsWith("#PasswordText", token.Element(Wsse + "Password")!.Attribute("Type")!.Value, StringComparison.Ordinal);
        var request = envelope.Descendants(T + "SearchByModifiedDate").Single().Element(T + "request")!;
        Assert.Equal(["PageNumber", "PageSize", "EndDate", "StartDate", "TrainingComponentTypes"], request.Elements().Select(e => e.Name.LocalName));
        var start = request.Element(T + "StartDate")!;
        Assert.Equal(["2025-03-01T00:00:00Z", "600"], start.Elements().Select(e => e.Value));
        Assert.Equal(["1", "2", "3"], server.Received.Select(r => XDocument.Parse(r.BodyText).Descendants(T + "PageNumber").Single().Value));
    }

    [Fact]
    public async Task Search_Always_SendsTheWsdlSpellingOfIncludeSuperseeded()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => Xml(c, 200, TgaXml.ComponentSearchPage("Search", 1, 1, 100, "BSB40120")));
        var (client, _) = Create(server);

        var items = await client.SearchComponentsAsync("business", TrainingComponentTypeFilter.All);

        Assert.Single(items);
        var request = XDocument.Parse(server.Received[0].BodyText).Descendants(T + "request").Single();
        Assert.Equal("true", request.Element(T + "IncludeSuperseeded")!.Value);
    }

    [Fact]
    public async Task GetComponentDetails_Fault_ThrowsTypedFaultWithoutRetrying()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Xml(c, 500, Fixture.Text("tga-fault.xml")));
        var (client, _) = Create(server);

        var fault = await Assert.ThrowsAsync<TgaSoapFaultException>(() => client.GetComponentDetailsAsync("NOPE1"));

        Assert.Equal("s:Client", fault.FaultCode);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task GetComponentDetails_TransientErrorThenAnswer_RetriesTheSoapRead()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => n == 1 ? Html(c, 503) : Xml(c, 200, Fixture.Text("tga-component-details.xml")));
        var (client, _) = Create(server);

        var record = await Wait.DriveAsync(client.GetComponentDetailsAsync("BSB40120"), _time, TimeSpan.FromMinutes(1));

        Assert.Equal("BSB40120", record.Code);
        Assert.Equal(2, server.Count);
        Assert.Contains("<t:Code>BSB40120</t:Code>", server.Received[1].BodyText, StringComparison.Ordinal);
        Assert.Contains("<t:ShowClassifications>true</t:ShowClassifications>", server.Received[1].BodyText, StringComparison.Ordinal); // the ANZSCO link
    }

    [Fact]
    public async Task GetOrganisationDetails_Always_CallsTheOrganisationServiceAndKeepsThePasswordOutOfLogs()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Xml(c, 200, Fixture.Text("tga-organisation-details.xml")));
        var (client, _) = Create(server);

        var details = await client.GetOrganisationDetailsAsync("90001");

        Assert.Equal("rto:90001", details.Rto.Key);
        Assert.Equal("\"http://training.gov.au/services/IOrganisationService/GetDetails\"", server.Received[0].Headers["SOAPAction"]);
        // The versioned service over its SOAP 1.1 binding: only it sends Rto3 with RegistrationStatus.
        Assert.Equal("/Deewr.Tga.Webservices/OrganisationServiceV13.svc/Organisation", server.Received[0].PathAndQuery);
        Assert.StartsWith("text/xml", server.Received[0].Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains("<t:ShowContacts>true</t:ShowContacts>", server.Received[0].BodyText, StringComparison.Ordinal);
        Assert.Contains("<t:ShowLocations>true</t:ShowLocations>", server.Received[0].BodyText, StringComparison.Ordinal);
        Assert.Equal("Current", details.Rto.Status);
        Assert.Contains(Password, server.Received[0].BodyText, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Entries);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetServerTime_Always_ReadsTheInstant()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Xml(c, 200, TgaXml.Envelope("GetServerTime", string.Empty).Replace("></GetServerTimeResult>", ">2025-03-02T04:05:06.789Z</GetServerTimeResult>", StringComparison.Ordinal)));
        var (client, _) = Create(server);

        var now = await client.GetServerTimeAsync(TgaService.TrainingComponent);

        Assert.Equal(new DateTimeOffset(2025, 3, 2, 4, 5, 6, 789, TimeSpan.Zero), now);
        Assert.Contains("<t:GetServerTime />", server.Received[0].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchDeletedComponents_ShortPage_StopsPaging()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Xml(c, 200, Fixture.Text("tga-deleted.xml")));
        var (client, _) = Create(server);

        var deleted = await client.SearchDeletedComponentsAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1));

        Assert.Equal("BSB99999", Assert.Single(deleted).Code);
        Assert.Equal(1, server.Count);
    }

    private (TgaSoapClient Client, HttpClient Http) Create(LoopbackServer server)
    {
        var options = new TgaSoapOptions { PageSize = 2 };
        options.Outbound.Name = "tga-test";
        options.Outbound.BaseAddress = new Uri(server.BaseAddress, "Deewr.Tga.Webservices/");
        options.Outbound.Credentials = new UpstreamCredentials { UserName = "reader", Password = Password };
        options.Outbound.RateLimitPermits = null;
        options.Outbound.AttemptTimeout = null;
        options.Outbound.TotalTimeout = null;
        var http = _factory.CreateClient(options.Outbound);
        return (new TgaSoapClient(http, options), http);
    }

    private static async Task Xml(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    private static async Task Html(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html>busy</html>");
    }
}
