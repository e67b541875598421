#:project ../src/Zarr.Actors/Zarr.Actors.csproj
// What the data directory's lease costs, measured stand-alone (see NOTES-lease.md):
//   dotnet run -c Release tools/lease-cost.cs [data-directory]
// 1. acquire + release of one shard's lease, and the periodic check of a held one;
// 2. shard start (first message to a new shard: allocation, lease, entity start, reply), through two
//    regions of one node, one with the lease and one without, in alternating rounds;
// 3. a message to an entity whose shard runs, through the same two regions: the lease is not on that path.
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Coordination;
using Zarr.Actors;
using Zarr.Actors.Leases;

var data = args.Length > 0 ? args[0] : Directory.CreateTempSubdirectory("zarr-lease-cost-").FullName;
var system = ActorSystem.Create("cost", NodeConfig.Build(new StoreNodeOptions { SystemName = "cost" }));
var up = new TaskCompletionSource();
Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
Cluster.Get(system).Join(Cluster.Get(system).SelfAddress);
await up.Task;

var plainSettings = ClusterShardingSettings.Create(system);
var leasedSettings = DataDirectoryLease.Apply(system, plainSettings, data, 100);
Console.WriteLine($"data directory {data} ({new DriveInfo(data).DriveFormat})");

// 1. The lease alone.
var lease = LeaseProvider.Get(system).GetLease("cost-shard-alone-1", DataDirectoryLease.ConfigPath, "me");
for (var i = 0; i < 2_000; i++)
{
    await lease.Acquire();
    await lease.Release();
}

const int pairs = 20_000;
var acquire = new Stopwatch();
var release = new Stopwatch();
for (var i = 0; i < pairs; i++)
{
    acquire.Start();
    await lease.Acquire();
    acquire.Stop();
    release.Start();
    await lease.Release();
    release.Stop();
}

await lease.Acquire();
var check = Stopwatch.StartNew();
for (var i = 0; i < pairs; i++)
{
    lease.CheckLease();
}

check.Stop();
await lease.Release();
Console.WriteLine($"acquire {Micro(acquire, pairs)}, release {Micro(release, pairs)}, check of a held lease {Micro(check, pairs)} (mean of {pairs})");

// What a shard's first start on a node adds: sharding creates its lease object, and its lock file may be new.
const int fresh = 2_000;
var create = Stopwatch.StartNew();
var created = new List<Lease>();
for (var i = 0; i < fresh; i++)
{
    created.Add(LeaseProvider.Get(system).GetLease($"cost-shard-fresh-{i}", DataDirectoryLease.ConfigPath, "me"));
}

create.Stop();
var firstAcquire = Stopwatch.StartNew();
foreach (var each in created)
{
    await each.Acquire();
}

firstAcquire.Stop();
foreach (var each in created)
{
    await each.Release();
}

Console.WriteLine($"a new lease object {Micro(create, fresh)}, first acquire (lock file created) {Micro(firstAcquire, fresh)} (mean of {fresh})");

// 2 and 3. Two regions on one node, one entity per shard, so every new id starts a shard.
var extractor = new OneShardPerEntity();
var plain = await ClusterSharding.Get(system).StartAsync("plain", Props.Create<Echo>(), plainSettings, extractor);
var leased = await ClusterSharding.Get(system).StartAsync("leased", Props.Create<Echo>(), leasedSettings, extractor);
await plain.Ask<string>("warm-0");
await leased.Ask<string>("warm-0");

const int rounds = 7;
const int startsPerRound = 200;
var startPlain = new List<double>();
var startLeased = new List<double>();
for (var round = 0; round < rounds; round++)
{
    startPlain.Add(await StartShardsAsync(plain, $"r{round}-", startsPerRound));
    startLeased.Add(await StartShardsAsync(leased, $"r{round}-", startsPerRound));
}

Console.WriteLine($"shard start without lease: median {Median(startPlain):0.0} us [{startPlain.Min():0.0} .. {startPlain.Max():0.0}]");
Console.WriteLine($"shard start with lease:    median {Median(startLeased):0.0} us [{startLeased.Min():0.0} .. {startLeased.Max():0.0}]");

var runningPlain = new List<double>();
var runningLeased = new List<double>();
for (var round = 0; round < rounds; round++)
{
    runningPlain.Add(await AskRunningAsync(plain, $"r{round}-", startsPerRound, 20));
    runningLeased.Add(await AskRunningAsync(leased, $"r{round}-", startsPerRound, 20));
}

Console.WriteLine($"message to a running shard without lease: median {Median(runningPlain):0.00} us [{runningPlain.Min():0.00} .. {runningPlain.Max():0.00}]");
Console.WriteLine($"message to a running shard with lease:    median {Median(runningLeased):0.00} us [{runningLeased.Min():0.00} .. {runningLeased.Max():0.00}]");

await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
return;

static async Task<double> StartShardsAsync(IActorRef region, string prefix, int count)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        await region.Ask<string>($"{prefix}{i}");
    }

    return watch.Elapsed.TotalMicroseconds / count;
}

static async Task<double> AskRunningAsync(IActorRef region, string prefix, int count, int times)
{
    var watch = Stopwatch.StartNew();
    for (var t = 0; t < times; t++)
    {
        for (var i = 0; i < count; i++)
        {
            await region.Ask<string>($"{prefix}{i}");
        }
    }

    return watch.Elapsed.TotalMicroseconds / (count * times);
}

static string Micro(Stopwatch watch, int count) => $"{watch.Elapsed.TotalMicroseconds / count:0.0} us";

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

internal sealed class Echo : ReceiveActor
{
    public Echo() => Receive<string>(message => Sender.Tell(message));
}

internal sealed class OneShardPerEntity : IMessageExtractor
{
    public string EntityId(object message) => (string)message;

    public object EntityMessage(object message) => message;

    public string ShardId(object message) => (string)message;

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
