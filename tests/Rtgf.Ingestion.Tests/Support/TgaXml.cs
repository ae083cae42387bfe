using System.Globalization;
using System.Text;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>TGA SOAP response bodies composed in the documented shape, for paging and drift tests.</summary>
internal static class TgaXml
{
    public static string ComponentSearchPage(string operation, int count, int page, int pageSize, params string[] codes)
    {
        var items = new StringBuilder();
        foreach (var code in codes)
        {
            items.Append(CultureInfo.InvariantCulture, $"""
                <TrainingComponentSummary i:type="TrainingComponentSummary3"><Code>{code}</Code><ComponentType>Qualification Unit</ComponentType>
                <CreatedDate><a:DateTime>2020-06-02T00:00:00Z</a:DateTime><a:OffsetMinutes>600</a:OffsetMinutes></CreatedDate>
                <IsConfidential>false</IsConfidential><IsCurrent>true</IsCurrent><Title>Title of {code}</Title>
                <UpdatedDate><a:DateTime>2025-02-11T03:14:00Z</a:DateTime><a:OffsetMinutes>600</a:OffsetMinutes></UpdatedDate>
                <UsageReccomendation>Current</UsageReccomendation><IsLegacyData>false</IsLegacyData><CurrencyStatus>Current</CurrencyStatus></TrainingComponentSummary>
                """);
        }

        return Envelope(operation, $"<Count>{count}</Count><PageNumber>{page}</PageNumber><PageSize>{pageSize}</PageSize><Results>{items}</Results>");
    }

    public static string Envelope(string operation, string resultContent) => $"""
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
        <{operation}Response xmlns="http://training.gov.au/services/">
        <{operation}Result xmlns:a="http://schemas.datacontract.org/2004/07/System" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{resultContent}</{operation}Result>
        </{operation}Response></s:Body></s:Envelope>
        """;
}
