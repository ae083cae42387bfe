using System.Globalization;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>AbstractPageRequest: 1-based PageNumber and PageSize (defaults 1 and 100, at most 1,000 a page).</summary>
internal readonly record struct PageWindow(int Number, int Size)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;

    public static PageWindow Read(TgaXml xml, XElement request)
    {
        var number = ReadInt(xml, request, "PageNumber", 1);
        var size = ReadInt(xml, request, "PageSize", DefaultSize);
        if (number < 1)
        {
            throw SoapFaultException.Validation("InvalidPageNumber", $"PageNumber must be 1 or more (pages are numbered from 1), not {number}.");
        }

        if (size is < 1 or > MaxSize)
        {
            throw SoapFaultException.Validation("InvalidPageSize", $"PageSize must be between 1 and {MaxSize}, not {size}.");
        }

        return new PageWindow(number, size);
    }

    public IEnumerable<T> Slice<T>(IEnumerable<T> items) => items.Skip((int)Math.Min(int.MaxValue, (long)(Number - 1) * Size)).Take(Size);

    private static int ReadInt(TgaXml xml, XElement request, string name, int fallback)
    {
        var text = xml.ReadString(request, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw SoapFaultException.Validation("InvalidValue", $"{name} must be an integer, not '{text}'.");
    }
}
