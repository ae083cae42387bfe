using System.Text.Json;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>Settings for the custom-handler hosting.</summary>
public sealed class CustomHandlerOptions
{
    /// <summary>How handler outputs (queue messages) are serialised: web defaults (camelCase).</summary>
    public JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);
}
