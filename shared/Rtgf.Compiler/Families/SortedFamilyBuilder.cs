using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>A family whose items are (subject, value) pairs sorted by subject; duplicate subjects are an input error.</summary>
internal abstract class SortedFamilyBuilder<T> : FamilyBuilder
{
    private readonly (string Subject, T Item)[] _items;

    protected SortedFamilyBuilder(string source, IEnumerable<(string Subject, T Item)> items)
    {
        _items = [.. items];
        Array.Sort(_items, static (a, b) => string.CompareOrdinal(a.Subject, b.Subject));
        for (var i = 1; i < _items.Length; i++)
        {
            if (string.Equals(_items[i].Subject, _items[i - 1].Subject, StringComparison.Ordinal))
            {
                throw new CompilerInputException(source, null, null, $"two records give the same token subject '{_items[i].Subject}'.");
            }
        }
    }

    public override int Count => _items.Length;

    public override string Subject(int index) => _items[index].Subject;

    public override void WriteFacts(int index, CanonicalJsonWriter writer) => WriteFacts(_items[index].Item, writer);

    protected abstract void WriteFacts(T item, CanonicalJsonWriter writer);

    protected static void WriteNullable(CanonicalJsonWriter writer, string name, string? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    protected static void WriteStrings(CanonicalJsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteString(value);
        }

        writer.WriteEndArray();
    }
}
