namespace Rtgf.Ingestion.Jsa;

/// <summary>The list as downloaded: the workbook's URL (found on the landing page), its size and the parsed list.</summary>
public sealed record OccupationShortageDownload(Uri Url, long Bytes, OccupationShortageList List);
