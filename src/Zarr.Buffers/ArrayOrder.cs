namespace Zarr.Buffers;

/// <summary>The memory layout of an n-d array: row-major (C) or column-major (F).</summary>
public enum ArrayOrder
{
    C,
    F,
}

/// <summary>The order of the bytes within one element.</summary>
public enum Endianness
{
    Little,
    Big,
}
