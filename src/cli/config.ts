import { InvalidArgumentError, type Command, type Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import type { DedupeGrain, DedupeRule, Keep } from '../pipeline/dedupeRule.js';
import type { S3Settings } from '../s3/s3Client.js';
import { makeStorage, type Storage } from '../store/openStore.js';
import { collect, defaults, sizeBytes, type S3Flags } from './flags.js';

/**
 * The one place settings are resolved and the one module that reads process.env (the AWS SDK's own
 * credential chain aside). Precedence, per flag: the command line > RTLAKE_<FLAG> > rtlake.toml
 * (the chosen [profiles.NAME], then its top level) > the default written in flags.ts.
 */

/** Read once: the one place rtlake looks at its environment. */
const processEnv = process.env;

/** Whether RTLAKE_DEBUG (or --debug) asks for stack traces. */
export function debugFromEnv(): boolean {
  const text = processEnv.RTLAKE_DEBUG ?? '';
  return text !== '' && !/^(0|false|no|off)$/i.test(text.trim());
}

/** RTLAKE_CACHE_DIR for --cache-dir, as an example: the variable a flag can be set by. */
export function envName(option: Option): string {
  return `RTLAKE_${option.long!.slice(2).toUpperCase().replaceAll('-', '_')}`;
}

const mandatory = new WeakSet<Option>();

/** Marks a flag required; checked after the environment and rtlake.toml have had their say. */
export function required(option: Option): Option {
  mandatory.add(option);
  option.description = `${option.description} (required)`;
  return option;
}

/** Where rtlake.toml is looked for, first found wins. */
export function configFiles(cwd = process.cwd()): string[] {
  const xdg = processEnv.XDG_CONFIG_HOME || join(homedir(), '.config');
  return [join(cwd, 'rtlake.toml'), join(xdg, 'rtlake', 'rtlake.toml')];
}

export interface SettingsFile {
  path: string;
  /** Flag name (kebab-case, as on the command line) -> value. */
  values: Record<string, unknown>;
}

/** Reads the first rtlake.toml found and picks the profile: its keys over the file's top level. */
export function loadSettingsFile(profile: string | undefined, cwd = process.cwd()): SettingsFile | null {
  const path = configFiles(cwd).find((p) => existsSync(p));
  if (!path) {
    if (profile)
      throw new UsageError(
        `--config-profile ${profile}: no rtlake.toml (looked at ${configFiles(cwd).join(', ')})`,
      );
    return null;
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const { profiles, ...top } = doc;
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(top)) values[kebab(k)] = v;
  if (profile) {
    const chosen = (profiles as Record<string, unknown> | undefined)?.[profile];
    if (!chosen || typeof chosen !== 'object') {
      const names = Object.keys((profiles as object | undefined) ?? {});
      throw new UsageError(
        `--config-profile ${profile}: ${path} has no [profiles.${profile}]${names.length ? ` (it has ${names.join(', ')})` : ''}`,
      );
    }
    for (const [k, v] of Object.entries(chosen)) values[kebab(k)] = v;
  }
  return { path, values };
}

const kebab = (key: string) => key.replaceAll('_', '-');

/** Every flag name of every command, to tell a misspelt setting from one another command uses. */
function allFlagNames(program: Command): Set<string> {
  const names = new Set<string>();
  const walk = (c: Command) => {
    for (const o of c.options) if (o.long) names.add(o.long.slice(2).replace(/^no-/, ''));
    c.commands.forEach(walk);
  };
  walk(program);
  return names;
}

/**
 * Fills the flags the command line left unset from RTLAKE_* variables and rtlake.toml, through each
 * flag's own validator, then checks the required ones. Runs before every command's action.
 */
export function applySettings(command: Command, program: Command): void {
  const profileName = command.opts().configProfile ?? processEnv.RTLAKE_CONFIG_PROFILE;
  const file = loadSettingsFile(profileName);
  if (file) {
    const known = allFlagNames(program);
    for (const k of Object.keys(file.values)) {
      if (!known.has(k.replace(/^no-/, '')))
        throw new UsageError(
          `${file.path}: unknown setting "${k}" (settings are flag names, such as cache-dir)`,
        );
    }
  }
  for (const option of command.options) {
    if (!option.long || option.long === '--help' || option.long === '--version') continue;
    const key = option.attributeName();
    if (command.getOptionValueSource(key) === 'cli') continue;
    const name = option.long.slice(2);
    const fromEnv = processEnv[envName(option)];
    if (fromEnv !== undefined && fromEnv !== '') {
      command.setOptionValueWithSource(key, convert(option, fromEnv, `${envName(option)}=${fromEnv}`), 'env');
      continue;
    }
    const plain = option.negate ? name.slice(3) : name;
    const raw = file?.values[name] ?? file?.values[plain];
    if (raw === undefined) continue;
    // `sign-request = false` and `no-sign-request = true` mean the same.
    const value = option.negate && file!.values[name] === undefined ? raw : option.negate ? !raw : raw;
    command.setOptionValueWithSource(
      key,
      convertFileValue(option, value, `${file!.path}: ${name}`),
      'config',
    );
  }
  for (const option of command.options) {
    if (mandatory.has(option) && command.getOptionValue(option.attributeName()) === undefined)
      throw new UsageError(
        `${option.long} is required (or ${envName(option)}, or ${option.long!.slice(2)} in rtlake.toml)`,
      );
  }
}

function parseWith(option: Option, text: string, previous: unknown, where: string): unknown {
  if (!option.parseArg) return text;
  try {
    return option.parseArg(text, previous as never);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new UsageError(`${where}: ${option.long} ${err.message}`);
    throw err;
  }
}

function convert(option: Option, text: string, where: string): unknown {
  if (option.isBoolean()) {
    // Any value but 0/false/no/off switches it on (RTLAKE_DEBUG=2 is on, as it always was).
    const yes = !/^(0|false|no|off)$/i.test(text.trim());
    return option.negate ? !yes : yes;
  }
  if (option.variadic || isRepeatable(option)) {
    let acc: unknown = undefined;
    for (const part of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      acc = parseWith(option, part, acc, where);
    return acc;
  }
  return parseWith(option, text, undefined, where);
}

function convertFileValue(option: Option, value: unknown, where: string): unknown {
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw new UsageError(`${where} must be true or false`);
    return option.negate ? !value : value;
  }
  if (Array.isArray(value)) {
    if (!isRepeatable(option)) throw new UsageError(`${where} takes one value, not a list`);
    let acc: unknown = undefined;
    for (const v of value) acc = parseWith(option, String(v), acc, where);
    return acc;
  }
  if (typeof value === 'object' || value === null)
    throw new UsageError(`${where} must be a string or a number`);
  return parseWith(option, String(value), undefined, where);
}

/** Repeatable flags (--source) take a comma-separated list from the environment. */
function isRepeatable(option: Option): boolean {
  return option.parseArg === (collect as unknown);
}

// ---- resolved config for the stages ----

/** Resolved once at start-up and passed down explicitly. */
export interface ResolvedConfig {
  s3Settings: S3Settings;
  /** Opens archives and lakes; one S3 client (made on first use) and one retry counter per run. */
  storage: Storage;
  concurrency: number;
  cacheDir: string;
}

export function resolveConfig(flags: Partial<S3Flags>, env: NodeJS.ProcessEnv = processEnv): ResolvedConfig {
  const endpoint = flags.endpointUrl ?? flags.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError(`endpoint "${endpoint}" must be an http:// or https:// URL`);
  }
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const s3Settings: S3Settings = {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.signRequest === false ? { signRequest: false } : {}),
    ...(flags.requestPayer ? { requestPayer: flags.requestPayer } : {}),
    maxAttempts: 1, // rtlake retries itself, counting each retry for the summary
  };
  const cacheDir = flags.cacheDir ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rtlake');
  return {
    s3Settings,
    storage: makeStorage({ s3: s3Settings }),
    concurrency: flags.concurrency ?? defaults.concurrency,
    cacheDir,
  };
}

