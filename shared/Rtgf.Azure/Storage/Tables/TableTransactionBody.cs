using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>
/// Writes the multipart/mixed body of an entity-group transaction ("Performing entity group transactions")
/// and reads the service's multipart reply.
/// </summary>
internal static class TableTransactionBody
{
    private const string Crlf = "\r\n";

    /// <summary>
    /// Builds the body. Boundaries are derived from a hash of the parts (not random), so the same
    /// transaction always produces the same bytes and a boundary cannot occur inside a part.
    /// </summary>
    public static (byte[] Body, string ContentType) Build(Uri tableUri, string escapedTable, IReadOnlyList<TableTransactionAction> actions)
    {
        var parts = new List<string>(actions.Count);
        for (var i = 0; i < actions.Count; i++)
        {
            parts.Add(Part(tableUri, escapedTable, actions[i], i + 1));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)));
        var batchBoundary = "batch_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
        var changesetBoundary = "changeset_" + Convert.ToHexStringLower(hash.AsSpan(16, 16));

        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append(Crlf);
        body.Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf).Append(Crlf);
        foreach (var part in parts)
        {
            body.Append("--").Append(changesetBoundary).Append(Crlf).Append(part);
        }

        body.Append("--").Append(changesetBoundary).Append("--").Append(Crlf);
        body.Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return (Encoding.UTF8.GetBytes(body.ToString()), "multipart/mixed; boundary=" + batchBoundary);
    }

    private static string Part(Uri tableUri, string escapedTable, TableTransactionAction action, int contentId)
    {
        var entity = action.Entity;
        var baseUri = tableUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var entityUri = baseUri[..^escapedTable.Length] + TableOData.EntityPath(escapedTable, entity.PartitionKey, entity.RowKey);
        var (verb, uri, ifMatch, withBody) = action.ActionType switch
        {
            TableTransactionActionType.Add => ("POST", baseUri, (ETag?)null, true),
            TableTransactionActionType.Delete => ("DELETE", entityUri, Condition(action.ETag), false),
            TableTransactionActionType.UpdateMerge => ("MERGE", entityUri, Condition(action.ETag), true),
            TableTransactionActionType.UpdateReplace => ("PUT", entityUri, Condition(action.ETag), true),
            TableTransactionActionType.UpsertMerge => ("MERGE", entityUri, (ETag?)null, true),
            TableTransactionActionType.UpsertReplace => ("PUT", entityUri, (ETag?)null, true),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Unknown transaction action."),
        };

        var part = new StringBuilder();
        part.Append("Content-Type: application/http").Append(Crlf);
        part.Append("Content-Transfer-Encoding: binary").Append(Crlf).Append(Crlf);
        part.Append(verb).Append(' ').Append(uri).Append(" HTTP/1.1").Append(Crlf);
        part.Append("Content-ID: ").Append(contentId.ToString(CultureInfo.InvariantCulture)).Append(Crlf);
        part.Append("Accept: application/json;odata=minimalmetadata").Append(Crlf);
        part.Append("DataServiceVersion: 3.0;").Append(Crlf);
        if (ifMatch is { } etag)
        {
            part.Append("If-Match: ").Append(etag.ToString("H")).Append(Crlf);
        }

        if (withBody)
        {
            part.Append("Content-Type: application/json").Append(Crlf);
            if (action.ActionType == TableTransactionActionType.Add)
            {
                part.Append("Prefer: return-no-content").Append(Crlf);
            }

            part.Append(Crlf).Append(Encoding.UTF8.GetString(TableEdm.Serialize(entity))).Append(Crlf);
        }
        else
        {
            part.Append(Crlf);
        }

        return part.ToString();
    }

    private static ETag Condition(ETag etag) => etag == default ? ETag.All : etag;

    /// <summary>One HTTP response inside the changeset reply.</summary>
    public sealed record PartResponse(int Status, string ReasonPhrase, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Reads the <c>changesetresponse</c> parts out of a <c>batchresponse</c> body.</summary>
    public static IReadOnlyList<PartResponse> ParseResponse(string contentType, string body)
    {
        var results = new List<PartResponse>();
        foreach (var (headers, content) in SplitMultipart(body, Boundary(contentType)))
        {
            if (headers.TryGetValue("Content-Type", out var partType) && partType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (_, inner) in SplitMultipart(content, Boundary(partType)))
                {
                    results.Add(ParseHttpResponse(inner));
                }
            }
            else
            {
                results.Add(ParseHttpResponse(content));
            }
        }

        return results;
    }

    private static string Boundary(string contentType)
    {
        foreach (var parameter in contentType.Split(';'))
        {
            var p = parameter.Trim();
            if (p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return p["boundary=".Length..].Trim('"');
            }
        }

        throw new FormatException("The transaction reply has no multipart boundary.");
    }

    private static IEnumerable<(Dictionary<string, string> Headers, string Content)> SplitMultipart(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var segments = body.Split(delimiter);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.StartsWith("--", StringComparison.Ordinal))
            {
                yield break; // close delimiter
            }

            var (headerBlock, content) = SplitHeaders(segment.TrimStart('\r', '\n'));
            yield return (ParseHeaders(headerBlock), content);
        }
    }

    private static PartResponse ParseHttpResponse(string message)
    {
        var (head, content) = SplitHeaders(message.TrimStart('\r', '\n'));
        var lines = head.Split('\n');
        var statusLine = lines[0].TrimEnd('\r').Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException("The transaction reply holds a part without an HTTP status line.");
        }

        var headers = ParseHeaders(string.Join('\n', lines.Skip(1)));
        return new PartResponse(status, statusLine.Length > 2 ? statusLine[2] : string.Empty, headers, content.TrimEnd('\r', '\n'));
    }

    private static (string Head, string Content) SplitHeaders(string text)
    {
        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        return crlf >= 0 && (lf < 0 || crlf <= lf)
            ? (text[..crlf], text[(crlf + 4)..])
            : lf >= 0 ? (text[..lf], text[(lf + 2)..]) : (text, string.Empty);
    }

    private static Dictionary<string, string> ParseHeaders(string block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rawLine in block.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }
}
