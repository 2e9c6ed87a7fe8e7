// A small MNIST image folder for `image-search --images` / `sweep-images --images`: N random training digits per class
// (seeded), written as 28x28 grey BMP files under OUT/<digit>/ — the same format as fashion-mnist-folder.js.
// Usage: node mnist-folder.js MNIST_DIR OUT 100 1   (MNIST_DIR holds train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])
const fs = require('fs'), path = require('path'), writeGreyBmp = require('./grey-bmp'), zlib = require('zlib');
const [,, mnistDir, out, perClass, seedArg] = process.argv;
let seed = BigInt(seedArg || 1);
// An exact LCG (BigInt: seed × 1103515245 needs more than a double's 53 bits).
const rand = () => { seed = (seed * 1103515245n + 12345n) % 2147483648n; return Number(seed) / 2147483648; };
const read = name => {
  for (const file of [name, name + '.gz']) {
    const p = path.join(mnistDir, file);
    if (fs.existsSync(p)) return file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(p)) : fs.readFileSync(p);
  }
  throw new Error(`${name}(.gz) not found in ${mnistDir}`);
};
const images = read('train-images-idx3-ubyte'), labels = read('train-labels-idx1-ubyte');
const count = images.readUInt32BE(4);
for (let c = 0; c < 10; c++) {
  const ofClass = [];
  for (let i = 0; i < count; i++) if (labels[8 + i] === c) ofClass.push(i);
  const dir = path.join(out, String(c)); fs.mkdirSync(dir, { recursive: true });
  const picked = new Set();
  while (picked.size < Number(perClass)) picked.add(ofClass[Math.floor(rand() * ofClass.length)]);
  for (const i of picked) writeGreyBmp(path.join(dir, `${i}.bmp`), images.subarray(16 + i * 784, 16 + (i + 1) * 784), 28, 28);
}
