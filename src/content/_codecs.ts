/**
 * Python codec names mapped onto decoders: WHATWG `TextDecoder` where it
 * agrees with Python, and small hand-written decoders where it has none or
 * differs (`latin-1` and `ascii`, which the web treats as windows-1252, and
 * UTF-32). Decoding replaces malformed input with U+FFFD, like Python's
 * `errors="replace"`.
 *
 * @module
 */

/** Bytes in, text out, a piece at a time. */
export interface IncrementalDecoder {
  /** Decode the next bytes; an incomplete trailing sequence is kept back. */
  decode(bytes: Uint8Array): string;
  /** Decode what was kept back (as U+FFFD when incomplete) and reset. */
  flush(): string;
}

type Factory = (fatal: boolean) => IncrementalDecoder;

const web = (label: string, ignoreBOM = false): Factory => (fatal) =>
  new WebDecoder(label, ignoreBOM, fatal);

/** Canonical (Python module) name → decoder factory. */
const CODECS: Record<string, Factory> = {
  utf_8: web("utf-8", true),
  utf_8_sig: web("utf-8"),
  utf_16: (fatal) => new Utf16Decoder(fatal),
  utf_16_le: web("utf-16le", true),
  utf_16_be: web("utf-16be", true),
  utf_32: (fatal) => new Utf32Decoder(null, fatal),
  utf_32_le: (fatal) => new Utf32Decoder(true, fatal),
  utf_32_be: (fatal) => new Utf32Decoder(false, fatal),
  latin_1: () => new SingleByteDecoder(0xff),
  ascii: (fatal) => new SingleByteDecoder(0x7f, fatal),
  cp874: web("windows-874"),
  cp866: web("ibm866"),
  koi8_r: web("koi8-r"),
  koi8_u: web("koi8-u"),
  mac_roman: web("macintosh"),
  mac_cyrillic: web("x-mac-cyrillic"),
  shift_jis: web("shift_jis"),
  cp932: web("shift_jis"),
  euc_jp: web("euc-jp"),
  iso2022_jp: web("iso-2022-jp"),
  gb2312: web("gbk"),
  gbk: web("gbk"),
  gb18030: web("gb18030"),
  big5: web("big5"),
  big5hkscs: web("big5"),
  euc_kr: web("euc-kr"),
  cp949: web("euc-kr"),
};
for (let n = 1250; n <= 1258; n++) CODECS[`cp${n}`] = web(`windows-${n}`);
for (const n of [2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16]) {
  CODECS[`iso8859_${n}`] = web(`iso-8859-${n}`);
}

