using System.Collections.Concurrent;
using Azure.Data.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary><see cref="IRecordTables"/> on Table Storage: one <see cref="TableRecordTable"/> per name, each created on first use.</summary>
public sealed class TableRecordTables(TableServiceClient service, string tablePrefix = "") : IRecordTables
{
    private readonly ConcurrentDictionary<string, TableRecordTable> _tables = new(StringComparer.Ordinal);

    public IRecordTable Open(string name) => _tables.GetOrAdd(name, n => new TableRecordTable(CreatedOnFirstUse.Table(service, tablePrefix + n)));
}
