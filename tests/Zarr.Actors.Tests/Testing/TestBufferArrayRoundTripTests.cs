using System.Text;
using System.Text.Json;
using Zarr.Actors.Testing;
using Zarr.Buffers;
using Zarr.Buffers.Testing;

namespace Zarr.Actors.Tests.Testing;

/// <summary>
/// In the spirit of zarr-python's <c>test_async_array_prototype</c>: a 9x9 uint16 array written as 5x5
/// chunks through the test-buffer store comes back, with the test prototype, as TestNDArrayLike data
/// equal to what was written. Any step that dropped the caller's buffer type would be refused.
/// </summary>
public sealed class TestBufferArrayRoundTripTests(ActorSystemFixture fixture) : IClassFixture<ActorSystemFixture>
{
    private static readonly int[] ArrayShape = [9, 9];
    private static readonly int[] ChunkShape = [5, 5];
    private const ushort FillValue = 7;

    [Fact(DisplayName = "A 9x9 uint16 array in 5x5 chunks round-trips as TestBuffer values and TestNDArrayLike data")]
    public async Task ArrayRoundTrips()
    {
        IStore store = new StoreExpectingTestBuffer(fixture.System);
        var prototype = TestBufferPrototype.Instance;

        var data = prototype.CreateNDBuffer(ArrayShape, DataType.UInt16);
        for (var i = 0; i < 9; i++)
        {
            for (var j = 0; j < 9; j++)
            {
                data[i, j] = (ushort)(i * 100 + j);
            }
        }

        await store.SetAsync("arr/zarr.json", ByteBuffer.FromBytes(Encoding.UTF8.GetBytes(Metadata())));
        foreach (var (ci, cj) in Chunks())
        {
            // Edge chunks are padded to the full chunk shape with the fill value, as zarr writes them.
            var chunk = prototype.CreateNDBuffer(ChunkShape, DataType.UInt16, fillValue: FillValue);
            var (rows, columns) = (Extent(ci, 0), Extent(cj, 1));
            chunk.SetRegion([0..rows.Length, 0..columns.Length], data.GetRegion(rows.Range, columns.Range));
            await store.SetAsync($"arr/c/{ci}/{cj}", TestBuffer.FromMemory(chunk.ToBytes(Endianness.Little).Memory));
        }

        Assert.Equal(["c", "zarr.json"], (await store.ListDirAsync("arr").ToListAsync()).Order());

        // Read back: metadata decides the layout, the prototype decides the types.
        var metadata = JsonDocument.Parse((await store.GetAsync("arr/zarr.json", prototype))!.Memory).RootElement;
        Assert.Equal("uint16", metadata.GetProperty("data_type").GetString());
        var result = prototype.CreateNDBuffer(ArrayShape, DataType.Parse(metadata.GetProperty("data_type").GetString()!));
        var keys = Chunks().Select(c => ($"arr/c/{c.I}/{c.J}", (ByteRequest?)null)).ToList();
        var values = await store.GetPartialValuesAsync(prototype, keys);
        foreach (var ((ci, cj), value) in Chunks().Zip(values))
        {
            Assert.IsType<TestBuffer>(value);
            var chunk = prototype.NDBufferFromBytes(value!, ChunkShape, DataType.UInt16);
            Assert.IsType<NDBufferUsingTestNDArrayLike>(chunk);
            Assert.IsType<TestNDArrayLike>(chunk.AsArrayLike());
            var (rows, columns) = (Extent(ci, 0), Extent(cj, 1));
            result.SetRegion([rows.Range, columns.Range], chunk.GetRegion(0..rows.Length, 0..columns.Length));
        }

        Assert.IsType<TestNDArrayLike>(result.AsArrayLike());
        Assert.True(result.AllEqual(data), $"read back {result}, wrote {data}");

        // The padding of the edge chunk is the fill value, and a partial read of a chunk slices its bytes.
        var corner = prototype.NDBufferFromBytes((await store.GetAsync("arr/c/1/1", prototype))!, ChunkShape, DataType.UInt16);
        Assert.True(corner.GetRegion(4..5, 0..5).AllEqual(FillValue));
        var firstRow = await store.GetAsync("arr/c/0/0", prototype, new RangeByteRequest(0, 10));
        Assert.Equal(data.GetRegion(0..1, 0..5).ToBytes().ToArray(), firstRow!.ToArray());

        // The default prototype cannot read the chunks of this store.
        await Assert.ThrowsAsync<UnexpectedBufferTypeException>(() => store.GetAsync("arr/c/0/0"));
    }

    private static IEnumerable<(int I, int J)> Chunks() =>
        from i in Enumerable.Range(0, 2)
        from j in Enumerable.Range(0, 2)
        select (i, j);

    private static (Range Range, int Length) Extent(int chunk, int axis)
    {
        var start = chunk * ChunkShape[axis];
        var end = Math.Min(start + ChunkShape[axis], ArrayShape[axis]);
        return (start..end, end - start);
    }

    private static string Metadata() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["zarr_format"] = 3,
        ["node_type"] = "array",
        ["shape"] = ArrayShape,
        ["data_type"] = "uint16",
        ["chunk_grid"] = new { name = "regular", configuration = new { chunk_shape = ChunkShape } },
        ["chunk_key_encoding"] = new { name = "default", configuration = new { separator = "/" } },
        ["fill_value"] = FillValue,
        ["codecs"] = new[] { new { name = "bytes", configuration = new { endian = "little" } } },
    });
}
