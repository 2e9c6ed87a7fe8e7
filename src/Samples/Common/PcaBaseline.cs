using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace AutoencoderSamples.Common;

/// <summary>
/// PCA through ML.NET's <c>ProjectToPrincipalComponents</c>, plus the reconstruction x̂ = μ + U·z that the
/// transform itself does not offer. U is read back from the fitted transform by projecting the unit vectors
/// (z(eᵢ) − z(0) = row i of U), so the reconstruction uses exactly ML.NET's components.
/// </summary>
internal sealed class PcaBaseline
{
    private readonly ITransformer _model;
    private readonly string _input;
    private readonly float[] _mean;
    private readonly float[][] _basis; // [dimension][rank]

    public const string CodeColumn = "PcaCode";

    private PcaBaseline(ITransformer model, string input, float[] mean, float[][] basis, int rank)
    {
        _model = model;
        _input = input;
        _mean = mean;
        _basis = basis;
        Rank = rank;
    }

    public int Rank { get; }

    public static PcaBaseline Fit(MLContext ml, IDataView train, string column, int rank, int seed)
    {
        var rows = VectorData.Column(train, column);
        int dim = rows[0].Length;
        var model = ml.Transforms.ProjectToPrincipalComponents(CodeColumn, column, rank: rank, overSampling: 60,
            ensureZeroMean: true, seed: seed).Fit(train);

        var mean = new float[dim];
        foreach (var r in rows) for (int j = 0; j < dim; j++) mean[j] += r[j];
        for (int j = 0; j < dim; j++) mean[j] /= rows.Length;

        var probes = new List<float[]> { new float[dim] };
        for (int i = 0; i < dim; i++) { var e = new float[dim]; e[i] = 1; probes.Add(e); }
        var projected = VectorData.Column(model.Transform(VectorData.ToDataView(ml, probes, column, dim)), CodeColumn);
        var basis = new float[dim][];
        for (int i = 0; i < dim; i++) basis[i] = projected[i + 1].Zip(projected[0], (a, b) => a - b).ToArray();
        return new PcaBaseline(model, column, mean, basis, rank);
    }

    /// <summary>Codes of every row of <paramref name="data"/>.</summary>
    public float[][] Encode(IDataView data) => VectorData.Column(_model.Transform(data), CodeColumn);

    /// <summary>x̂ = μ + U·z.</summary>
    public float[] Reconstruct(float[] code)
    {
        var x = (float[])_mean.Clone();
        for (int j = 0; j < x.Length; j++)
            for (int k = 0; k < Rank; k++) x[j] += _basis[j][k] * code[k];
        return x;
    }
}
