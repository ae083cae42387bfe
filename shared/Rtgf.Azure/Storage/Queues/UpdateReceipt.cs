namespace Rtgf.Azure.Storage.Queues;

/// <summary>The new pop receipt and visibility time after an update (the old receipt is void).</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
