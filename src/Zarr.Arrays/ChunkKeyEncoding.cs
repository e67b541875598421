using System.Globalization;
using System.Text;

namespace Zarr.Arrays;

/// <summary>
/// How a chunk's grid index becomes its key under the array: <c>default</c> (<c>c/1/23</c>, or
/// <c>c.1.23</c>; <c>c</c> for a 0-d array) or <c>v2</c> (<c>1.23</c>, or <c>1/23</c>; <c>0</c> for 0-d).
/// </summary>
public sealed record ChunkKeyEncoding
{
    private ChunkKeyEncoding(string name, char separator)
    {
        Name = name;
        Separator = separator;
    }

    /// <summary>The spec's default: <c>default</c> with <c>/</c>.</summary>
    public static ChunkKeyEncoding Default { get; } = new("default", '/');

    /// <summary><c>default</c> with <paramref name="separator"/> (<c>/</c> or <c>.</c>).</summary>
    public static ChunkKeyEncoding DefaultWith(char separator) => new("default", CheckSeparator(separator));

    /// <summary><c>v2</c> with <paramref name="separator"/> (<c>.</c>, the v2 default, or <c>/</c>).</summary>
    public static ChunkKeyEncoding V2(char separator = '.') => new("v2", CheckSeparator(separator));

    /// <summary><c>default</c> or <c>v2</c>.</summary>
    public string Name { get; }

    /// <summary><c>/</c> or <c>.</c>.</summary>
    public char Separator { get; }

    /// <summary>The key of the chunk at <paramref name="gridIndex"/>, relative to the array.</summary>
    public string KeyOf(ReadOnlySpan<long> gridIndex)
    {
        var key = new StringBuilder(Name == "default" ? "c" : string.Empty);
        for (var axis = 0; axis < gridIndex.Length; axis++)
        {
            if (axis > 0 || Name == "default")
            {
                key.Append(Separator);
            }

            key.Append(gridIndex[axis].ToString(CultureInfo.InvariantCulture));
        }

        return key.Length == 0 ? "0" : key.ToString();
    }

    private static char CheckSeparator(char separator) =>
        separator is '/' or '.'
            ? separator
            : throw new ArgumentOutOfRangeException(nameof(separator), separator, "a chunk key separator is '/' or '.'");
}
