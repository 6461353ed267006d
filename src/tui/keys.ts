/**
 * Turns one terminal input event (as Ink's input parser splits stdin) into a key the workbench can
 * match. Ink's useInput drops function keys and Ctrl+Enter, so the app decodes raw events itself.
 */
export interface KeyEvent {
  /** 'a', 'A', '1', ' ', 'up', 'return', 'f5', 'tab', 'escape', … or 'text' for several characters. */
  name: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  /** Printable text this event inserts ('' for control keys). */
  text: string;
}

const csiTilde: Record<string, string> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
  '11': 'f1',
  '12': 'f2',
  '13': 'f3',
  '14': 'f4',
  '15': 'f5',
  '17': 'f6',
  '18': 'f7',
  '19': 'f8',
  '20': 'f9',
  '21': 'f10',
  '23': 'f11',
  '24': 'f12',
};
const csiLetter: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  P: 'f1',
  Q: 'f2',
  R: 'f3',
  S: 'f4',
  Z: 'tab',
  E: 'clear',
};
/** Kitty / fixterms CSI-u code points for keys that are not printable text. */
const csiU: Record<number, string> = {
  9: 'tab',
  13: 'return',
  27: 'escape',
  127: 'backspace',
  8: 'backspace',
};

function key(name: string, mods: Partial<KeyEvent> = {}): KeyEvent {
  return { name, ctrl: false, meta: false, shift: false, text: '', ...mods };
}

function withModifier(name: string, modParam: string | undefined, extra: Partial<KeyEvent> = {}): KeyEvent {
  const m = Math.max(0, Number(modParam ?? '1') - 1);
  return key(name, {
    shift: Boolean(m & 1),
    meta: Boolean(m & 2) || Boolean(m & 8),
    ctrl: Boolean(m & 4),
    ...extra,
  });
}

function fromCodePoint(code: number, modParam: string | undefined): KeyEvent {
  const special = csiU[code];
  if (special) return withModifier(special, modParam);
  const ch = String.fromCodePoint(code);
  const ev = withModifier(ch.toLowerCase() === ch ? ch : ch.toLowerCase(), modParam);
  if (ev.shift && ch.length === 1) ev.name = ch.toUpperCase();
  ev.text = ev.ctrl || ev.meta ? '' : ev.shift ? ch.toUpperCase() : ch;
  return ev;
}

export function decodeKey(raw: string): KeyEvent {
  if (raw === '\r') return key('return');
  if (raw === '\n') return key('j', { ctrl: true }); // Ctrl+J sends LF; Enter sends CR in raw mode
  if (raw === '\t') return key('tab');
  if (raw === '\x7f' || raw === '\b') return key('backspace');
  if (raw === '\x1b' || raw === '\x1b\x1b') return key('escape');
  if (raw === '\x00') return key(' ', { ctrl: true });
  if (raw === '\x1b\r') return key('return', { meta: true });
  let m: RegExpExecArray | null;
  // Kitty keyboard protocol and fixterms: ESC [ code ; mods u
  if ((m = /^\x1b\[(\d+)(?::\d*)*(?:;(\d+)(?::\d+)?)?(?:;[\d:]*)?u$/.exec(raw)))
    return fromCodePoint(Number(m[1]), m[2]);
  // xterm modifyOtherKeys: ESC [ 27 ; mods ; code ~  (Ctrl+Enter is ESC[27;5;13~)
  if ((m = /^\x1b\[27;(\d+);(\d+)~$/.exec(raw))) return fromCodePoint(Number(m[2]), m[1]);
  if ((m = /^\x1b\[(\d+)(?:;(\d+))?~$/.exec(raw))) return withModifier(csiTilde[m[1]!] ?? `unknown`, m[2]);
  if ((m = /^\x1b\[(?:1;(\d+))?([A-HPQRSZ])$/.exec(raw)))
    return withModifier(csiLetter[m[2]!]!, m[1], m[2] === 'Z' ? { shift: true } : {});
  if ((m = /^\x1bO([A-DHFPQRS])$/.exec(raw))) return key(csiLetter[m[1]!]!);
  if (raw === '\x1b[[E') return key('f5');
  if ((m = /^\x1b([^\x1b[O])$/u.exec(raw))) {
    const ch = m[1]!;
    return key(ch.toLowerCase(), { meta: true, shift: /[A-Z]/.test(ch) });
  }
  if (raw.length === 1 && raw.charCodeAt(0) < 0x20) {
    return key(String.fromCharCode(raw.charCodeAt(0) + 96), { ctrl: true });
  }
  if (raw.startsWith('\x1b')) return key('unknown');
  const chars = [...raw];
  if (chars.length === 1) {
    return key(raw, { shift: /[A-Z]/.test(raw), text: raw });
  }
  // Several characters in one event: typed fast or pasted without bracketed paste.
  return key('text', { text: raw.replace(/\r\n?/g, '\n') });
}

/** The id keyBindings matches against: 'ctrl+j', 'shift+up', 'f5', 'a', 'E'. */
export function keyId(ev: KeyEvent): string {
  const parts: string[] = [];
  if (ev.ctrl) parts.push('ctrl');
  if (ev.meta) parts.push('alt');
  const single = [...ev.name].length === 1;
  // For a printable letter the case already says shift.
  if (ev.shift && !(single && !ev.ctrl && !ev.meta)) parts.push('shift');
  parts.push(single && (ev.ctrl || ev.meta) ? ev.name.toLowerCase() : ev.name);
  return parts.join('+');
}

const escapeSequence =
  /^\x1b(?:\[[0-9;:<=>?]*[ -/]*[@-~]|O[@-~]|\[\[[A-E]|[^\x1b[O]|\x1b(?:\[[0-9;:]*[@-~]|O[@-~])?)?/;

/**
 * Splits one input event into keys. Ink hands over a run of input as one event when it arrives in
 * one read (fast typing, `tmux send-keys Tab s`): control characters and escape sequences inside it
 * are keys of their own; runs of printable text stay together.
 */
export function splitKeys(raw: string): string[] {
  if (!/[\x00-\x1f\x7f]/.test(raw) || raw.length === 1) return [raw];
  const out: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\x1b') {
      const m = escapeSequence.exec(raw.slice(i))!;
      const seq = m[0] || c;
      out.push(seq);
      i += seq.length;
    } else if (c < ' ' || c === '\x7f') {
      out.push(c === '\r' && raw[i + 1] === '\n' ? '\r' : c);
      i += c === '\r' && raw[i + 1] === '\n' ? 2 : 1;
    } else {
      let j = i;
      while (j < raw.length && raw[j]! >= ' ' && raw[j] !== '\x7f') j++;
      out.push(raw.slice(i, j));
      i = j;
    }
  }
  return out;
}
