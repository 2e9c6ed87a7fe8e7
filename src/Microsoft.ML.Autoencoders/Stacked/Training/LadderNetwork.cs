using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>
/// The Ladder network (Rasmus, Valpola, Honkala, Berglund &amp; Raiko, NIPS 2015): one encoder used twice — clean, and
/// corrupted with Gaussian noise at every layer — and a decoder that rebuilds each layer of the clean encoder from the
/// layer above and, through a lateral connection, the corrupted layer itself. Every pre-activation is batch-normalised
/// (the statistics of the mini-batch in training); each layer then adds a bias β (and, at the softmax output, a scale γ)
/// before its activation. The decoder's combinator is the paper's "vanilla" g: per unit
/// μ = a1·σ(a2·u + a3) + a4·u + a5, v = a6·σ(a7·u + a8) + a9·u + a10, ẑ = (z̃ − μ)·v + μ.
/// Layers: 0 is the input; 1 … L − 1 the hidden layers (the last of them the code); L the class logits.
/// </summary>
internal sealed class LadderNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Added to a variance before its square root.</summary>
    public const double Epsilon = 1e-6;

    private readonly ModuleList<Linear> encoder;
    private readonly ModuleList<Linear> decoder;
    private readonly ParameterList beta;
    private readonly Parameter gamma;
    private readonly ParameterList combinator;
    private readonly ActivationFunction[] _activations;

    /// <param name="sizes">Widths of layers 0 … L: input, hidden layers, classes.</param>
    /// <param name="hidden">Activation of the hidden layers below the code.</param>
    /// <param name="code">Activation of the top hidden layer (the code).</param>
    public LadderNetwork(int[] sizes, ActivationFunction hidden, ActivationFunction code) : base(nameof(LadderNetwork))
    {
        if (sizes.Length < 3) throw new ArgumentException("A ladder needs at least one hidden layer.", nameof(sizes));
        Sizes = sizes;
        encoder = new ModuleList<Linear>();
        decoder = new ModuleList<Linear>();
        beta = new ParameterList();
        combinator = new ParameterList();
        for (int l = 1; l < sizes.Length; l++)
        {
            // No bias: batch normalisation removes it; β after the normalisation takes its place.
            encoder.Add(Gaussian(nn.Linear(sizes[l - 1], sizes[l], hasBias: false)));
            decoder.Add(Gaussian(nn.Linear(sizes[l], sizes[l - 1], hasBias: false)));
            beta.Add(new Parameter(zeros(sizes[l])));
        }
        gamma = new Parameter(ones(sizes[^1]));
        for (int l = 0; l < sizes.Length; l++)
        {
            var a = zeros(10, sizes[l]);
            a[1].fill_(1); // a2
            a[6].fill_(1); // a7
            combinator.Add(new Parameter(a));
        }
        _activations = [.. Enumerable.Repeat(hidden, sizes.Length - 3), code];
        RegisterComponents();
    }

    /// <summary>Weights drawn from N(0, 1 / fan-in), as Rasmus et al. initialise them.</summary>
    private static Linear Gaussian(Linear layer)
    {
        using var noGrad = no_grad();
        var w = layer.weight!;
        w.normal_(0, 1 / Math.Sqrt(w.shape[1]));
        return layer;
    }

    /// <summary>Widths of layers 0 … L.</summary>
    public int[] Sizes { get; }

    /// <summary>Index of the output layer (L).</summary>
    public int Top => Sizes.Length - 1;

    /// <summary>The class logits of the clean encoder with the batch's own statistics (validation, and <see cref="nn.Module{T, TResult}.forward"/>).</summary>
    public override Tensor forward(Tensor x) => Clean(x, null).Logits;

    /// <summary>
    /// The clean encoder: the logits, every layer's normalised pre-activation z (z₀ = x), and the mean and standard
    /// deviation each was normalised with — the batch's own, or <paramref name="population"/>'s when given. With
    /// <paramref name="labelled"/> &gt; 0 the first that many rows are labelled and are normalised with their own statistics,
    /// the others with theirs (the statistics returned are the unlabelled rows'), as Rasmus et al. do.
    /// </summary>
    public (Tensor Logits, Tensor[] Z, Tensor[] Mean, Tensor[] Std) Clean(Tensor x, LadderStatistics? population, long labelled = 0)
    {
        var z = new Tensor[Sizes.Length];
        var mean = new Tensor[Sizes.Length];
        var std = new Tensor[Sizes.Length];
        z[0] = x;
        var h = x;
        for (int l = 1; l <= Top; l++)
        {
            var pre = encoder[l - 1].forward(h);
            if (population is not null)
            {
                (mean[l], std[l]) = population.Of(l, pre.device);
                z[l] = (pre - mean[l]) / std[l];
            }
            else (z[l], mean[l], std[l]) = Normalise(pre, labelled);
            h = Activate(l, z[l]);
        }
        return (h, z, mean, std);
    }

    /// <summary>
    /// The corrupted encoder: Gaussian noise of standard deviation <paramref name="noise"/> on the input and on every
    /// normalised pre-activation (labelled and unlabelled rows normalised apart, as in <see cref="Clean"/>).
    /// </summary>
    public (Tensor Logits, Tensor[] Z) Corrupted(Tensor x, double noise, long labelled = 0)
    {
        var z = new Tensor[Sizes.Length];
        z[0] = noise > 0 ? x + noise * randn_like(x) : x;
        var h = z[0];
        for (int l = 1; l <= Top; l++)
        {
            (z[l], _, _) = Normalise(encoder[l - 1].forward(h), labelled);
            if (noise > 0) z[l] = z[l] + noise * randn_like(z[l]);
            h = Activate(l, z[l]);
        }
        return (h, z);
    }

    /// <summary>Batch normalisation of <paramref name="pre"/>, its first <paramref name="labelled"/> rows apart from the rest; the statistics of the rest.</summary>
    private static (Tensor Z, Tensor Mean, Tensor Std) Normalise(Tensor pre, long labelled)
    {
        long rows = pre.shape[0];
        if (labelled <= 0 || labelled >= rows)
        {
            var (m, s) = BatchStatistics(pre);
            return ((pre - m) / s, m, s);
        }
        var labelledPart = pre.narrow(0, 0, labelled);
        var rest = pre.narrow(0, labelled, rows - labelled);
        var (ml, sl) = BatchStatistics(labelledPart);
        var (mu, su) = BatchStatistics(rest);
        return (cat([(labelledPart - ml) / sl, (rest - mu) / su]), mu, su);
    }

    /// <summary>
    /// The decoder, from the top down to layer <paramref name="lowest"/>: ẑ_L from the corrupted softmax output, each lower
    /// ẑ_l from V·ẑ_(l+1) and the corrupted z̃_l. Returns ẑ (entries below <paramref name="lowest"/> stay null).
    /// </summary>
    public Tensor?[] Decode(Tensor[] corrupted, Tensor corruptedLogits, int lowest)
    {
        var zHat = new Tensor?[Sizes.Length];
        for (int l = Top; l >= lowest; l--)
        {
            var u = l == Top ? nn.functional.softmax(corruptedLogits, 1) : decoder[l].forward(zHat[l + 1]!);
            var (m, s) = BatchStatistics(u);
            zHat[l] = Combine(l, corrupted[l], (u - m) / s);
        }
        return zHat;
    }

    /// <summary>The vanilla combinator g(z̃, u) of layer <paramref name="l"/>.</summary>
    private Tensor Combine(int l, Tensor zTilde, Tensor u)
    {
        var a = combinator[l];
        var mu = a[0] * sigmoid(a[1] * u + a[2]) + a[3] * u + a[4];
        var v = a[5] * sigmoid(a[6] * u + a[7]) + a[8] * u + a[9];
        return (zTilde - mu) * v + mu;
    }

    /// <summary>After the normalisation: + β, then the layer's activation (hidden layers) or × γ (the logits).</summary>
    private Tensor Activate(int l, Tensor z) => l == Top ? gamma * (z + beta[l - 1]) : _activations[l - 1].Apply(z + beta[l - 1]);

    /// <summary>Mean and standard deviation of each column of a batch.</summary>
    public static (Tensor Mean, Tensor Std) BatchStatistics(Tensor x) =>
        (x.mean([0]), (x.var(0, unbiased: false) + Epsilon).sqrt());

    /// <summary>The pre-activation of layer <paramref name="l"/> for a batch, below it normalised with <paramref name="population"/>.</summary>
    public Tensor PreActivation(Tensor x, int l, LadderStatistics population)
    {
        var h = x;
        for (int k = 1; k < l; k++)
        {
            var (m, s) = population.Of(k, x.device);
            h = Activate(k, (encoder[k - 1].forward(h) - m) / s);
        }
        return encoder[l - 1].forward(h);
    }

    /// <summary>Layer <paramref name="l"/>'s weights W [out, in] as a managed array.</summary>
    public float[] Weight(int l) => Values(encoder[l - 1].weight!);

    /// <summary>Layer <paramref name="l"/>'s β.</summary>
    public float[] Beta(int l) => Values(beta[l - 1]);

    /// <summary>The output layer's γ.</summary>
    public float[] Gamma() => Values(gamma);

    /// <summary>Starts layer <paramref name="l"/>'s weights from a pretrained layer (its bias is not used: the normalisation removes it).</summary>
    public void InitialiseWeight(int l, float[] weight)
    {
        using var noGrad = no_grad();
        using var values = tensor(weight, encoder[l - 1].weight!.shape);
        encoder[l - 1].weight!.copy_(values);
    }

    private static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().contiguous().data<float>().ToArray();
    }
}

/// <summary>Per-layer mean and standard deviation of the clean encoder's pre-activations over the training rows (layers 1 … L).</summary>
internal sealed class LadderStatistics(float[][] mean, float[][] std)
{
    /// <summary>Per layer l, the mean of its pre-activations (index 0 unused).</summary>
    public float[][] Mean { get; } = mean;

    /// <summary>Per layer l, the standard deviation (with <see cref="LadderNetwork.Epsilon"/>) of its pre-activations.</summary>
    public float[][] Std { get; } = std;

    public (Tensor Mean, Tensor Std) Of(int l, Device device) => (tensor(Mean[l], device: device), tensor(Std[l], device: device));
}
