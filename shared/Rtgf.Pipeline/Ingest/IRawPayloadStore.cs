namespace Rtgf.Pipeline.Ingest;

/// <summary>Keeps upstream bytes as received (Blob container <c>rtgf-raw</c>), named <c>&lt;source&gt;/&lt;runId&gt;/&lt;operation&gt;-&lt;n&gt;.&lt;ext&gt;</c>.</summary>
public interface IRawPayloadStore
{
    Task PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);
}
