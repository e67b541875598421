using Zarr.Actors.Host;

namespace Zarr.Actors.Host.Tests;

public sealed class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact(DisplayName = "With no options the node serves 127.0.0.1:8080 from ./data on Akka port 4053")]
    public void Defaults()
    {
        var (options, error) = CommandLine.Parse([], NoEnvironment);
        Assert.Null(error);
        Assert.Equal("http://127.0.0.1:8080", options!.HttpUrl);
        Assert.Equal(4053, options.AkkaPort);
        Assert.Equal("./data", options.DataDirectory);
        Assert.False(options.InMemory);
        Assert.Empty(options.Seeds);
        Assert.Null(options.Token);
        Assert.Equal(512L * 1024 * 1024, options.MaxValueBytes);
    }

    [Fact(DisplayName = "Every option is read")]
    public void AllOptions()
    {
        var config = Path.GetTempFileName();
        File.WriteAllText(config, "akka.loglevel = INFO");
        try
        {
            var (options, error) = CommandLine.Parse(
                ["--http", "0.0.0.0:9000", "--port", "4100", "--seed", "10.0.0.1:4053", "--seed", "node-b:4053", "--memory", "--read-only",
                 "--token", "t0k", "--config", config, "--max-value-bytes", "1048576"], NoEnvironment);
            Assert.Null(error);
            Assert.Equal("http://0.0.0.0:9000", options!.HttpUrl);
            Assert.Equal(4100, options.AkkaPort);
            Assert.Equal(["10.0.0.1:4053", "node-b:4053"], options.Seeds);
            Assert.True(options.InMemory);
            Assert.True(options.ReadOnly);
            Assert.Equal("t0k", options.Token);
            Assert.Equal("akka.loglevel = INFO", options.ExtraConfig);
            Assert.Equal(1048576, options.MaxValueBytes);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact(DisplayName = "The token can come from ZARR_ACTORS_TOKEN, and --token wins over it")]
    public void TokenFromEnvironment()
    {
        Assert.Equal("from-env", CommandLine.Parse([], name => name == "ZARR_ACTORS_TOKEN" ? "from-env" : null).Options!.Token);
        Assert.Equal("flag", CommandLine.Parse(["--token", "flag"], _ => "from-env").Options!.Token);
    }

    [Theory(DisplayName = "Invalid options give one line naming the option")]
    [InlineData(new[] { "--bogus" }, "--bogus")]
    [InlineData(new[] { "stray" }, "stray")]
    [InlineData(new[] { "--http" }, "--http needs a value")]
    [InlineData(new[] { "--http", "localhost" }, "--http")]
    [InlineData(new[] { "--http", "127.0.0.1:99999" }, "--http")]
    [InlineData(new[] { "--port", "-1" }, "--port")]
    [InlineData(new[] { "--port", "http" }, "--port")]
    [InlineData(new[] { "--seed", "host:0" }, "--seed")]
    [InlineData(new[] { "--seed", "--memory" }, "--seed needs a value")]
    [InlineData(new[] { "--max-value-bytes", "0" }, "--max-value-bytes")]
    [InlineData(new[] { "--max-value-bytes", "lots" }, "--max-value-bytes")]
    [InlineData(new[] { "--config", "/no/such/file.conf" }, "--config")]
    [InlineData(new[] { "--memory", "--data", "/tmp/x" }, "--memory and --data")]
    [InlineData(new[] { "--token", "" }, "--token")]
    public void InvalidOptions(string[] args, string named)
    {
        var (options, error) = CommandLine.Parse(args, NoEnvironment);
        Assert.Null(options);
        Assert.Contains(named, error);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact(DisplayName = "A config file Akka cannot read is refused up front")]
    public void InvalidConfig()
    {
        var config = Path.GetTempFileName();
        // Akka's parser forgives unclosed braces; an unresolved substitution it refuses.
        File.WriteAllText(config, "akka.loglevel = ${nowhere.to.be.found}");
        try
        {
            var (_, error) = CommandLine.Parse(["--config", config], NoEnvironment);
            Assert.Contains("not valid HOCON", error);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact(DisplayName = "bench takes the rest of the arguments as its own")]
    public void BenchVerb()
    {
        var (options, _) = CommandLine.Parse(["bench", "--quick", "--json", "out.json"], NoEnvironment);
        Assert.Equal(["--quick", "--json", "out.json"], options!.BenchArguments);
    }
}
