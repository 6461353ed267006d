import type { Command } from 'commander';
import { resolveConfig } from './config.js';
import {
  addCacheSizeFlag,
  addJsonFlag,
  type CacheSizeFlags,
  type GlobalFlags,
  type JsonFlag,
} from './flags.js';
import type { Io } from './program.js';
import { cacheInfo, cleanCache } from './cacheFiles.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function registerCache(program: Command, io: Io): void {
  const cache = program
    .command('cache')
    .description("the local cache of fetched archive objects and S3 lakes' partitions");
  const info = cache.command('info').description('where the cache is, how big, and its cap');
  const clean = cache.command('clean').description('empty the cache (nothing else is touched)');
  for (const cmd of [info, clean]) {
    cmd.option('--cache-dir <folder>', 'the cache (else $XDG_CACHE_HOME/rtlake or ~/.cache/rtlake)');
    addCacheSizeFlag(cmd);
    addJsonFlag(cmd);
  }
  info.action(async (flags: JsonFlag & GlobalFlags & CacheSizeFlags & { cacheDir?: string }) => {
    const dir = resolveConfig(flags).cacheDir;
    const found = await cacheInfo(dir);
    const summary = { cache_dir: dir, files: found.files, bytes: found.bytes, cap_bytes: flags.cacheMax };
    await io.stdout(
      flags.json
        ? JSON.stringify(summary, null, 2)
        : `${dir}: ${found.files} files, ${mb(found.bytes)} (cap ${mb(flags.cacheMax)}, --cache-max)`,
    );
  });
  clean.action(async (flags: JsonFlag & GlobalFlags & { cacheDir?: string }) => {
    const dir = resolveConfig(flags).cacheDir;
    const removed = await cleanCache(dir);
    const summary = { cache_dir: dir, files_removed: removed.files, bytes_removed: removed.bytes };
    await io.stdout(
      flags.json
        ? JSON.stringify(summary, null, 2)
        : `${dir}: removed ${removed.files} files, ${mb(removed.bytes)}`,
    );
  });
}
