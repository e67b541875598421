using System.Diagnostics;
using Zarr.Buffers;

namespace Zarr.Actors.Tests.Disk;

/// <summary>
/// Acknowledged means durable: a writer process is killed with SIGKILL mid-stream, and a new node
/// on the same directory serves every key it acknowledged, whole, and no partial value.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("zarr-crash-");

    [Fact(DisplayName = "Every acknowledged write survives SIGKILL of the writer, over several crashes")]
    public async Task AcknowledgedWritesSurviveKill()
    {
        var acknowledged = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            acknowledged.AddRange(await WriteUntilKilledAsync(round.ToString(), acknowledgements: 150 + 50 * round));
        }

        await using var node = await StoreNode.StartAsync(new StoreNodeOptions { DataDirectory = _directory.FullName });
        var store = node.Store;
        foreach (var key in acknowledged)
        {
            var value = await store.GetAsync(key);
            Assert.True(value is not null, $"acknowledged key {key} is missing after the crash");
            Assert.True(value.Span.SequenceEqual(CrashValue.Of(key)), $"acknowledged key {key} has the wrong bytes");
        }

        // Writes in flight at the kill may or may not be there, but never in part.
        var all = await store.ListAsync().ToListAsync();
        Assert.Superset(acknowledged.ToHashSet(), all.ToHashSet());
        foreach (var key in all.Except(acknowledged))
        {
            Assert.True((await store.GetAsync(key))!.Span.SequenceEqual(CrashValue.Of(key)), $"unacknowledged key {key} is partial");
        }

        // Every prefix has been loaded by the reads above, and loading removes a crash's temporary files.
        Assert.DoesNotContain(Directory.EnumerateFiles(_directory.FullName, "*", SearchOption.AllDirectories),
            path => Path.GetFileName(path).StartsWith(Backends.DiskBackend.TemporaryPrefix, StringComparison.Ordinal));
    }

    private async Task<List<string>> WriteUntilKilledAsync(string round, int acknowledgements)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet", [writer, _directory.FullName, round])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var acknowledged = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (acknowledged.Count < acknowledgements)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"the writer exited early: {await process.StandardError.ReadToEndAsync()}");
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acknowledged.Add(line[4..]);
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL on Unix: no shutdown code runs.
            await process.WaitForExitAsync();
        }

        // Lines the writer printed before it died are acknowledged too.
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                acknowledged.Add(line[4..]);
            }
        }

        return acknowledged;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
