using System.Globalization;
using System.Numerics;
using System.Text;

namespace Zarr.Buffers;

/// <summary>The text form of a buffer, like zarr's repr.</summary>
public partial class NDBuffer
{
    public override string ToString()
    {
        var text = new StringBuilder($"<{GetType().Name} shape={NDShape.Format(Shape)} dtype={DataType} ");
        if (Rank == 0)
        {
            text.Append(Format(Elements.Read(Bytes, DataType)));
        }
        else
        {
            var shown = 0;
            AppendNested(text, new int[Rank], 0, ref shown);
        }

        return text.Append('>').ToString();
    }

    private void AppendNested(StringBuilder text, int[] index, int axis, ref int shown)
    {
        const int limit = 100;
        text.Append('[');
        for (var i = 0; i < Shape[axis]; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            if (shown >= limit)
            {
                text.Append("...");
                break;
            }

            index[axis] = i;
            if (axis == Rank - 1)
            {
                text.Append(Format(this[index]));
                shown++;
            }
            else
            {
                AppendNested(text, index, axis + 1, ref shown);
            }
        }

        text.Append(']');
        index[axis] = 0;
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "True" : "False",
        Complex c => string.Create(CultureInfo.InvariantCulture, $"({c.Real}{(c.Imaginary < 0 || double.IsNegative(c.Imaginary) ? "-" : "+")}{Math.Abs(c.Imaginary)}j)"),
        byte[] raw => "0x" + Convert.ToHexString(raw).ToLowerInvariant(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
