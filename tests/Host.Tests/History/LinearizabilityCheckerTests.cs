namespace Zarr.Actors.Host.Tests.History;

/// <summary>The checker itself: histories that have a linearization pass, and each known anomaly fails with an explanation.</summary>
public sealed class LinearizabilityCheckerTests
{
    [Fact(DisplayName = "History checker: a sequential history of every operation kind is linearizable")]
    public void SequentialHistory()
    {
        var verdict = new HistoryBuilder()
            .Read(1, 0, 1, null)
            .Write(1, 2, 3, "c1-1", created: true)
            .Read(2, 4, 5, "c1-1")
            .CompareAndSet(2, 6, 7, "c1-1", "c2-1", succeeded: true)
            .CompareAndSet(1, 8, 9, "c1-1", "c1-2", succeeded: false)
            .Write(1, 10, 11, "c1-3", created: false)
            .CompareAndDelete(2, 12, 13, "c2-1", succeeded: false)
            .Delete(2, 14, 15)
            .CompareAndDelete(1, 16, 17, "c1-3", succeeded: false)
            .SetIfAbsent(1, 18, 19, "c1-4", succeeded: true)
            .SetIfAbsent(2, 20, 21, "c2-2", succeeded: false)
            .CompareAndDelete(2, 22, 23, "c1-4", succeeded: true)
            .Read(1, 24, 25, null)
            .Check();
        Assert.True(verdict.Linearizable, verdict.Explanation);
        Assert.Equal(13, verdict.Operations);
    }

