import type { CacheIndex } from './cacheIndex.js';

/**
 * The one seam between the stages and the places they read and write: an archive or a lake in a
 * local folder (localStore.ts) or an S3 bucket (src/s3/s3Store.ts). Stages receive stores and never
 * ask which kind they hold; each implementation carries what it needs (client, endpoint, retry
 * policy, retry counter) and translates its own errors into rtlake's.
 */
export interface Store {
  /** As the user wrote it (for messages): s3://bucket/prefix or the folder. */
  readonly uri: string;
  /** True when reading and writing go over the network (it only changes progress labels). */
  readonly remote: boolean;
  /** The last part of the root's name (a file name when the root names one file). */
  readonly name: string;
  /** Transient faults retried so far by every store of the same storage. */
  readonly retries: number;

  /** A store at `rel` under this one; its lineage keys stay those of this store's root. */
  child(rel: string): Store;
  /** What is at the root: a folder (always, for a bucket prefix), one file, or nothing. */
  probeRoot(): Promise<'folder' | 'file' | 'missing'>;
  /** Every object under the root (or under `under` in it), `onPage` hearing of each page as it comes. */
  list(options?: ListOptions): Promise<StoredObject[]>;
  /** An archive object as a local file DuckDB can read (see ReadStart); never throws for one bad key. */
  readToFile(object: StoredObject, cache: FetchCache, signal?: AbortSignal): Promise<ReadStart>;
  /** The object at `rel` as a local file: in place in a folder, else downloaded to `file`. Null: absent. */
  copyToFile(rel: string, file: string): Promise<{ path: string; version?: string } | null>;
  /** Takes the store for writing (a folder: checks it is writable and takes its lock). Returns the release. */
  lockForWriting(): Promise<() => Promise<void>>;
  /** A private folder to write finished files in, from which `publish` can move them in one step. */
  stagingFolder(workDir: string): string;
  /** Whether the store refuses a conditional write that another writer got to first. */
  honoursConditionalWrites(): Promise<boolean>;
  /**
   * Puts a finished local file at `rel` (the root itself when ''), whole or not at all. `replacing`:
   * the version read earlier (null: it did not exist); a store with conditional writes refuses the
   * write with a ConflictError if another writer changed it since.
   */
  publish(file: string, rel: string, options?: PublishOptions): Promise<void>;
  /** Where `rel` is, for messages and summaries: a local path or an s3:// URI. */
  uriOf(rel: string): string;
  /** The s3:// URI of `rel`, which Athena and Glue can point at; null for a local folder. */
  s3Url(rel: string): string | null;
  /** A folder holding this store's objects as local files: the folder itself, or `copy` for a bucket. */
  readableFolder(copy: string): string;
  /** A short stable identity (endpoint, bucket and prefix; or the path), for cache folder names. */
  readonly id: string;
}

export interface ListOptions {
  /** A sub-folder (sub-prefix) of the root, ending in '/'. */
  under?: string;
  /** Stops the listing (and its requests). */
  signal?: AbortSignal;
  /** Each page of objects as it is listed, with the count listed so far. */
  onPage?: (page: StoredObject[], listedSoFar: number) => void;
}

/** One object of a store. */
export interface StoredObject {
  /** Lineage: the S3 key, or for a folder the path relative to its root. */
  key: string;
  /** The path relative to this store's root (or to `under`'s parent, the root). */
  rel: string;
  /** For messages: s3://bucket/key or the local path. */
  uri: string;
  size: number;
  etag?: string;
  storageClass?: string;
  /** The object as a local file, where the store keeps it as one (a folder): read in place. */
  path?: string;
}

export interface PublishOptions {
  replacing?: string | null;
  contentType?: string;
  /** What the object is, for a conflict's message ("partition"). */
  what?: string;
}

/** Where fetched objects are kept between runs, and this run's private folder. */
export interface FetchCache {
  dir: string;
  workDir: string;
  index: CacheIndex;
}

/**
 * What reading an archive object gave. `ready`: a local file whose name already fits its bytes (a
 * cache hit, checked when stored). `bytes`: the object's first bytes and size, to be judged by the
 * fetch stage, and `keep(gzip)` to place it under a name DuckDB reads right (.json or .json.gz).
 * `skipped`/`failed`: the key is accounted for with a reason.
 */
export type ReadStart =
  | { kind: 'ready'; path: string; bytes: number }
  | {
      kind: 'bytes';
      head: Buffer;
      bytes: number;
      /** The name or Content-Encoding says gzip. */
      claimsGzip: boolean;
      keep(gzip: boolean): Promise<string>;
    }
  | { kind: 'skipped'; reason: 'vanished' | 'archived'; detail: string }
  | { kind: 'failed'; error: string };
