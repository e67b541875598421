using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Zarr.Actors.Shards;
using Zarr.Arrays.Codecs;
using Zarr.Buffers;

namespace Zarr.Arrays.Tests;

/// <summary>Each codec round-trips, and produces or reads bytes known from other implementations.</summary>
public sealed class CodecTests
{
    private static readonly byte[] Text = Encoding.ASCII.GetBytes("zarr zarr zarr zarr zarr!");

    [Theory(DisplayName = "CRC-32C gives the check values of RFC 3720 and the CRC catalogue")]
    [InlineData("313233343536373839", 0xE3069283u)]                                          // "123456789"
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", 0x8A9136AAu)] // 32 zero bytes
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 0x62A8AB43u)] // 32 0xff bytes
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 0x46DD794Eu)] // 0..31
    [InlineData("", 0u)]
    public void Crc32CCheckValues(string hex, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Convert.FromHexString(hex)));

    [Fact(DisplayName = "crc32c appends the checksum little-endian, and decoding refuses a changed byte")]
    public void Crc32cCodec()
    {
        IBytesToBytesCodec codec = new Crc32cCodec();
        var encoded = codec.Encode(ByteBuffer.FromBytes("123456789"u8));
        Assert.Equal("313233343536373839" + "839206e3", Convert.ToHexStringLower(encoded.Span));
        Assert.Equal("123456789"u8.ToArray(), codec.Decode(encoded).ToArray());

        var changed = encoded.ToArray();
        changed[0] ^= 1;
        Assert.Contains("crc32c mismatch", Assert.Throws<InvalidDataException>(() => codec.Decode(ByteBuffer.FromBytes(changed))).Message);
        Assert.Throws<InvalidDataException>(() => codec.Decode(ByteBuffer.FromBytes([1, 2])));
    }

    [Fact(DisplayName = "gzip reads what the gzip tool wrote and round-trips at every level")]
    public void Gzip()
    {
        // gzip -n -9 of the text (also Python's gzip.compress(text, 9, mtime=0)).
        var fromGzipTool = Convert.FromHexString("1f8b0800000000000203ab4a2c2a52a8c224140153d92a4319000000");
        IBytesToBytesCodec codec = new GzipCodec(9);
        Assert.Equal(Text, codec.Decode(ByteBuffer.FromBytes(fromGzipTool)).ToArray());

        for (var level = 0; level <= 9; level++)
        {
            IBytesToBytesCodec leveled = new GzipCodec(level);
            var encoded = leveled.Encode(ByteBuffer.FromBytes(Text));
            Assert.Equal([0x1f, 0x8b, 0x08], encoded.Span[..3].ToArray());
            Assert.Equal(Text, leveled.Decode(encoded).ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new GzipCodec(10));
        Assert.Throws<InvalidDataException>(() => codec.Decode(ByteBuffer.FromBytes([1, 2, 3, 4])));
    }

    [Fact(DisplayName = "zstd reads what the zstd tool wrote and writes the content checksum only when asked")]
    public void Zstd()
    {
        // zstd -3 --no-check and zstd -3 (with its checksum) of the text, by the zstd 1.5.4 tool.
        var plain = Convert.FromHexString("28b52ffd2019650000307a61727220210100488a16");
        var checksummed = Convert.FromHexString("28b52ffd2419650000307a61727220210100488a164b50a633");
        IBytesToBytesCodec codec = new ZstdCodec(3);
        Assert.Equal(Text, codec.Decode(ByteBuffer.FromBytes(plain)).ToArray());
        Assert.Equal(Text, codec.Decode(ByteBuffer.FromBytes(checksummed)).ToArray());

        var encoded = codec.Encode(ByteBuffer.FromBytes(Text));
        Assert.Equal(plain, encoded.ToArray());
        IBytesToBytesCodec withChecksum = new ZstdCodec(3, checksum: true);
        var summed = withChecksum.Encode(ByteBuffer.FromBytes(Text));
        Assert.Equal(0x04, summed.Span[4] & 0x04);                // Content_Checksum_flag of the frame header
        Assert.Equal(checksummed, summed.ToArray());
        Assert.Equal(Text, codec.Decode(summed).ToArray());

        var damaged = summed.ToArray();
        damaged[^1] ^= 0xff;
        Assert.ThrowsAny<Exception>(() => codec.Decode(ByteBuffer.FromBytes(damaged)));
    }

    [Fact(DisplayName = "bytes writes each element in the asked byte order, complex parts each on their own")]
    public void Bytes()
    {
        var ints = NDBuffer.Create([2], DataType.Int32);
        ints[0] = 1;
        ints[1] = -2;
        Assert.Equal("01000000feffffff", Hex(Encode([new BytesCodec(Endianness.Little)], ints)));
        Assert.Equal("00000001fffffffe", Hex(Encode([new BytesCodec(Endianness.Big)], ints)));

        var complex = NDBuffer.Create([1], DataType.Complex64);
        complex[0] = new Complex(1, -2);
        Assert.Equal("3f800000c0000000", Hex(Encode([new BytesCodec(Endianness.Big)], complex)));

        var bytes = NDBuffer.Create([3], DataType.UInt8, fillValue: 9);
        Assert.Equal("090909", Hex(Encode([new BytesCodec(null)], bytes)));

        foreach (var endian in new[] { Endianness.Little, Endianness.Big })
        {
            var chain = Chain([new BytesCodec(endian)], DataType.Int32, [2]);
            Assert.True(chain.Decode(chain.Encode(ints), "k").AllEqual(ints));
        }
    }

    [Fact(DisplayName = "transpose stores axis i of the chunk in the order's place, and decodes back")]
    public void Transpose()
    {
        var chunk = NDBuffer.Create([2, 3], DataType.Int8);
        for (var i = 0; i < 6; i++)
        {
            chunk[i / 3, i % 3] = (sbyte)i;
        }

        Assert.Equal("000301040205", Hex(Encode([new TransposeCodec([1, 0]), new BytesCodec(null)], chunk)));

        var cube = NDBuffer.Create([2, 3, 4], DataType.UInt16);
        for (var i = 0; i < 24; i++)
        {
            cube[i / 12, i / 4 % 3, i % 4] = (ushort)(i * 7);
        }

        var chain = Chain([new TransposeCodec([2, 0, 1]), new BytesCodec(Endianness.Big), new GzipCodec(1)], DataType.UInt16, [2, 3, 4]);
        var decoded = chain.Decode(chain.Encode(cube), "k");
        Assert.Equal([2, 3, 4], decoded.Shape);
        Assert.True(decoded.AllEqual(cube));
        // Element (1, 2, 3) is at (3, 1, 2) of the encoded (4, 2, 3) array: offset (3*2 + 1)*3 + 2 = 23.
        var stored = Encode([new TransposeCodec([2, 0, 1]), new BytesCodec(Endianness.Little)], cube);
        Assert.Equal((ushort)(23 * 7), BinaryPrimitives.ReadUInt16LittleEndian(stored.AsSpan(23 * 2)));
    }

    [Theory(DisplayName = "sharding_indexed lays out inner chunks then the index (or the index first), empty ones as 2^64-1")]
    [InlineData(ShardIndexLocation.End, false)]
    [InlineData(ShardIndexLocation.Start, false)]
    [InlineData(ShardIndexLocation.End, true)]
    public void ShardLayoutBytes(ShardIndexLocation location, bool bigEndianIndex)
    {
        var shard = NDBuffer.Create([6], DataType.UInt8);
        shard[0] = (byte)1;
        shard[1] = (byte)2;
        shard[4] = (byte)5;                                      // inner chunk 1 ([2, 4)) holds only the fill value
        var codec = new ShardingCodec([2], [new BytesCodec(null)], [new BytesCodec(bigEndianIndex ? Endianness.Big : Endianness.Little), new Crc32cCodec()], location);
        var encoded = Encode([codec], shard);

        const int indexLength = 3 * 16 + 4;
        Assert.Equal(4 + indexLength, encoded.Length);
        var dataAt = location == ShardIndexLocation.Start ? indexLength : 0;
        var indexAt = location == ShardIndexLocation.Start ? 0 : 4;
        Assert.Equal("0102" + "0500", Hex(encoded.AsSpan(dataAt, 4).ToArray()));
        var index = encoded.AsSpan(indexAt, indexLength).ToArray();
        ulong Entry(int i) => bigEndianIndex ? BinaryPrimitives.ReadUInt64BigEndian(index.AsSpan(i * 8)) : BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(i * 8));
        Assert.Equal([(ulong)dataAt, 2UL, ulong.MaxValue, ulong.MaxValue, (ulong)dataAt + 2, 2UL], Enumerable.Range(0, 6).Select(Entry).ToArray());
        Assert.Equal(Crc32C.Compute(index.AsSpan(0, 48)), BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(48)));

        var chain = Chain([codec], DataType.UInt8, [6]);
        Assert.True(chain.Decode(ByteBuffer.FromBytes(encoded), "k").AllEqual(shard));
    }

    [Fact(DisplayName = "Inner codecs of a shard run per inner chunk, and a shard can hold shards")]
    public void NestedSharding()
    {
        var data = NDBuffer.Create([8, 8], DataType.Float32);
        for (var i = 0; i < 64; i++)
        {
            data[i / 8, i % 8] = i * 0.5f;
        }

        var inner = new ShardingCodec([2, 2], [new TransposeCodec([1, 0]), new BytesCodec(Endianness.Big), new ZstdCodec(1, true)]);
        var outer = Chain([new ShardingCodec([4, 4], [inner, new Crc32cCodec()])], DataType.Float32, [8, 8]);
        Assert.True(outer.Decode(outer.Encode(data), "k").AllEqual(data));
    }

    private static CodecChain Chain(Codec[] codecs, DataType type, int[] shape)
    {
        Assert.True(CodecChain.TryBuild(codecs, new ChunkSpec(shape, type, FillValue.Default(type)), out var chain, out var problem), problem);
        return chain;
    }

    private static byte[] Encode(Codec[] codecs, NDBuffer chunk) => Chain(codecs, chunk.DataType, chunk.Shape.ToArray()).Encode(chunk).ToArray();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
