// Runs encoder.onnx (written by the benchmarks' --portability mode) in ONNX Runtime for Node on the rows of rows.json,
// one row per call as the model is exported, and checks every code value against the .NET code within a tolerance.
// Usage: node check-encoder.mjs FOLDER [tolerance]   (exit code 1 on a mismatch)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const folder = process.argv[2];
const tolerance = Number(process.argv[3] ?? 1e-5);
if (!folder) { console.error('usage: node check-encoder.mjs FOLDER [tolerance]'); process.exit(2); }

const rows = JSON.parse(readFileSync(join(folder, 'rows.json'), 'utf8'));
const session = await ort.InferenceSession.create(join(folder, 'encoder.onnx'));
let worst = 0, worstRow = -1;
const started = process.hrtime.bigint();
for (let i = 0; i < rows.Inputs.length; i++) {
  const input = new ort.Tensor('float32', Float32Array.from(rows.Inputs[i]), [rows.InputSize]);
  const result = await session.run({ [rows.InputName]: input }, [rows.OutputName]);
  const code = result[rows.OutputName].data;
  if (code.length !== rows.CodeSize) { console.error(`row ${i}: code of ${code.length} values, expected ${rows.CodeSize}`); process.exit(1); }
  for (let j = 0; j < code.length; j++) {
    const difference = Math.abs(code[j] - rows.Codes[i][j]);
    if (difference > worst) { worst = difference; worstRow = i; }
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const verdict = worst <= tolerance ? 'equal' : 'DIFFERENT';
console.log(`Node ${process.version}, onnxruntime-node ${ort.env.versions?.common ?? ''}: ${rows.Inputs.length} rows, ` +
  `largest |code difference| vs .NET ${worst.toExponential(2)} (row ${worstRow}), tolerance ${tolerance}: ${verdict} ` +
  `(${(rows.Inputs.length / seconds).toFixed(0)} rows/s, one row per call).`);
process.exit(worst <= tolerance ? 0 : 1);
