/**
 * The font of printed statements: Noto Sans SC (SIL Open Font License) from the npm package
 * @fontsource/noto-sans-sc, its "chinese-simplified" file: 7,333 CJK ideographs (the GB 2312
 * set and more), Latin letters, digits and punctuation, TrueType outlines, 1.5 MB as WOFF. Lambda
 * has no system fonts, so the function ships it: the function definition names it as an asset and
 * CDK copies it into the bundle beside index.mjs (infra/constructs/business-function.ts); run from
 * source (tests, `npm start`) it is read from node_modules. A PDF embeds only the glyphs it uses.
 *
 * fontkit reads WOFF tables by inflating them on every access, which made a one-page statement
 * take ~12 s; the WOFF is unpacked once to a plain TrueType font (~25 ms) and kept for the
 * container's life, and a statement then renders in ~100 ms.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { FunctionAsset } from '../shared/definitions.js';

export const STATEMENT_FONT: FunctionAsset = {
  from: '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff',
  to: 'fonts/noto-sans-sc-chinese-simplified-400-normal.woff',
};

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

/**
 * WOFF 1.0 → the sfnt (TrueType/OpenType) font it wraps: the table directory rebuilt, every
 * table inflated (zlib) where it was compressed, each padded to 4 bytes. Checksums are the
 * original tables', which WOFF keeps.
 */
export function woffToSfnt(woff: Uint8Array): Buffer {
  const b = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (b.length < 44 || b.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 font');
  const flavor = b.readUInt32BE(4);
  const numTables = b.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const tag = b.readUInt32BE(at);
    const offset = b.readUInt32BE(at + 4);
    const compLength = b.readUInt32BE(at + 8);
    const origLength = b.readUInt32BE(at + 12);
    const stored = b.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength) throw new Error(`WOFF table ${i} unpacks to ${data.length} bytes, not ${origLength}`);
    return { tag, checksum: b.readUInt32BE(at + 16), data };
  }).sort((x, y) => x.tag - y.tag);
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + 16 * numTables;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(headerLength + tables.reduce((s, t) => s + padded(t.data.length), 0));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    out.writeUInt32BE(t.tag, at);
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offset);
    offset += padded(t.data.length);
  });
  return out;
}

/** Where the font file is: beside the bundle (deployed), else in node_modules (run from source). */
export function statementFontPath(): string {
  const bundled = new URL(STATEMENT_FONT.to, import.meta.url);
  if (existsSync(bundled)) return fileURLToPath(bundled);
  return createRequire(import.meta.url).resolve(STATEMENT_FONT.from);
}

let cached: Buffer | undefined;

/** The font as a TrueType font, read and unpacked once per container. */
export function statementFont(): Buffer {
  cached ??= woffToSfnt(readFileSync(statementFontPath()));
  return cached;
}