/** Python's aliases (normalised) → canonical name, for the codecs above. */
const ALIASES: Record<string, string> = {};
const aliasGroups: Record<string, string> = {
  utf_8: "utf8 u8 utf cp65001 utf8_ucs2 utf8_ucs4",
  utf_16: "utf16 u16",
  utf_16_le: "utf_16le unicodelittleunmarked",
  utf_16_be: "utf_16be unicodebigunmarked",
  utf_32: "utf32 u32",
  utf_32_le: "utf_32le",
  utf_32_be: "utf_32be",
  latin_1: "latin1 latin l1 iso8859 iso8859_1 iso_8859_1 iso_8859_1_1987 " +
    "iso_ir_100 cp819 ibm819 csisolatin1 8859",
  ascii: "us_ascii us 646 ansi_x3.4_1968 ansi_x3_4_1968 ansi_x3.4_1986 " +
    "cp367 ibm367 csascii iso646_us iso_646.irv_1991 iso_ir_6",
  cp866: "866 ibm866 csibm866",
  koi8_r: "cskoi8r",
  mac_roman: "macintosh macroman",
  mac_cyrillic: "maccyrillic",
  shift_jis: "shiftjis sjis s_jis csshiftjis",
  cp932: "932 ms932 mskanji ms_kanji",
  euc_jp: "eucjp ujis u_jis",
  iso2022_jp: "iso2022jp iso_2022_jp csiso2022jp",
  gb2312: "chinese euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80 iso_ir_58",
  gbk: "936 cp936 ms936",
  gb18030: "gb18030_2000",
  big5: "big5_tw csbig5",
  big5hkscs: "big5_hkscs hkscs",
  euc_kr: "euckr korean ksc5601 ks_c_5601 ks_c_5601_1987 ksx1001 ks_x_1001",
  cp949: "949 ms949 uhc",
  iso8859_2: "iso_8859_2 iso_8859_2_1987 iso_ir_101 latin2 l2 csisolatin2",
  iso8859_3: "iso_8859_3 iso_8859_3_1988 iso_ir_109 latin3 l3 csisolatin3",
  iso8859_4: "iso_8859_4 iso_8859_4_1988 iso_ir_110 latin4 l4 csisolatin4",
  iso8859_5: "iso_8859_5 iso_8859_5_1988 iso_ir_144 cyrillic " +
    "csisolatincyrillic",
  iso8859_6: "iso_8859_6 iso_8859_6_1987 iso_ir_127 arabic asmo_708 " +
    "ecma_114 csisolatinarabic",
  iso8859_7: "iso_8859_7 iso_8859_7_1987 iso_ir_126 greek greek8 ecma_118 " +
    "elot_928 csisolatingreek",
  iso8859_8: "iso_8859_8 iso_8859_8_1988 iso_ir_138 hebrew csisolatinhebrew",
  iso8859_10: "iso_8859_10 iso_8859_10_1992 iso_ir_157 latin6 l6 " +
    "csisolatin6",
  iso8859_13: "iso_8859_13 latin7 l7",
  iso8859_14: "iso_8859_14 iso_8859_14_1998 iso_ir_199 iso_celtic latin8 l8",
  iso8859_15: "iso_8859_15 latin9 l9",
  iso8859_16: "iso_8859_16 iso_8859_16_2001 iso_ir_226 latin10 l10",
};
for (const [canonical, names] of Object.entries(aliasGroups)) {
  for (const name of names.split(" ")) ALIASES[name] = canonical;
}
for (let n = 1250; n <= 1258; n++) {
  ALIASES[`${n}`] = ALIASES[`windows_${n}`] = `cp${n}`;
}

/**
 * Python's `encodings.normalize_encoding`, lower-cased: runs of characters
 * other than ASCII letters, digits and `.` become one `_`, leading and
 * trailing ones are dropped.
 */
function normalize(name: string): string {
  let out = "";
  let punct = false;
  for (const c of name.toLowerCase()) {
    if (/^[a-z0-9.]$/.test(c)) {
      if (punct && out.length > 0) out += "_";
      out += c;
      punct = false;
    } else if (!/^[\p{L}\p{N}]$/u.test(c)) {
      punct = true;
    }
  }
  return out;
}

/**
 * The canonical codec name (Python's module name, such as `"utf_8"` or
 * `"latin_1"`) for an encoding name, or `null` when it is unknown.
 *
 * @param name An encoding name in any of Python's spellings.
 * @returns The canonical name, or `null`.
 */
export function lookupCodec(name: string): string | null {
  const key = normalize(name);
  const canonical = Object.hasOwn(CODECS, key)
    ? key
    : ALIASES[key] ?? ALIASES[key.replaceAll(".", "_")];
  return canonical !== undefined && Object.hasOwn(CODECS, canonical)
    ? canonical
    : null;
}

/**
 * A new incremental decoder for a canonical codec name from
 * {@linkcode lookupCodec}.
 *
 * @param canonical The canonical name.
 * @param fatal Throw a `TypeError` on malformed input instead of replacing it.
 * @returns The decoder.
 */
export function createDecoder(
  canonical: string,
  fatal = false,
): IncrementalDecoder {
  return CODECS[canonical](fatal);
}

class WebDecoder implements IncrementalDecoder {
  #decoder: TextDecoder;

  constructor(label: string, ignoreBOM: boolean, fatal: boolean) {
    this.#decoder = new TextDecoder(label, { ignoreBOM, fatal });
  }

  decode(bytes: Uint8Array): string {
    return this.#decoder.decode(bytes, { stream: true });
  }

  flush(): string {
    return this.#decoder.decode();
  }
}

