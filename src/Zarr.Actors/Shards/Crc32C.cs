using System.Buffers.Binary;
using System.Numerics;

namespace Zarr.Actors.Shards;

/// <summary>
/// CRC-32C (Castagnoli, RFC 3720) as Zarr's <c>crc32c</c> codec and shard indexes use it, on the base
/// library's <see cref="BitOperations.Crc32C(uint, ulong)"/> (a CPU instruction where there is one).
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
