using System.Globalization;
using System.Text;

namespace Zarr.Actors;

/// <summary>Values written into HOCON text, so options become configuration that reads back exactly.</summary>
internal static class HoconText
{
    /// <summary>A quoted HOCON string (JSON escapes): a path or a name may hold any character.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>A duration in whole milliseconds, or microseconds when it has a fraction of one.</summary>
    public static string Duration(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / 10}us");
}
