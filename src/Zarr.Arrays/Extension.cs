using System.Text.Json;

namespace Zarr.Arrays;

/// <summary>
/// The spec's extension definition: a short-hand name, or an object with <c>name</c>, an optional
/// <c>configuration</c> object and an optional <c>must_understand</c> (true unless it says false).
/// </summary>
internal static class Extension
{
    public static (string Name, JsonElement? Configuration, bool MustUnderstand) Read(JsonElement json, string where, Func<string, Exception> fail)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return (json.GetString()!, null, true);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw fail($"{where} is {Codecs.CodecJson.Kind(json)}, not a name or an object with a name");
        }

        string? name = null;
        JsonElement? configuration = null;
        var mustUnderstand = true;
        foreach (var member in json.EnumerateObject())
        {
            switch (member.Name)
            {
                case "name" when member.Value.ValueKind == JsonValueKind.String:
                    name = member.Value.GetString();
                    break;
                case "configuration" when member.Value.ValueKind == JsonValueKind.Object:
                    configuration = member.Value;
                    break;
                case "must_understand" when member.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    mustUnderstand = member.Value.GetBoolean();
                    break;
                case "name" or "configuration" or "must_understand":
                    throw fail($"{where}: \"{member.Name}\" is {Codecs.CodecJson.Kind(member.Value)}, which the spec does not allow there");
                default:
                    throw fail($"{where} has the member \"{member.Name}\"; an extension has only name, configuration and must_understand");
            }
        }

        return name is null ? throw fail($"{where} has no \"name\"") : (name, configuration, mustUnderstand);
    }
}

/// <summary>A codec's or extension's <c>configuration</c>, read member by member; members nobody asked for are refused.</summary>
internal sealed class Configuration(JsonElement? json, string where, Func<string, Exception> fail)
{
    private readonly HashSet<string> _read = [];

    public T Required<T>(string name, Func<JsonElement, T?> parse, string expected) where T : class =>
        Optional(name, parse, expected) ?? throw fail($"{where}: configuration needs \"{name}\" ({expected})");

    public T Required<T>(string name, Func<JsonElement, T?> parse, string expected) where T : struct =>
        Optional(name, parse, expected) ?? throw fail($"{where}: configuration needs \"{name}\" ({expected})");

    public T? Optional<T>(string name, Func<JsonElement, T?> parse, string expected) where T : class
    {
        _read.Add(name);
        if (json is not { } config || !config.TryGetProperty(name, out var value))
        {
            return null;
        }

        return Parse(parse, value) ?? throw fail($"{where}: \"{name}\" is {value.GetRawText()}, not {expected}");
    }

    public T? Optional<T>(string name, Func<JsonElement, T?> parse, string expected) where T : struct
    {
        _read.Add(name);
        if (json is not { } config || !config.TryGetProperty(name, out var value))
        {
            return null;
        }

        return Parse(parse, value) ?? throw fail($"{where}: \"{name}\" is {value.GetRawText()}, not {expected}");
    }

    /// <summary>Null when the value is of the wrong JSON kind (the element's getters throw then).</summary>
    private static T? Parse<T>(Func<JsonElement, T?> parse, JsonElement value)
    {
        try
        {
            return parse(value);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    public void RefuseOthers()
    {
        if (json is not { } config)
        {
            return;
        }

        foreach (var member in config.EnumerateObject())
        {
            if (!_read.Contains(member.Name))
            {
                throw fail($"{where}: configuration has \"{member.Name}\", which it does not know");
            }
        }
    }
}
