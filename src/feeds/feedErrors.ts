/** Why a file's bytes are not a readable feed; these become skip reasons (see skipReasons.ts). */
export type FeedFormatReason = 'not_a_feed' | 'corrupt_protobuf' | 'truncated_protobuf' | 'corrupt_gzip';

/**
 * A file that is not a GTFS-realtime feed, or a damaged protobuf one. Thrown by the decoders in
 * src/feeds; the loader turns it into a skipped key with this reason and detail, never a failure.
 */
export class FeedFormatError extends Error {
  constructor(
    readonly reason: FeedFormatReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'FeedFormatError';
  }
}
