using Microsoft.ML.Autoencoders.Experiments;

namespace Microsoft.ML.Autoencoders.Tests.Experiments;

/// <summary>Each tuner on a known function: a quadratic bowl in the unit cube whose minimum is off-centre.</summary>
public class TunerTests
{
    private static readonly double[] Minimum = [0.8, 0.15, 0.6, 0.3];
    private static readonly ParameterSpace Space = new ParameterSpace().Float("a", 0, 1).Float("b", 0, 1).Float("c", 0, 1).Float("d", 0, 1);

    private static double Bowl(double[] x) => x.Select((v, i) => (v - Minimum[i]) * (v - Minimum[i])).Sum();

    /// <summary>
    /// Cost (sum of the budgets spent) until a full-budget evaluation reaches <paramref name="target"/>. A partial budget
    /// sees the bowl plus an offset that shrinks with the budget (like an unfinished training), which keeps the order of points.
    /// </summary>
    private static double CostToReach(ITuner tuner, double target, int maxTrials = 3000)
    {
        double cost = 0;
        for (int id = 0; id < maxTrials; id++)
        {
            var p = tuner.Propose(id);
            cost += p.Budget;
            double value = Bowl(p.Point) + 0.3 * (1 - p.Budget);
            tuner.Update(p, value);
            if (p.Budget >= 1 && value < target) return cost;
        }
        return double.PositiveInfinity;
    }

    private static double MeanCost(Func<int, ITuner> create, double target) => Enumerable.Range(1, 8).Average(seed => CostToReach(create(seed), target));

    [Fact]
    public void Random_search_proposes_reproducible_uniform_points()
    {
        var a = new RandomSearchTuner(Space, 3);
        var b = new RandomSearchTuner(Space, 3);
        var points = Enumerable.Range(0, 500).Select(i => a.Propose(i)).ToArray();
        Assert.All(points, p => Assert.Equal(p.Point, b.Propose(p.TrialId).Point));
        Assert.All(points, p => Assert.Equal(1, p.Budget));
        Assert.InRange(points.Average(p => p.Point[0]), 0.45, 0.55);
    }

    [Fact]
    public void Local_search_finds_the_minimum_with_fewer_trials_than_random_search()
    {
        double random = MeanCost(seed => new RandomSearchTuner(Space, seed), 0.01);
        double local = MeanCost(seed => new LocalSearchTuner(Space, seed), 0.01);
        Assert.True(local < random / 2, $"trials to reach 0.01: local search {local:F0}, random {random:F0}");
    }

    [Fact]
    public void Local_search_does_not_stay_near_its_start()
    {
        // A start in a corner far from the minimum: the tuner must walk (or restart) its way there.
        var tuner = new LocalSearchTuner(Space, 5, start: [0.01, 0.99, 0.01, 0.99]);
        Assert.True(CostToReach(tuner, 0.01) < 1000);
    }

    [Fact]
    public void Successive_halving_spends_less_budget_than_random_search_and_promotes_its_best()
    {
        double random = MeanCost(seed => new RandomSearchTuner(Space, seed), 0.02);
        double halving = MeanCost(seed => new SuccessiveHalvingTuner(Space, seed), 0.02);
        Assert.True(halving < random / 2, $"budget spent to reach 0.02: successive halving {halving:F1}, random {random:F1}");

        var tuner = new SuccessiveHalvingTuner(Space, 1, eta: 3, rungs: 3);
        var first = Enumerable.Range(0, 9).Select(i => tuner.Propose(i)).ToArray();
        Assert.All(first, p => Assert.Equal(1.0 / 9, p.Budget, 10));
        foreach (var p in first) tuner.Update(p, Bowl(p.Point));
        var promoted = Enumerable.Range(9, 3).Select(i => tuner.Propose(i)).ToArray();
        Assert.All(promoted, p => Assert.Equal(1.0 / 3, p.Budget, 10));
        Assert.Equal(first.Select(p => p.Point).OrderBy(Bowl).Take(3).Select(Bowl).Order(), promoted.Select(p => Bowl(p.Point)).Order());
    }

    [Fact]
    public void Local_search_and_successive_halving_try_the_declared_defaults_first()
    {
        var space = new ParameterSpace().Float("a", 0, 1).Float("b", 0, 1).Float("c", 0, 1).Float("d", 0, 1)
            .WithDefault("a", 0.8).WithDefault("b", 0.15).WithDefault("c", 0.6).WithDefault("d", 0.3);
        Assert.Equal(space.DefaultPoint(), new LocalSearchTuner(space, 3).Propose(0).Point);
        var halving = new SuccessiveHalvingTuner(space, 3);
        var bracket = Enumerable.Range(0, 9).Select(i => halving.Propose(i)).ToArray();
        Assert.Equal(space.DefaultPoint(), bracket[0].Point);
        Assert.Equal(8, bracket.Skip(1).Select(p => p.Point).Distinct(new PointComparer()).Count(p => !p.SequenceEqual(space.DefaultPoint())));

        // Started at the minimum, both reach it at once; from the centre they need many more evaluations.
        Assert.Equal(1, CostToReach(new LocalSearchTuner(space, 3), 1e-9));
        Assert.True(CostToReach(new LocalSearchTuner(Space, 3), 0.01) > 1);
        var fromDefaults = new SuccessiveHalvingTuner(space, 3);
        var first = Enumerable.Range(0, 9).Select(i => fromDefaults.Propose(i)).ToArray();
        foreach (var p in first) fromDefaults.Update(p, Bowl(p.Point) + 0.3 * (1 - p.Budget));
        Assert.Equal(space.DefaultPoint(), fromDefaults.Propose(9).Point); // the best of its rung: promoted first
    }

    private sealed class PointComparer : IEqualityComparer<double[]>
    {
        public bool Equals(double[]? x, double[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(double[] p) => p.Aggregate(17, (h, v) => h * 31 + v.GetHashCode());
    }
}
