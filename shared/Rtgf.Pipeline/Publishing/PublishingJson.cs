using System.Text.Json;
using System.Text.Json.Serialization;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Pipeline.Publishing;

/// <summary>Source-generated JSON for the stored rows and documents (camelCase, no indentation).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(TokenRow))]
[JsonSerializable(typeof(CatalogRow))]
[JsonSerializable(typeof(HeadRow))]
[JsonSerializable(typeof(PublicationPlan))]
[JsonSerializable(typeof(StatusListRow))]
[JsonSerializable(typeof(JournalRow))]
[JsonSerializable(typeof(KeyRow))]
[JsonSerializable(typeof(ProgressRow))]
[JsonSerializable(typeof(FreezeRow))]
[JsonSerializable(typeof(BuildInputsDocument))]
[JsonSerializable(typeof(RevocationRecord))]
[JsonSerializable(typeof(FamilyRow))]
[JsonSerializable(typeof(Publication))]
[JsonSerializable(typeof(FreezeState))]
[JsonSerializable(typeof(HandOffRow))]
internal sealed partial class PublishingJson : JsonSerializerContext;
