// qr-y4m.mjs — turns the server's QR PNG (libpng: 8-bit or 1-bit grayscale,
// non-interlaced) into a Y4M video that Chromium's fake camera plays
// (--use-file-for-fake-video-capture). PNG decoded here with node:zlib.
import zlib from 'node:zlib';
import fs from 'node:fs';

export function decodeGrayPng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8; let w = 0; let h = 0; let depth = 0; let ctype = 0; const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off); const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); depth = data[8]; ctype = data[9]; if (data[12]) throw new Error('interlaced'); }
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') break;
    off += 12 + len;
  }
  if (ctype !== 0 || ![1, 8].includes(depth)) throw new Error(`unsupported PNG (type ${ctype}, depth ${depth})`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = Math.ceil((w * depth) / 8); const bpp = 1;
  const out = new Uint8Array(w * h); let prev = new Uint8Array(stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)]; const line = Uint8Array.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0; const b = prev[i]; const c = i >= bpp ? prev[i - bpp] : 0;
      let p = 0;
      if (f === 1) p = a; else if (f === 2) p = b; else if (f === 3) p = (a + b) >> 1;
      else if (f === 4) { const pa = Math.abs(b - c); const pb = Math.abs(a - c); const pc = Math.abs(a + b - 2 * c); p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      line[i] = (line[i] + p) & 255;
    }
    for (let x = 0; x < w; x++) out[y * w + x] = depth === 8 ? line[x] : ((line[x >> 3] >> (7 - (x & 7))) & 1) * 255;
    prev = line;
  }
  return { w, h, pixels: out };
}

/** Writes a Y4M (640x480, 4:2:0, a few identical frames) with the QR centred,
 *  scaled to fit 400 px, on white. */
export function pngToY4m(pngFile, y4mFile, { W = 640, H = 480, frames = 5 } = {}) {
  const { w, h, pixels } = decodeGrayPng(fs.readFileSync(pngFile));
  const size = Math.min(400, H - 40); const x0 = (W - size) >> 1; const y0 = (H - size) >> 1;
  const Y = Buffer.alloc(W * H, 235);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const sx = Math.floor((x * w) / size); const sy = Math.floor((y * h) / size);
    Y[(y0 + y) * W + x0 + x] = pixels[sy * w + sx] > 127 ? 235 : 16;
  }
  const UV = Buffer.alloc((W / 2) * (H / 2), 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), Y, UV, UV);
  fs.writeFileSync(y4mFile, Buffer.concat(parts));
}
