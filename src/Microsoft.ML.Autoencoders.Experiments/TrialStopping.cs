namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// ASHA's stopping rule inside training (Li et al. 2020, "A system for massively parallel hyperparameter tuning"):
/// rungs at epochs r·η^k; at a rung a trial goes on only while its loss is among the best 1/η of all losses recorded
/// at that rung so far (its own included). Trials run one after another, so the decisions are deterministic.
/// </summary>
internal sealed class TrialStopping(int eta, int firstRungEpochs)
{
    private readonly Dictionary<int, List<double>> _rungs = [];

    public void Reset() => _rungs.Clear();

    public Trial ForTrial() => new(this);

    private bool IsRung(int epoch)
    {
        for (long rung = firstRungEpochs; rung <= epoch; rung *= eta)
            if (rung == epoch) return true;
        return false;
    }

    /// <summary>Records a loss at a rung and says whether it is outside the best 1/η there.</summary>
    private bool ShouldStop(int epoch, double loss)
    {
        if (!IsRung(epoch)) return false;
        if (!_rungs.TryGetValue(epoch, out var losses)) _rungs[epoch] = losses = [];
        losses.Add(double.IsFinite(loss) ? loss : double.PositiveInfinity);
        if (losses.Count < eta) return false;
        int kept = (losses.Count + eta - 1) / eta;
        double cut = losses.Order().ElementAt(kept - 1);
        return loss > cut;
    }

    /// <summary>One trial's view: its <see cref="StopWhen"/> and whether it fired.</summary>
    public sealed class Trial(TrialStopping stopping)
    {
        public bool Stopped { get; private set; }

        public bool StopWhen(EpochReport report)
        {
            if (report.Epoch >= report.TotalEpochs) return false;
            Stopped = stopping.ShouldStop(report.Epoch, report.ValidationLoss ?? report.TrainLoss);
            return Stopped;
        }
    }
}
