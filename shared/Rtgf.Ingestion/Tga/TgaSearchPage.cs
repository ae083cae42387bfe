namespace Rtgf.Ingestion.Tga;

/// <summary>One page of a TGA search: the total count and this page's items.</summary>
public sealed record TgaSearchPage<T>(int Count, int PageNumber, int PageSize, IReadOnlyList<T> Items);
