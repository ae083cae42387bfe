using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>The StartDate/EndDate pair of the modified and deleted searches: start inclusive, end exclusive (open when absent).</summary>
internal readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset? End)
{
    public static TimeWindow Read(TgaXml xml, XElement request)
    {
        var start = TgaXml.ReadOffset(request.Element(xml.Ns + "StartDate"))
            ?? throw SoapFaultException.Validation("StartDateRequired", "StartDate is required.");
        var end = TgaXml.ReadOffset(request.Element(xml.Ns + "EndDate"));
        if (end < start)
        {
            throw SoapFaultException.Validation("InvalidDateRange", "EndDate must not be before StartDate.");
        }

        return new TimeWindow(start, end);
    }

    public bool Contains(DateTimeOffset value) => value >= Start && (End is not { } end || value < end);
}
