using System.Globalization;
using System.Net;

namespace Zarr.Actors.Host;

/// <summary>The node's command line, parsed by hand so every mistake gets a one-line answer.</summary>
public sealed record CommandLine
{
    public const long DefaultMaxValueBytes = 512L * 1024 * 1024;
    public const string TokenVariable = "ZARR_ACTORS_TOKEN";

    public string HttpHost { get; init; } = "127.0.0.1";
    public int HttpPort { get; init; } = 8080;
    public int AkkaPort { get; init; } = 4053;
    public IReadOnlyList<string> Seeds { get; init; } = [];
    public string DataDirectory { get; init; } = "./data";
    public bool InMemory { get; init; }
    public bool ReadOnly { get; init; }
    public string? Token { get; init; }
    public string? ConfigFile { get; init; }
    public string? ExtraConfig { get; init; }
    public long MaxValueBytes { get; init; } = DefaultMaxValueBytes;
    public bool Help { get; init; }

    /// <summary>How the bench runs now that it is a program of its own.</summary>
    public const string BenchCommand = "dotnet run -c Release --project src/Bench -- [--quick] [--json <file>] [--scenario <name>]";

    /// <summary>The old bench verb and its arguments, when the first argument is <c>bench</c> (the program points to <see cref="BenchCommand"/>).</summary>
    public IReadOnlyList<string>? BenchArguments { get; init; }

    public string HttpUrl => $"http://{(HttpHost.Contains(':') ? $"[{HttpHost}]" : HttpHost)}:{HttpPort}";

    public const string Usage = """
        Zarr.Actors node: a cluster member serving the Zarr store over HTTP.

        Usage: Host [options]            start a node
        (the benchmarks: dotnet run -c Release --project src/Bench -- --help)

          --http <host:port>         where the HTTP gateway listens (default 127.0.0.1:8080)
          --port <n>                 the Akka remoting port (default 4053; 0 picks a free one)
          --seed <host:port>         a seed node to join (repeatable; none: the node joins itself)
          --data <dir>               the disk backend's root directory (default ./data)
          --memory                   keep values in memory instead of on disk
          --read-only                refuse writes
          --token <secret>           require Authorization: Bearer <secret> (or ZARR_ACTORS_TOKEN)
          --config <file.conf>       extra HOCON, layered over hocon/zarr-actors.conf
          --max-value-bytes <n>      the largest value accepted (default 536870912)
          --help                     this text
        """;

    /// <summary>The options, or a one-line error naming the option and what is wrong with it.</summary>
    public static (CommandLine? Options, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (args.Count > 0 && args[0] == "bench")
        {
            return (new CommandLine { BenchArguments = args.Skip(1).ToArray() }, null);
        }

        var options = new CommandLine { Token = NullIfEmpty(environment(TokenVariable)) };
        var seeds = new List<string>();
        var dataGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new OptionException($"{arg} needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--http":
                        var (host, port) = ParseEndpoint(arg, Value(), allowZeroPort: true);
                        options = options with { HttpHost = host, HttpPort = port };
                        break;
                    case "--port":
                        options = options with { AkkaPort = ParsePort(arg, Value(), allowZero: true) };
                        break;
                    case "--seed":
                        var seed = Value();
                        var (seedHost, seedPort) = ParseEndpoint(arg, seed, allowZeroPort: false);
                        seeds.Add($"{seedHost}:{seedPort}");
                        break;
                    case "--data":
                        var data = Value();
                        if (string.IsNullOrWhiteSpace(data))
                        {
                            throw new OptionException("--data needs a directory");
                        }

                        options = options with { DataDirectory = data };
                        dataGiven = true;
                        break;
                    case "--memory":
                        options = options with { InMemory = true };
                        break;
                    case "--read-only":
                        options = options with { ReadOnly = true };
                        break;
                    case "--token":
                        var token = Value();
                        options = options with { Token = string.IsNullOrWhiteSpace(token) ? throw new OptionException("--token must not be empty") : token };
                        break;
                    case "--config":
                        var file = Value();
                        if (!File.Exists(file))
                        {
                            throw new OptionException($"--config: no such file '{file}'");
                        }

                        string text;
                        try
                        {
                            text = File.ReadAllText(file);
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            throw new OptionException($"--config: cannot read '{file}': {e.Message}");
                        }

                        try
                        {
                            Akka.Configuration.ConfigurationFactory.ParseString(text);
                        }
                        catch (Exception e)
                        {
                            throw new OptionException($"--config: '{file}' is not valid HOCON: {FirstLine(e.Message)}");
                        }

                        options = options with { ConfigFile = Path.GetFullPath(file), ExtraConfig = text };
                        break;
                    case "--max-value-bytes":
                        var size = Value();
                        options = options with
                        {
                            MaxValueBytes = long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is > 0 and <= int.MaxValue
                                ? bytes
                                : throw new OptionException($"--max-value-bytes: '{size}' is not a size between 1 and {int.MaxValue} bytes"),
                        };
                        break;
                    case "--help" or "-h":
                        options = options with { Help = true };
                        break;
                    default:
                        throw new OptionException(arg.StartsWith('-') ? $"unknown option {arg} (see --help)" : $"unexpected argument '{arg}' (see --help)");
                }
            }
            catch (OptionException e)
            {
                return (null, e.Message);
            }
        }

        if (options.InMemory && dataGiven)
        {
            return (null, "--memory and --data contradict each other: choose one");
        }

        return (options with { Seeds = seeds }, null);
    }

    private static (string Host, int Port) ParseEndpoint(string option, string value, bool allowZeroPort)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw new OptionException($"{option}: '{value}' is not host:port");
        }

        var host = value[..colon].Trim('[', ']');
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown && !IPAddress.TryParse(host, out _))
        {
            throw new OptionException($"{option}: '{host}' is not a host name or address");
        }

        return (host, ParsePort(option, value[(colon + 1)..], allowZeroPort));
    }

    private static int ParsePort(string option, string value, bool allowZero) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 && (port > 0 || allowZero)
            ? port
            : throw new OptionException($"{option}: '{value}' is not a port (1-65535{(allowZero ? ", or 0 for any free one" : string.Empty)})");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private sealed class OptionException(string message) : Exception(message);
}