/** Glue's endpoint: --glue-endpoint, else AWS_ENDPOINT_URL_GLUE / AWS_ENDPOINT_URL, else the S3 one. */
export function glueEndpoint(
  flag: string | undefined,
  s3Endpoint: string | undefined,
): { url?: string; borrowed: boolean } {
  const own = flag ?? processEnv.AWS_ENDPOINT_URL_GLUE ?? processEnv.AWS_ENDPOINT_URL;
  const url = own ?? s3Endpoint;
  return { ...(url ? { url } : {}), borrowed: own === undefined && url !== undefined };
}

export function parseLocations(values: string[] | undefined, flag: string): Location[] {
  if (!values || values.length === 0) throw new UsageError(`${flag} is required`);
  return values.map((v) => parseLocation(v, flag));
}

/** --dedupe key|exact and --keep latest|earliest. Exact defaults to earliest, as MBTA's pipeline keeps. */
export function parseRule(flags: { dedupe?: string; keep?: string }): DedupeRule {
  const grain = (flags.dedupe ?? 'key') as DedupeGrain;
  if (grain !== 'key' && grain !== 'exact')
    throw new UsageError(`--dedupe must be key or exact, got "${flags.dedupe}"`);
  const keep = (flags.keep ?? (grain === 'exact' ? 'earliest' : 'latest')) as Keep;
  if (keep !== 'latest' && keep !== 'earliest')
    throw new UsageError(`--keep must be latest or earliest, got "${flags.keep}"`);
  return { grain, keep };
}

/** A size such as 64MiB (flags.ts's parser, as a usage error naming the flag). */
export function parseSize(text: string, flag: string): number {
  try {
    return sizeBytes(text);
  } catch (err) {
    throw new UsageError(`${flag} ${(err as Error).message}`);
  }
}
