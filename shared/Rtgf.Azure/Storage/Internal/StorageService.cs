namespace Rtgf.Azure.Storage.Internal;

/// <summary>The storage services; they differ in how Shared Key requests are canonicalised.</summary>
internal enum StorageService
{
    Blob,
    Queue,
    Table,
}
