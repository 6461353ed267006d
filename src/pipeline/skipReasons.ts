/**
 * Why a key was not loaded. Codes are stable (they appear in --json); the detail says more.
 */
export const skipReasons = {
  empty: 'the object or file is empty (0 bytes or only whitespace)',
  too_large: 'larger than --max-object-size; raise the bound if this is really a feed snapshot',
  corrupt_gzip: 'gzip data is corrupt or truncated',
  invalid_json: 'not valid JSON (truncated or malformed)',
  not_utf8: 'contains bytes that are not UTF-8',
  not_a_feed: 'valid JSON but not a GTFS-realtime feed (no header)',
  no_entity_list: 'a feed without an entity list (entity missing or null)',
  feed_not_selected:
    'a GTFS-realtime feed of a kind --feed did not select (the detail names it); add --feed trip_updates, alerts or all',
  corrupt_protobuf: 'a GTFS-realtime protobuf feed whose bytes are damaged',
  truncated_protobuf: 'a GTFS-realtime protobuf feed that ends early (cut during upload or download)',
  wrong_shape: 'a feed whose fields have the wrong JSON types (e.g. entity is not a list)',
  duplicate_key:
    'another source has an object with the same key (lineage must be unique); the first source listed wins',
  vanished: 'listed, but deleted before it could be fetched (HTTP 404)',
  archived:
    'in an archive storage class (GLACIER/DEEP_ARCHIVE); restore it first: aws s3api restore-object --bucket B --key K --restore-request Days=7',
} as const;

export type SkipReason = keyof typeof skipReasons;

export interface SkippedKey {
  key: string;
  reason: SkipReason;
  detail: string;
}

export interface FailedKey {
  key: string;
  error: string;
}
