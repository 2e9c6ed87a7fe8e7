namespace AutoencoderBenchmarks;

/// <summary>One measured figure beside its reference, both measured in the same run.</summary>
internal sealed record BenchmarkRow(string Figure, double Value, string Reference, double ReferenceValue, string Target, double Ratio);
