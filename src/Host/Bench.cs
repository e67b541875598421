namespace Zarr.Actors.Host;

/// <summary>The benchmarks (see the README's Performance section).</summary>
public static class Bench
{
    public static Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        Console.Error.WriteLine("error: bench is not built yet");
        return Task.FromResult(2);
    }
}
