using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Queues;

/// <summary>
/// One storage queue: create, delete, send (with a visibility delay), receive in batches with a
/// visibility timeout, peek, update visibility, delete messages.
/// </summary>
public sealed class QueueClient
{
    private readonly StorageClientContext _context;
    private readonly QueueMessageEncoding _encoding;

    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(QueueServiceClient.ContextFromConnectionString(connectionString, options), queueName, options?.MessageEncoding ?? QueueMessageEncoding.None)
    {
    }

    public QueueClient(Uri serviceEndpoint, string queueName, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(QueueServiceClient.CreateContext(serviceEndpoint, new StorageAuthentication(SharedKey: credential), options), queueName, options?.MessageEncoding ?? QueueMessageEncoding.None)
    {
    }

    public QueueClient(Uri serviceEndpoint, string queueName, TokenCredential credential, QueueClientOptions? options = null)
        : this(QueueServiceClient.CreateContext(serviceEndpoint, new StorageAuthentication(Token: credential), options), queueName, options?.MessageEncoding ?? QueueMessageEncoding.None)
    {
    }

    internal QueueClient(StorageClientContext context, string queueName, QueueMessageEncoding encoding)
    {
        QueueLimits.ValidateQueueName(queueName);
        _context = context;
        _encoding = encoding;
        Name = queueName;
        Uri = context.ResourceUri(queueName);
    }

    public string Name { get; }

    public string AccountName => _context.AccountName;

    public Uri Uri { get; }

    public QueueMessageEncoding MessageEncoding => _encoding;

    /// <summary>Creates the queue; an existing queue with the same (empty) metadata is not an error (204).</summary>
    public Task<Response> CreateAsync(CancellationToken cancellationToken = default) => CreateCoreAsync(throwIfExists: true, cancellationToken);

    /// <summary>Creates the queue unless it exists.</summary>
    public Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => CreateCoreAsync(throwIfExists: false, cancellationToken);

    /// <summary>Deletes the queue and its messages; throws 404 if it does not exist.</summary>
    public Task<Response> DeleteAsync(CancellationToken cancellationToken = default) =>
        Run("QueueClient.Delete", RequestMethod.Delete, Uri, null, cancellationToken);

    /// <summary>Deletes the queue if it exists; returns whether it did.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default) =>
        (await Run("QueueClient.DeleteIfExists", RequestMethod.Delete, Uri, null, cancellationToken, 404).ConfigureAwait(false)).Status != 404;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
        (await Run("QueueClient.Exists", RequestMethod.Get, WithQuery(Uri, "comp=metadata"), null, cancellationToken, 404).ConfigureAwait(false)).Status != 404;

    /// <summary>Reads the approximate message count and metadata.</summary>
    public async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        var response = await Run("QueueClient.GetProperties", RequestMethod.Get, WithQuery(Uri, "comp=metadata"), null, cancellationToken).ConfigureAwait(false);
        var count = response.Headers.TryGetValue("x-ms-approximate-messages-count", out var c)
            ? int.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture)
            : 0;
        var metadata = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }

        return Response.FromValue(new QueueProperties(count, metadata), response);
    }

    /// <summary>Sends a text message (UTF-8).</summary>
    public Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        return SendMessageAsync(BinaryData.FromString(messageText), visibilityTimeout, timeToLive, cancellationToken);
    }

    /// <summary>
    /// Sends a message. <paramref name="visibilityTimeout"/> delays delivery (0 to 7 days);
    /// <paramref name="timeToLive"/> limits its life (<see cref="Timeout.InfiniteTimeSpan"/> for never; default 7 days).
    /// </summary>
    public async Task<Response<SendReceipt>> SendMessageAsync(BinaryData message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        QueueLimits.ValidateVisibility(visibilityTimeout, nameof(visibilityTimeout));
        if (timeToLive is { } ttl && ttl != Timeout.InfiniteTimeSpan && ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A message lives at least one second (or forever: Timeout.InfiniteTimeSpan).");
        }

        var query = new List<string>();
        if (visibilityTimeout is { } v)
        {
            query.Add("visibilitytimeout=" + Seconds(v));
        }

        if (timeToLive is { } t)
        {
            query.Add("messagettl=" + (t == Timeout.InfiniteTimeSpan ? "-1" : Seconds(t)));
        }

        var body = MessageXml(message);
        var uri = WithQuery(MessagesUri(), string.Join('&', query));
        var response = await Run("QueueClient.SendMessage", RequestMethod.Post, uri, body, cancellationToken).ConfigureAwait(false);
        var element = MessageElements(response).FirstOrDefault()
            ?? throw new RequestFailedException(response.Status, "The queue accepted the message but returned no receipt.", "InvalidQueueReply", null);
        var receipt = new SendReceipt(
            Text(element, "MessageId"),
            Text(element, "PopReceipt"),
            Date(element, "InsertionTime"),
            OptionalDate(element, "ExpirationTime"),
            Date(element, "TimeNextVisible"));
        return Response.FromValue(receipt, response);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1-32) messages and hides them for
    /// <paramref name="visibilityTimeout"/> (default 30 s). Each receive increments a message's dequeue count.
    /// </summary>
    public async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int? maxMessages = null, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateCount(maxMessages, nameof(maxMessages));
        QueueLimits.ValidateVisibility(visibilityTimeout, nameof(visibilityTimeout), allowZero: false);
        var query = new List<string>();
        if (maxMessages is { } n)
        {
            query.Add("numofmessages=" + n.ToString(CultureInfo.InvariantCulture));
        }

        if (visibilityTimeout is { } v)
        {
            query.Add("visibilitytimeout=" + Seconds(v));
        }

        var response = await Run("QueueClient.ReceiveMessages", RequestMethod.Get, WithQuery(MessagesUri(), string.Join('&', query)), null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<QueueMessage> messages = MessageElements(response)
            .Select(e => new QueueMessage(
                Text(e, "MessageId"),
                Text(e, "PopReceipt"),
                Decode(Text(e, "MessageText")),
                long.Parse(Text(e, "DequeueCount"), NumberStyles.None, CultureInfo.InvariantCulture),
                Date(e, "InsertionTime"),
                OptionalDate(e, "ExpirationTime"),
                Date(e, "TimeNextVisible")))
            .ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> visible messages without receiving them.</summary>
    public async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int? maxMessages = null, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateCount(maxMessages, nameof(maxMessages));
        var query = "peekonly=true" + (maxMessages is { } n ? "&numofmessages=" + n.ToString(CultureInfo.InvariantCulture) : string.Empty);
        var response = await Run("QueueClient.PeekMessages", RequestMethod.Get, WithQuery(MessagesUri(), query), null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PeekedMessage> messages = MessageElements(response)
            .Select(e => new PeekedMessage(
                Text(e, "MessageId"),
                Decode(Text(e, "MessageText")),
                long.Parse(Text(e, "DequeueCount"), NumberStyles.None, CultureInfo.InvariantCulture),
                Date(e, "InsertionTime"),
                OptionalDate(e, "ExpirationTime")))
            .ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Deletes a received message; the pop receipt must be the latest one for it.</summary>
    public Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var uri = WithQuery(MessageUri(messageId), "popreceipt=" + Uri.EscapeDataString(popReceipt));
        return Run("QueueClient.DeleteMessage", RequestMethod.Delete, uri, null, cancellationToken);
    }

    /// <summary>
    /// Changes a received message's visibility timeout (0 makes it visible at once) and optionally its
    /// body. Returns the new pop receipt, which replaces the old one.
    /// </summary>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, BinaryData? message = null, TimeSpan visibilityTimeout = default, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        QueueLimits.ValidateVisibility(visibilityTimeout, nameof(visibilityTimeout));
        var uri = WithQuery(MessageUri(messageId), "popreceipt=" + Uri.EscapeDataString(popReceipt) + "&visibilitytimeout=" + Seconds(visibilityTimeout));
        var response = await Run("QueueClient.UpdateMessage", RequestMethod.Put, uri, message is null ? null : MessageXml(message), cancellationToken).ConfigureAwait(false);
        var receipt = new UpdateReceipt(
            response.Headers.TryGetValue("x-ms-popreceipt", out var pop) ? pop : throw new RequestFailedException(response.Status, "The update returned no pop receipt.", "InvalidQueueReply", null),
            response.Headers.TryGetValue("x-ms-time-next-visible", out var next) ? ParseDate(next) : default);
        return Response.FromValue(receipt, response);
    }

    /// <summary>Deletes every message in the queue.</summary>
    public Task<Response> ClearMessagesAsync(CancellationToken cancellationToken = default) =>
        Run("QueueClient.ClearMessages", RequestMethod.Delete, MessagesUri(), null, cancellationToken);

    private async Task<Response> CreateCoreAsync(bool throwIfExists, CancellationToken cancellationToken)
    {
        var response = await Run(throwIfExists ? "QueueClient.Create" : "QueueClient.CreateIfNotExists", RequestMethod.Put, Uri, null, cancellationToken, 409).ConfigureAwait(false);
        if (response.Status == 409 && (throwIfExists || !response.Headers.TryGetValue("x-ms-error-code", out var code) || code != "QueueAlreadyExists"))
        {
            throw new RequestFailedException(response, null, StorageErrorParser.Instance);
        }

        return response;
    }

    private byte[] MessageXml(BinaryData message)
    {
        string text;
        if (_encoding == QueueMessageEncoding.Base64)
        {
            text = Convert.ToBase64String(message.ToMemory().Span);
        }
        else
        {
            text = message.ToString();
            if (!IsXmlText(text))
            {
                throw new ArgumentException("The message holds characters XML cannot carry; send binary content with QueueMessageEncoding.Base64.", nameof(message));
            }
        }

        var xml = new StringBuilder(text.Length + 64);
        using (var writer = XmlWriter.Create(xml, new XmlWriterSettings { OmitXmlDeclaration = true, CheckCharacters = true }))
        {
            writer.WriteStartElement("QueueMessage");
            writer.WriteElementString("MessageText", text);
            writer.WriteEndElement();
        }

        var wireLength = Encoding.UTF8.GetByteCount(text);
        if (wireLength > QueueLimits.MaxMessageBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The message is {wireLength:N0} bytes on the wire; queue messages hold at most {QueueLimits.MaxMessageBytes:N0} (64 KiB)."),
                nameof(message));
        }

        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    private static bool IsXmlText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!XmlConvert.IsXmlChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private BinaryData Decode(string text) =>
        _encoding == QueueMessageEncoding.Base64 ? new BinaryData(Convert.FromBase64String(text)) : BinaryData.FromString(text);

    private static IEnumerable<XElement> MessageElements(Response response)
    {
        var content = response.Content.ToString();
        if (string.IsNullOrWhiteSpace(content))
        {
            return [];
        }

        return XDocument.Parse(content).Root?.Elements("QueueMessage") ?? [];
    }

    private static string Text(XElement element, string name) => element.Element(name)?.Value ?? string.Empty;

    private static DateTimeOffset Date(XElement element, string name) => ParseDate(Text(element, name));

    private static DateTimeOffset? OptionalDate(XElement element, string name) =>
        element.Element(name)?.Value is { Length: > 0 } text ? ParseDate(text) : null;

    private static DateTimeOffset ParseDate(string rfc1123) => StorageDates.Parse(rfc1123);

    private static string Seconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private Uri MessagesUri() => new(Uri.AbsoluteUri + "/messages");

    private Uri MessageUri(string messageId) => new(Uri.AbsoluteUri + "/messages/" + Uri.EscapeDataString(messageId));

    private static Uri WithQuery(Uri uri, string query) => query.Length == 0 ? uri : new Uri(uri.AbsoluteUri + "?" + query);

    private async Task<Response> Run(string operation, RequestMethod method, Uri uri, byte[]? body, CancellationToken cancellationToken, params int[] tolerated)
    {
        using var activity = StorageDiagnostics.StartOperation(operation, AccountName, Name);
        using var message = _context.CreateMessage(method, uri);
        if (body is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/xml");
            message.Request.Content = RequestContent.Create(body);
        }

        try
        {
            return await _context.SendAsync(message, cancellationToken, tolerated).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            StorageDiagnostics.Fail(activity, e);
            throw;
        }
    }
}
