namespace AutoencoderBenchmarks;

/// <summary>One measured figure beside its reference, both measured in the same run; <paramref name="Key"/> names it stably (snake_case) across runs.</summary>
internal sealed record BenchmarkRow(string Key, string Figure, double Value, string Reference, double ReferenceValue, string Target, double Ratio);
