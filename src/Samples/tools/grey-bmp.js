// Writes a grey image (row-major bytes, top row first) as a 24-bit BMP file: a format every image library reads.
const fs = require('fs');
module.exports = function writeGreyBmp(file, pixels, w, h) {
  const row = w * 3 + ((4 - (w * 3) % 4) % 4), size = 54 + row * h;
  const b = Buffer.alloc(size);
  b.write('BM'); b.writeUInt32LE(size, 2); b.writeUInt32LE(54, 10); b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18); b.writeInt32LE(h, 22); b.writeUInt16LE(1, 26); b.writeUInt16LE(24, 28); b.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = pixels[(h - 1 - y) * w + x], o = 54 + y * row + x * 3; b[o] = b[o + 1] = b[o + 2] = v; // BMP rows run bottom-up
  }
  fs.writeFileSync(file, b);
};
