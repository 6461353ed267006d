import { constants, gunzipSync, inflateSync } from 'node:zlib';

/** How a feed file's bytes are to be read, decided by content only (never by name). */
export interface FeedEncoding {
  gzip: boolean;
  format: 'json' | 'protobuf';
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The first bytes of a gzip stream, decompressed as far as `head` reaches (a cut stream is fine:
 * only the beginning is needed). Empty when even that fails: the stream is corrupt from the start.
 */
export function inflatedHead(head: Uint8Array): Buffer {
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    try {
      return inflateSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return Buffer.alloc(0);
    }
  }
}

/**
 * JSON when the first character that is not whitespace (after a UTF-8 byte order mark) opens an
 * object or array: a protobuf FeedMessage never starts with `{` or `[` (field 15 as a group, and
 * field 11 with wire type 3, are not in FeedMessage). Anything else is given to the protobuf decoder,
 * which tells a feed from bytes that are not one.
 */
export function contentFormat(content: Uint8Array): 'json' | 'protobuf' {
  let i = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
  while (
    i < content.length &&
    (content[i] === 0x20 || content[i] === 0x0a || content[i] === 0x0d || content[i] === 0x09)
  )
    i++;
  return content[i] === 0x7b || content[i] === 0x5b ? 'json' : 'protobuf';
}

/** The encoding of a file from its first bytes (a few KiB: enough to see past gzip's header). */
export function sniffEncoding(head: Uint8Array): FeedEncoding {
  const gzip = isGzip(head);
  return { gzip, format: contentFormat(gzip ? inflatedHead(head) : head) };
}
