using System.Net;
using System.Xml.Linq;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Tga;

public sealed class SoapEndpointTests
{
    private const string ServerTime = "http://training.gov.au/services/ITrainingComponentService/GetServerTime";
    private static readonly XNamespace WsseFault = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

    [Fact]
    public async Task Call_WithoutSecurityHeader_IsAnInvalidSecurityFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http) { Username = null };

        var (status, document) = await soap.CallAsync("ITrainingComponentService", "GetServerTime");

        Assert.Equal(500, status);
        var fault = soap.Payload(document);
        Assert.Equal(S11 + "Fault", fault.Name);
        var code = fault.Element("faultcode")!;
        Assert.Equal(WsseFault + "InvalidSecurity", code.GetNamespaceOfPrefix(code.Value.Split(':')[0])! + code.Value.Split(':')[1]);
        Assert.Equal("An error occurred when verifying security for the message.", fault.Element("faultstring")!.Value);
    }

    [Fact]
    public async Task Call_WithWrongPassword_IsAFault_OnSoap12Too()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationService.svc/Organisation12", soap12: true) { Password = "wrong" };

        var (status, document) = await soap.CallAsync("IOrganisationService", "GetServerTime");

        Assert.Equal(500, status);
        var fault = soap.Payload(document);
        Assert.Equal(S12 + "Fault", fault.Name);
        Assert.Equal("s:Sender", fault.Element(S12 + "Code")!.Element(S12 + "Value")!.Value);
        Assert.EndsWith(":InvalidSecurity", fault.Element(S12 + "Code")!.Element(S12 + "Subcode")!.Element(S12 + "Value")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ConfiguredCredentials_AreTheOnlyOnesAccepted()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeProvider = new Rtgf.Testing.ManualTimeProvider(Simulators.Start),
            TgaUsername = "alice",
            TgaPassword = "s3cret",
        });
        using var http = Simulators.Client(server);

        var (good, _) = await new TgaSoapClient(http) { Username = "alice", Password = "s3cret" }.CallAsync("ITrainingComponentService", "GetServerTime");
        var (bad, _) = await new TgaSoapClient(http).CallAsync("ITrainingComponentService", "GetServerTime");

        Assert.Equal(200, good);
        Assert.Equal(500, bad);
    }

    [Fact]
    public async Task Call_UnknownAction_IsAContractFilterFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.SendAsync("http://training.gov.au/services/ITrainingComponentService/Frobnicate", new XElement(T + "Frobnicate"));

        Assert.Equal(500, status);
        var fault = soap.Payload(document);
        Assert.EndsWith(":ActionNotSupported", fault.Element("faultcode")!.Value, StringComparison.Ordinal);
        Assert.Contains("ContractFilter mismatch", fault.Element("faultstring")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ActionAndBodyDisagree_IsAFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.SendAsync(ServerTime, new XElement(T + "Search"));

        Assert.Equal(500, status);
        Assert.Equal(S11 + "Fault", soap.Payload(document).Name);
    }

    [Fact]
    public async Task Call_MalformedEnvelope_IsAClientFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.SendRawAsync(ServerTime, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>");

        Assert.Equal(500, status);
        var fault = soap.Payload(document);
        Assert.Equal("s:Client", fault.Element("faultcode")!.Value);
        Assert.Contains("not well-formed", fault.Element("faultstring")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_Soap12ContentTypeOnTheSoap11Binding_Is415()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        using var content = new StringContent("<x/>", System.Text.Encoding.UTF8, "application/soap+xml");

        using var response = await http.PostAsync("Deewr.Tga.WebServices/TrainingComponentService.svc/Training", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Search_PageNumberZero_IsAValidationFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.CallAsync("ITrainingComponentService", "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageNumber", 0));

        Assert.Equal(500, status);
        var error = soap.Payload(document).Element("detail")!.Element(T + "ValidationFault")!.Element(T + "Errors")!.Element(T + "ValidationError")!;
        Assert.Equal("InvalidPageNumber", error.Element(T + "Code")!.Value);
        Assert.Equal("Error", error.Element(T + "Severity")!.Value);
    }

    [Fact]
    public async Task GetDetails_UnknownCode_IsAValidationFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationService.svc/Organisation");

        var (status, document) = await soap.CallAsync("IOrganisationService", "GetDetails", new XElement(T + "Code", "99999999"));

        Assert.Equal(500, status);
        Assert.Equal("InvalidCode", soap.Payload(document).Descendants(T + "Code").Single().Value);
    }

    [Fact]
    public async Task Get_Wsdl_DescribesOperationsActionsAndBothBindings()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var wsdl = XDocument.Parse(await http.GetStringAsync("Deewr.Tga.WebServices/TrainingComponentService.svc?wsdl"));

        XNamespace w = "http://schemas.xmlsoap.org/wsdl/";
        Assert.Equal("http://training.gov.au/services/", (string?)wsdl.Root!.Attribute("targetNamespace"));
        Assert.Contains("SearchByModifiedDate", wsdl.Root.Element(w + "portType")!.Elements(w + "operation").Select(o => (string?)o.Attribute("name")));
        Assert.Contains(wsdl.Descendants().Where(e => e.Name.LocalName == "operation"), o => (string?)o.Attribute("soapAction") == "http://training.gov.au/services/ITrainingComponentService/GetDetails");
        Assert.Equal(["Training", "Training12"], wsdl.Root.Elements(w + "binding").Select(b => (string?)b.Attribute("name")));
    }
}
