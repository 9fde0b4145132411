/**
 * A compact file-extension → media type table, for the `Content-Type` of
 * multipart file parts. It follows Python's `mimetypes.guess_type` on the
 * common extensions, including how it looks through compression suffixes
 * (`report.tar.gz` is `application/x-tar`, a bare `.gz` is unknown).
 *
 * @module
 */

const TYPES: Record<string, string> = {
  "7z": "application/x-7z-compressed",
  aac: "audio/aac",
  apk: "application/vnd.android.package-archive",
  avi: "video/x-msvideo",
  avif: "image/avif",
  bin: "application/octet-stream",
  bmp: "image/bmp",
  c: "text/x-csrc",
  css: "text/css",
  csv: "text/csv",
  doc: "application/msword",
  docx:
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  eml: "message/rfc822",
  epub: "application/epub+zip",
  exe: "application/octet-stream",
  flac: "audio/flac",
  gif: "image/gif",
  h: "text/x-chdr",
  heic: "image/heic",
  htm: "text/html",
  html: "text/html",
  ico: "image/vnd.microsoft.icon",
  ics: "text/calendar",
  jar: "application/java-archive",
  jpe: "image/jpeg",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  js: "text/javascript",
  json: "application/json",
  jsonld: "application/ld+json",
  m4a: "audio/mp4",
  md: "text/markdown",
  mjs: "text/javascript",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  mpeg: "video/mpeg",
  mpg: "video/mpeg",
  odp: "application/vnd.oasis.opendocument.presentation",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odt: "application/vnd.oasis.opendocument.text",
  oga: "audio/ogg",
  ogg: "audio/ogg",
  ogv: "video/ogg",
  opus: "audio/opus",
  otf: "font/otf",
  pdf: "application/pdf",
  png: "image/png",
  ppt: "application/vnd.ms-powerpoint",
  pptx:
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  py: "text/x-python",
  rar: "application/vnd.rar",
  rtf: "application/rtf",
  sh: "application/x-sh",
  svg: "image/svg+xml",
  tar: "application/x-tar",
  tif: "image/tiff",
  tiff: "image/tiff",
  ttf: "font/ttf",
  txt: "text/plain",
  wasm: "application/wasm",
  wav: "audio/x-wav",
  weba: "audio/webm",
  webm: "video/webm",
  webmanifest: "application/manifest+json",
  webp: "image/webp",
  woff: "font/woff",
  woff2: "font/woff2",
  xhtml: "application/xhtml+xml",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xml: "application/xml",
  zip: "application/zip",
};

/** Suffixes that name a compression, looked through as `mimetypes` does. */
const ENCODING_SUFFIXES = new Set(["gz", "z", "bz2", "xz", "br"]);

/** Shorthand suffixes that stand for two (`.tgz` is `.tar.gz`). */
const SUFFIX_ALIASES: Record<string, string> = {
  svgz: "svg.gz",
  tgz: "tar.gz",
  taz: "tar.gz",
  tz: "tar.gz",
  tbz2: "tar.bz2",
  txz: "tar.xz",
};

/**
 * The media type for a file name, from its extension (case-insensitive), or
 * `null` when the extension is unknown.
 *
 * @param filename A file name or path.
 * @returns The media type, or `null`.
 */
export function guessMediaType(filename: string): string | null {
  let name = filename.slice(filename.lastIndexOf("/") + 1).toLowerCase();
  let ext = extensionOf(name);
  if (ext !== null && ext in SUFFIX_ALIASES) {
    name = name.slice(0, -ext.length) + SUFFIX_ALIASES[ext];
    ext = extensionOf(name);
  }
  while (ext !== null && ENCODING_SUFFIXES.has(ext)) {
    name = name.slice(0, -ext.length - 1);
    ext = extensionOf(name);
  }
  if (ext === null) return null;
  return Object.hasOwn(TYPES, ext) ? TYPES[ext] : null;
}

function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf(".");
  // A leading dot (".bashrc") is a hidden file, not an extension.
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1);
}
