#!/usr/bin/env bash
# Portability check (README "Beyond one machine"): .NET trains an encoder and writes encoder.onnx + its codes for 1,000
# MNIST test rows; ONNX Runtime for Node (npm package onnxruntime-node) recomputes the codes and must agree within 1e-5.
# Usage: benchmarks/portability/run.sh [--data DIR]     (needs node and npm; .ci/run calls it when they are present)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet run --project "$root/benchmarks/Microsoft.ML.Autoencoders.Benchmarks" -c Release -- --portability "$work" "$@"
# The package's own binaries cover linux/win32/darwin; its install script only fetches optional GPU providers, so skip it.
if ! (cd "$here" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null); then
  echo "portability check NOT RUN: 'npm install onnxruntime-node' failed (no package registry?)"; exit 3
fi
node "$here/check-encoder.mjs" "$work" 1e-5
