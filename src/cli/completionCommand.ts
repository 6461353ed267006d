import { Argument, type Command } from 'commander';
import type { Io } from './program.js';

/**
 * `rtlake completion bash|zsh|fish`: a completion script made from the program's own commands and
 * flags, so it never falls out of step. Install: `rtlake completion bash > ~/.local/share/bash-completion/completions/rtlake`,
 * `rtlake completion zsh > "${fpath[1]}/_rtlake"`, `rtlake completion fish > ~/.config/fish/completions/rtlake.fish`.
 */

export const shells = ['bash', 'zsh', 'fish'] as const;

interface Node {
  path: string[];
  command: Command;
}

function nodes(program: Command): Node[] {
  const out: Node[] = [{ path: [], command: program }];
  const walk = (c: Command, path: string[]) => {
    for (const sub of c.commands) {
      out.push({ path: [...path, sub.name()], command: sub });
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

const longFlags = (c: Command) => c.options.flatMap((o) => (o.long && !o.hidden ? [o.long] : []));
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function bashScript(program: Command): string {
  const cases = nodes(program)
    .map(({ path, command }) => {
      const words = [...command.commands.map((c) => c.name()), ...longFlags(command)];
      return `    ${sq(path.join(' '))}) words=${sq(words.join(' '))} ;;`;
    })
    .join('\n');
  const known = nodes(program)
    .map((n) => sq(n.path.join(' ')))
    .join(' ');
  return `# rtlake completion for bash (rtlake completion bash)
_rtlake() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w i words candidate k
  local known=(${known})
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    candidate="\${path:+$path }$w"
    for k in "\${known[@]}"; do [[ "$k" == "$candidate" ]] && path="$candidate" && break; done
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 && "$cur" != -* ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _rtlake rtlake
`;
}

export function zshScript(program: Command): string {
  return `#compdef rtlake
# rtlake completion for zsh (rtlake completion zsh), through zsh's bash completion support
autoload -U +X bashcompinit && bashcompinit
${bashScript(program).replace(/^# .*\n/, '')}`;
}

export function fishScript(program: Command): string {
  const lines = ['# rtlake completion for fish (rtlake completion fish)', 'complete -c rtlake -f'];
  for (const { path, command } of nodes(program)) {
    const cond =
      path.length === 0
        ? '__fish_use_subcommand'
        : path.map((p) => `__fish_seen_subcommand_from ${p}`).join('; and ');
    for (const sub of command.commands) {
      lines.push(
        `complete -c rtlake -n ${sq(cond)} -a ${sq(sub.name())} -d ${sq(sub.description().slice(0, 80))}`,
      );
    }
    if (path.length === 0) continue;
    for (const o of command.options) {
      if (!o.long || o.hidden) continue;
      const takesValue = o.required || o.optional;
      lines.push(
        `complete -c rtlake -n ${sq(cond)} -l ${o.long.slice(2)}${takesValue ? ' -r -F' : ''} -d ${sq(o.description.slice(0, 80))}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function registerCompletion(program: Command, io: Io): void {
  program
    .command('completion')
    .description('print a shell completion script: rtlake completion bash|zsh|fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(shells))
    .action(async (shell: (typeof shells)[number]) => {
      const script =
        shell === 'bash' ? bashScript(program) : shell === 'zsh' ? zshScript(program) : fishScript(program);
      await io.stdout(script);
    });
}
