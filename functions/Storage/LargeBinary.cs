using Azure.Data.Tables;

namespace NotifyHub.Storage;

/// <summary>
/// A binary value larger than one table property can hold (64 KiB), spread over properties
/// <c>{name}0</c>, <c>{name}1</c>… with the count in <c>{name}Chunks</c>. An entity holds up to 1 MiB.
/// </summary>
public static class LargeBinary
{
    private const int ChunkBytes = 60 * 1024;

    public static void Write(TableEntity entity, string name, byte[] value)
    {
        var chunks = value.Chunk(ChunkBytes).ToArray();
        entity[name + "Chunks"] = chunks.Length;
        for (var i = 0; i < chunks.Length; i++) entity[name + i] = chunks[i];
    }

    public static byte[]? Read(TableEntity entity, string name)
    {
        if (entity.GetInt32(name + "Chunks") is not { } count) return null;
        using var buffer = new MemoryStream();
        for (var i = 0; i < count; i++) buffer.Write(entity.GetBinary(name + i));
        return buffer.ToArray();
    }

    /// <summary>The property names to select when reading the value back from a query.</summary>
    public static IEnumerable<string> Columns(string name, int maxChunks = 16) =>
        Enumerable.Range(0, maxChunks).Select(i => name + i).Prepend(name + "Chunks");
}