/** Latin-1 (every byte is its code point) or ASCII (bytes ≥ 0x80 invalid). */
class SingleByteDecoder implements IncrementalDecoder {
  #max: number;
  #fatal: boolean;

  constructor(max: number, fatal = false) {
    this.#max = max;
    this.#fatal = fatal;
  }

  decode(bytes: Uint8Array): string {
    let out = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      const codes = Array.from(bytes.subarray(i, i + 8192), (b) => {
        if (b <= this.#max) return b;
        if (this.#fatal) throw new TypeError("The encoded data was not valid");
        return 0xfffd;
      });
      out += String.fromCharCode(...codes);
    }
    return out;
  }

  flush(): string {
    return "";
  }
}

/** Python's `utf-16`: the byte order from a BOM (which is dropped), else LE. */
class Utf16Decoder implements IncrementalDecoder {
  #fatal: boolean;
  #inner: IncrementalDecoder | null = null;
  #head: Uint8Array | null = null;

  constructor(fatal: boolean) {
    this.#fatal = fatal;
  }

  decode(bytes: Uint8Array): string {
    if (this.#inner === null) {
      const head = this.#head === null ? bytes : joinBytes(this.#head, bytes);
      if (head.length < 2) {
        this.#head = head.slice();
        return "";
      }
      this.#head = null;
      const be = head[0] === 0xfe && head[1] === 0xff;
      // Without ignoreBOM, TextDecoder drops a BOM of its own byte order.
      this.#inner = new WebDecoder(
        be ? "utf-16be" : "utf-16le",
        false,
        this.#fatal,
      );
      return this.#inner.decode(head);
    }
    return this.#inner.decode(bytes);
  }

  flush(): string {
    if (this.#inner === null) {
      const head = this.#head;
      this.#head = null;
      if (head === null || head.length === 0) return "";
      if (this.#fatal) throw new TypeError("The encoded data was not valid");
      return "\ufffd";
    }
    const out = this.#inner.flush();
    this.#inner = null;
    return out;
  }
}

/**
 * UTF-32, which `TextDecoder` lacks. With `littleEndian` `null` the order
 * comes from a BOM (dropped), else little-endian, as Python's `utf-32`.
 */
class Utf32Decoder implements IncrementalDecoder {
  #littleEndian: boolean | null;
  #auto: boolean;
  #detect: boolean;
  #fatal: boolean;
  #rest: Uint8Array = new Uint8Array(0);

  constructor(littleEndian: boolean | null, fatal: boolean) {
    this.#littleEndian = littleEndian;
    this.#auto = this.#detect = littleEndian === null;
    this.#fatal = fatal;
  }

  decode(bytes: Uint8Array): string {
    const data = this.#rest.length > 0 ? joinBytes(this.#rest, bytes) : bytes;
    const whole = data.length - (data.length % 4);
    let start = 0;
    if (this.#detect && whole >= 4) {
      this.#detect = false;
      const le = data[0] === 0xff && data[1] === 0xfe && data[2] === 0 &&
        data[3] === 0;
      const be = data[0] === 0 && data[1] === 0 && data[2] === 0xfe &&
        data[3] === 0xff;
      this.#littleEndian = !be;
      if (le || be) start = 4;
    }
    const codes: number[] = [];
    let out = "";
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = start; i < whole; i += 4) {
      let code = view.getUint32(i, this.#littleEndian ?? true);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        if (this.#fatal) throw new TypeError("The encoded data was not valid");
        code = 0xfffd;
      }
      codes.push(code);
      if (codes.length >= 8192) {
        out += String.fromCodePoint(...codes);
        codes.length = 0;
      }
    }
    if (codes.length > 0) out += String.fromCodePoint(...codes);
    this.#rest = data.slice(whole);
    return out;
  }

  flush(): string {
    const incomplete = this.#rest.length > 0;
    this.#rest = new Uint8Array(0);
    if (this.#auto) {
      this.#detect = true;
      this.#littleEndian = null;
    }
    if (!incomplete) return "";
    if (this.#fatal) throw new TypeError("The encoded data was not valid");
    return "\ufffd";
  }
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
