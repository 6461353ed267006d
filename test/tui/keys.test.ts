import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionFor, keysMarkdown, keyBindings } from '../../src/tui/keyBindings.js';
import { routeKey } from '../../src/tui/keyRouter.js';
import { decodeKey, keyId, splitKeys } from '../../src/tui/keys.js';

const id = (raw: string) => keyId(decodeKey(raw));

describe('decodeKey', () => {
  it('tells the run keys apart from Enter', () => {
    expect(id('\x1b[15~')).toBe('f5');
    expect(id('\n')).toBe('ctrl+j');
    expect(id('\r')).toBe('return');
    expect(id('\x1b[13;5u')).toBe('ctrl+return'); // kitty / fixterms
    expect(id('\x1b[27;5;13~')).toBe('ctrl+return'); // xterm modifyOtherKeys
  });
  it('decodes control letters, arrows with modifiers, shift+tab and printable text', () => {
    expect(id('\x03')).toBe('ctrl+c');
    expect(id('\x11')).toBe('ctrl+q');
    expect(id('\x1b[A')).toBe('up');
    expect(id('\x1b[1;2D')).toBe('shift+left');
    expect(id('\x1b[1;5C')).toBe('ctrl+right');
    expect(id('\x1b[Z')).toBe('shift+tab');
    expect(id('\t')).toBe('tab');
    expect(id('\x7f')).toBe('backspace');
    expect(id('E')).toBe('E');
    expect(id('\x1bOP')).toBe('f1');
    expect(decodeKey('select').text).toBe('select');
  });
  it('splits one input event into its keys', () => {
    expect(splitKeys('\ts')).toEqual(['\t', 's']);
    expect(splitKeys('SELECT 1\x1b[15~')).toEqual(['SELECT 1', '\x1b[15~']);
    expect(splitKeys('abc')).toEqual(['abc']);
  });
});

describe('keyBindings', () => {
  it('binds each key once per scope', () => {
    const seen = new Set<string>();
    for (const b of keyBindings) {
      for (const k of b.keys) {
        const key = `${b.scope}:${k}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });
  it('lets a pane see its own keys before the globals', () => {
    expect(actionFor('results', 's')).toBe('sort');
    expect(actionFor('editor', 's')).toBeUndefined();
    expect(actionFor('editor', 'f5')).toBe('run');
    expect(actionFor('results', 'ctrl+q')).toBe('quit');
  });
  it('is what the README documents', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keysMarkdown());
  });
});

describe('routeKey', () => {
  it('types into the editor, and the same letter sorts in the results', () => {
    expect(routeKey('editor', undefined, decodeKey('s'))).toEqual({
      type: 'editor',
      action: { type: 'insert', text: 's' },
    });
    expect(routeKey('results', undefined, decodeKey('s'))).toEqual({ type: 'effect', effect: 'sort' });
  });
  it('runs with F5 and Ctrl+J from any pane, cancels with Ctrl+C, quits with Ctrl+Q', () => {
    for (const focus of ['editor', 'results', 'catalog'] as const) {
      expect(routeKey(focus, undefined, decodeKey('\x1b[15~'))).toEqual({ type: 'effect', effect: 'run' });
      expect(routeKey(focus, undefined, decodeKey('\n'))).toEqual({ type: 'effect', effect: 'run' });
      expect(routeKey(focus, undefined, decodeKey('\x03'))).toEqual({ type: 'effect', effect: 'cancel' });
      expect(routeKey(focus, undefined, decodeKey('\x11'))).toEqual({ type: 'effect', effect: 'quit' });
    }
  });
  it('closes an overlay with Esc and keeps Tab from moving focus behind it', () => {
    expect(routeKey('results', { kind: 'detail', scroll: 0 }, decodeKey('\x1b'))).toEqual({
      type: 'app',
      action: { type: 'overlay' },
    });
    expect(routeKey('results', { kind: 'help' }, decodeKey('\t'))).toEqual({ type: 'none' });
    expect(routeKey('editor', undefined, decodeKey('\t'))).toEqual({
      type: 'app',
      action: { type: 'focus', to: 'next' },
    });
  });
});
