// Draws the extension icon (images/icon.png, 256×256) with no image library: a rounded
// square, three "KEY=value" bars and a magnifying glass, 4×4 supersampled, written as PNG.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const size = 256;
const ss = 4;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');

const bg = [0x12, 0x3b, 0x4a];
const bar = [0x7f, 0xd8, 0xe6];
const key = [0xff, 0xc8, 0x57];
const glass = [0xff, 0xff, 0xff];

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/** The colour at a point of the 256-unit canvas, or null for transparent. */
function shade(x, y) {
  // magnifier: ring centred at (170,166), handle to the lower right
  const d = Math.hypot(x - 168, y - 160);
  if (d >= 34 && d <= 46) return glass;
  const t = ((x - 168) + (y - 160)) / 2;
  const n = Math.abs((x - 168) - (y - 160)) / Math.SQRT2;
  if (t > 36 && t < 80 && n < 10) return glass;
  if (d < 34) return [0x1d, 0x5a, 0x6e];
  // three env lines: a key part and a value part
  for (const [row, keyLen, valLen] of [[72, 52, 70], [112, 38, 44], [152, 46, 20]]) {
    if (roundedRect(x, y, 40, row - 9, 40 + keyLen, row + 9, 9)) return key;
    if (roundedRect(x, y, 52 + keyLen, row - 9, 52 + keyLen + valLen, row + 9, 9)) return bar;
  }
  if (roundedRect(x, y, 8, 8, 248, 248, 44)) return bg;
  return null;
}

const raw = Buffer.alloc((size * 4 + 1) * size);
for (let py = 0; py < size; py++) {
  raw[py * (size * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < size; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < ss; sy++) {
      for (let sx = 0; sx < ss; sx++) {
        const c = shade(px + (sx + 0.5) / ss, py + (sy + 0.5) / ss);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
    }
    const o = py * (size * 4 + 1) + 1 + px * 4;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((a / (ss * ss)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
console.log(`wrote ${out}`);