    [Fact(DisplayName = "History checker: overlapping operations may take effect in any order within their intervals")]
    public void ConcurrentOverlaps()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 100, "c1-1", created: true)
            .Read(2, 10, 20, null)
            .Read(3, 30, 40, "c1-1")
            .Write(2, 50, 150, "c2-1", created: false)
            .Read(3, 60, 70, "c1-1")
            .CompareAndSet(4, 55, 160, "c1-1", "c4-1", succeeded: true)
            .Read(1, 170, 180, "c2-1")
            .SetIfAbsent(3, 165, 200, "c3-1", succeeded: false)
            .Check();
        Assert.True(verdict.Linearizable, verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: an unanswered write that took effect, seen by a later read, is linearizable")]
    public void IndeterminateWriteThatHappened()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 2, null, "c2-1")
            .Read(3, 3, 4, "c1-1")
            .Read(3, 500, 501, "c2-1")
            .CompareAndSet(3, 502, null, "c2-1", "c3-1")
            .Read(1, 600, 601, "c3-1")
            .Check();
        Assert.True(verdict.Linearizable, verdict.Explanation);
        Assert.Equal(2, verdict.Indeterminate);
    }

    [Fact(DisplayName = "History checker: unanswered writes, deletes and reads that never took effect are linearizable")]
    public void IndeterminateOperationsThatDidNotHappen()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 2, null, "c2-1")
            .Delete(3, 3, null)
            .SetIfAbsent(4, 4, null, "c4-1")
            .CompareAndSet(5, 5, null, "c1-1", "c5-1")
            .Read(6, 6, null, "no such value")
            .Read(1, 100, 101, "c1-1")
            .Write(1, 102, 103, "c1-2", created: false)
            .Read(2, 104, 105, "c1-2")
            .Check();
        Assert.True(verdict.Linearizable, verdict.Explanation);
        Assert.Equal(8, verdict.Operations);
    }

    [Fact(DisplayName = "History checker: an unanswered set-if-absent may have lost, and a failed compare-and-set may see it")]
    public void IndeterminateConditionalWrites()
    {
        var verdict = new HistoryBuilder()
            .SetIfAbsent(1, 0, 10, "c1-1", succeeded: true)
            .SetIfAbsent(2, 1, null, "c2-1")
            .Read(3, 20, 21, "c1-1")
            // Only the unanswered write below can explain the 412 of the compare-and-set after it.
            .Write(2, 30, null, "c2-2")
            .CompareAndSet(3, 40, 41, "c1-1", "c3-1", succeeded: false)
            .Check();
        Assert.True(verdict.Linearizable, verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: a stale read fails, and the explanation names the key, the read and the state")]
    public void StaleRead()
    {
        var verdict = new HistoryBuilder("g/p1/k0")
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 2, 3, "c2-1", created: false)
            .Read(3, 4, 5, "c1-1")
            .Check();
        Assert.False(verdict.Linearizable);
        Assert.Contains("key \"g/p1/k0\"", verdict.Explanation);
        Assert.Contains("#2 client 3 read => \"c1-1\"", verdict.Explanation);
        Assert.Contains("while the key is \"c2-1\"", verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: two set-if-absent winners fail")]
    public void TwoSetIfAbsentWinners()
    {
        var verdict = new HistoryBuilder()
            .SetIfAbsent(1, 0, 10, "c1-1", succeeded: true)
            .SetIfAbsent(2, 1, 11, "c2-1", succeeded: true)
            .Check();
        Assert.False(verdict.Linearizable);
        Assert.Contains("set-if-absent", verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: two compare-and-sets on one tag that both succeed fail (a lost update)")]
    public void LostCompareAndSet()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Read(2, 2, 3, "c1-1")
            .Read(3, 2, 3, "c1-1")
            .CompareAndSet(2, 10, 20, "c1-1", "c2-1", succeeded: true)
            .CompareAndSet(3, 11, 21, "c1-1", "c3-1", succeeded: true)
            .Check();
        Assert.False(verdict.Linearizable);
        Assert.Contains("cas \"c1-1\"", verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: a read of a value nobody wrote fails")]
    public void ReadOfValueNeverWritten()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Read(2, 2, 3, "c9-9")
            .Check();
        Assert.False(verdict.Linearizable);
        Assert.Contains("\"c9-9\"", verdict.Explanation);
    }

    [Fact(DisplayName = "History checker: an acknowledged write that a later read does not see fails")]
    public void AcknowledgedWriteNeverVisible()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 5, 6, "c2-1", created: false)
            .Read(3, 7, 8, "c1-1")
            .Read(3, 9, 10, null)
            .Check();
        Assert.False(verdict.Linearizable);

        var lost = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Read(2, 2, 3, null)
            .Check();
        Assert.False(lost.Linearizable);
    }

    [Fact(DisplayName = "History checker: a write answered 201 created on a key that held a value fails")]
    public void CreatedOverAValue()
    {
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 2, 3, "c2-1", created: true)
            .Check();
        Assert.False(verdict.Linearizable);
    }

    [Fact(DisplayName = "History checker: two nodes that each serve their own copy of a key (two owners) fail")]
    public void TwoOwnersDiverge()
    {
        // Nodes a and b both own the key: each takes writes the other never sees.
        var verdict = new HistoryBuilder()
            .Write(1, 0, 1, "c1-1", created: true)
            .Write(2, 2, 3, "c2-1", created: true)
            .Read(1, 4, 5, "c1-1")
            .Read(2, 4, 5, "c2-1")
            .Check();
        Assert.False(verdict.Linearizable);
    }

    [Fact(DisplayName = "History checker: sixty unanswered writes nobody read still give a definite verdict")]
    public void ManyIndeterminateWrites()
    {
        var history = new HistoryBuilder().Write(0, 0, 1, "c0-0", created: true);
        for (var i = 0; i < 60; i++)
        {
            history.Write(1 + i, 2 + i, null, $"c{1 + i}-0");
        }

        history.Write(0, 100, 101, "c0-1").Read(0, 102, 103, "c0-0");
        var verdict = history.Check();
        Assert.False(verdict.Linearizable);
        Assert.True(verdict.Configurations < 100_000, $"{verdict.Configurations} configurations");
    }

    [Fact(DisplayName = "History checker: a simulated register's history of 400 concurrent operations is linearizable, found without a blow-up")]
    public void SimulatedRegister()
    {
        var ops = SimulatedHistory.Generate(seed: 7, count: 400, clients: 10);
        var verdict = LinearizabilityChecker.CheckKey("sim/k", ops);
        Assert.True(verdict.Linearizable, verdict.Explanation);
        Assert.True(verdict.Indeterminate > 5, $"{verdict.Indeterminate} indeterminate operations");
        Assert.True(verdict.Configurations < 50 * verdict.Operations, $"{verdict.Configurations} configurations for {verdict.Operations} operations");

        // The same history with one acknowledged write that the register never applied is caught.
        var broken = SimulatedHistory.Generate(seed: 7, count: 400, clients: 10, loseWrite: 200);
        Assert.False(LinearizabilityChecker.CheckKey("sim/k", broken).Linearizable);
    }

    [Fact(DisplayName = "History checker: on 5,000 small random histories, good and corrupted, it agrees with an exhaustive search")]
    public void AgreesWithExhaustiveSearch()
    {
        var random = new Random(5);
        var refuted = 0;
        for (var seed = 0; seed < 5_000; seed++)
        {
            var ops = SimulatedHistory.Generate(seed, count: 4 + seed % 5, clients: 2 + seed % 3, unanswered: seed % 2 == 0 ? 0 : 0.25).ToList();
            var k = random.Next(ops.Count);
            var op = ops[k];
            // Corrupt one answer, where the kind allows it (the history may stay linearizable).
            ops[k] = random.Next(4) switch
            {
                0 when op.Kind == OperationKind.Read => op with { Value = op.Value is null ? "c0-1" : null },
                1 when op is { Outcome: not OperationOutcome.Indeterminate, Kind: OperationKind.CompareAndSet or OperationKind.SetIfAbsent } =>
                    op with { Outcome = op.Outcome == OperationOutcome.Ok ? OperationOutcome.PreconditionFailed : OperationOutcome.Ok },
                2 when op is { Kind: OperationKind.Write, Created: { } created } => op with { Created = !created },
                _ => op,
            };
            var expected = ExhaustiveSearch(ops);
            refuted += expected ? 0 : 1;
            var verdict = LinearizabilityChecker.CheckKey("sim/k", ops);
            Assert.True(expected == verdict.Linearizable, $"seed {seed}: exhaustive search says {expected}\n{string.Join('\n', ops)}\n{verdict.Explanation}");
        }

        Assert.InRange(refuted, 500, 2_000);
    }

    [Fact(DisplayName = "History checker: keys are checked independently and each gets its own verdict")]
    public void PerKeyVerdicts()
    {
        var good = new HistoryBuilder("a/k").Write(1, 0, 1, "c1-1").Read(1, 2, 3, "c1-1").Operations;
        var bad = new HistoryBuilder("b/k").Write(1, 0, 1, "c1-2").Read(1, 2, 3, null).Operations;
        var verdicts = LinearizabilityChecker.Check(good.Concat(bad));
        Assert.Equal(["a/k", "b/k"], verdicts.Select(v => v.Key));
        Assert.True(verdicts[0].Linearizable);
        Assert.False(verdicts[1].Linearizable);
    }

    /// <summary>Every order of every answered operation (and any unanswered one), as the definition says: slow and obviously right.</summary>
    private static bool ExhaustiveSearch(IReadOnlyList<Operation> history)
    {
        var ops = history.Where(o => o.Kind != OperationKind.Read || o.Outcome != OperationOutcome.Indeterminate).ToList();
        var model = new RegisterModel(ops);
        var used = new bool[ops.Count];
        return Extend(RegisterModel.Absent);

        bool Extend(int state)
        {
            if (Enumerable.Range(0, ops.Count).All(i => used[i] || ops[i].Outcome == OperationOutcome.Indeterminate))
            {
                return true;
            }

            for (var i = 0; i < ops.Count; i++)
            {
                var mayGo = !used[i] && Enumerable.Range(0, ops.Count).All(j => used[j] || j == i || ops[j].Completed is not { } done || done >= ops[i].Invoked);
                if (mayGo && RegisterModel.Apply(model.Prepare(ops[i]), state, out var next))
                {
                    used[i] = true;
                    var found = Extend(next);
                    used[i] = false;
                    if (found)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
