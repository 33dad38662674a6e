// Key remapping from the config file. The result is a whole key table checked as a whole: one key
// still means one thing everywhere, and no remapping can leave the user without a way out.
import { UsageError } from '../docker/errors.js';
import type { Command, KeyBinding } from './keymap.js';

/** What the config file may give for a command: one key name or several. */
export type KeyOverrides = Readonly<Record<string, string | readonly string[]>>;

// Keys that keep their meaning whatever the file says: Ctrl-C always quits and Esc always goes
// back (dialogs, prompts and filters answer to them outside this table too), so an operator can
// always leave a screen or the program even with a remapping they have forgotten.
const RESERVED: Readonly<Record<string, Command>> = { 'ctrl+c': 'quit', escape: 'back' };

// Named keys as keyName() in keymap.ts produces them, and how hints and help write them.
const NAMED: Readonly<Record<string, string>> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  'shift+tab': 'S-Tab',
  backspace: 'Bksp',
};

// Spellings people write in a config file for the names above.
const ALIASES: Readonly<Record<string, string>> = {
  enter: 'return',
  esc: 'escape',
  pgup: 'pageup',
  pgdn: 'pagedown',
  'page-up': 'pageup',
  'page-down': 'pagedown',
  space: ' ',
};

/** The key name keyName() would produce for what the file says, or null when it is no key. */
export function normalizeKey(raw: string): string | null {
  // A single character is matched as typed: "G" and "g" are different keys.
  if (Array.from(raw).length === 1) {
    const code = raw.codePointAt(0) ?? 0;
    // Control and other invisible characters arrive named (ctrl+x, tab …) or not at all.
    return code < 0x20 || (code >= 0x7f && code < 0xa0) ? null : raw;
  }
  const lower = raw.trim().toLowerCase();
  const name = ALIASES[lower] ?? lower;
  if (name === ' ' || Object.hasOwn(NAMED, name)) return name;
  const ctrl = /^(?:ctrl|c)[+-]([a-z])$/.exec(name);
  return ctrl ? `ctrl+${ctrl[1]!}` : null;
}

/** How a key name is written in hints and help ("ctrl+f" → "C-f", "pagedown" → "PgDn"). */
export function keyLabel(key: string): string {
  if (key === ' ') return 'Space';
  if (key.startsWith('ctrl+')) return `C-${key.slice(5)}`;
  return NAMED[key] ?? key;
}

function quoted(key: string): string {
  return `"${keyLabel(key)}"`;
}

function list(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

// Levenshtein distance, for "did you mean" on a misspelt command name.
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

function unknownCommand(name: string, defaults: readonly KeyBinding[]): UsageError {
  const commands = defaults.map((b) => b.command);
  const near = commands
    .map((command) => ({ command, d: distance(name.toLowerCase(), command) }))
    .sort((x, y) => x.d - y.d)[0];
  const hint =
    near !== undefined && near.d <= 2
      ? `did you mean "${near.command}"?`
      : `the commands are ${list(commands.map((c) => `"${c}"`))}.`;
  return new UsageError(`"${name}" is not a command; ${hint}`);
}

function keysOf(command: string, value: unknown): string[] {
  const raws =
    typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  if (raws === null || raws.length === 0 || raws.some((k) => typeof k !== 'string')) {
    throw new UsageError(
      `"${command}" needs a key name or a list of them, like "${command}": "x" or ["x", "ctrl+x"].`,
    );
  }
  const keys: string[] = [];
  for (const raw of raws as string[]) {
    const key = normalizeKey(raw);
    if (key === null) {
      throw new UsageError(
        `"${raw}" (for "${command}") is not a key name; use one character, ctrl+LETTER, or one of ${list(Object.keys(NAMED))}.`,
      );
    }
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

function checkKeys(binding: KeyBinding, keys: readonly string[]): void {
  for (const key of keys) {
    const owner = RESERVED[key];
    if (owner !== undefined && owner !== binding.command) {
      throw new UsageError(
        `${quoted(key)} cannot be given to "${binding.command}": it always means "${owner}".`,
      );
    }
    // A dialog confirms with y and cancels with n: a mutation on either key would be confirmed by
    // pressing it twice, or by key auto-repeat once its dialog has loaded.
    if (binding.mutation && (key === 'y' || key === 'n')) {
      throw new UsageError(
        `${quoted(key)} cannot be given to "${binding.command}": y confirms and n cancels every dialog, so an action never takes them.`,
      );
    }
    // Every mutation opens a dialog, but a dialog popping up under the keys one presses to move
    // around (Enter, arrows, Tab, Ctrl combinations) is a trap: they take a plain character.
    if (binding.mutation && Array.from(key).length !== 1) {
      throw new UsageError(
        `"${binding.command}" changes the swarm, so it takes a plain character (like its default ${quoted(binding.keys[0] ?? '')}), not ${quoted(key)}.`,
      );
    }
  }
}

/**
 * The defaults with the file's overrides applied: each named command gets exactly the keys given
 * (plus its reserved key, if it has one), its label shows them, and every key is checked to mean
 * one command only. Throws a one-sentence UsageError on the first problem.
 */
export function remapKeys(defaults: readonly KeyBinding[], overrides: KeyOverrides): KeyBinding[] {
  const commands = new Set<string>(defaults.map((b) => b.command));
  for (const name of Object.keys(overrides)) {
    if (!commands.has(name)) throw unknownCommand(name, defaults);
  }
  const remapped = (b: KeyBinding): boolean => Object.hasOwn(overrides, b.command);
  const table = defaults.map((binding) => {
    if (!remapped(binding)) return binding;
    const given = keysOf(binding.command, overrides[binding.command]);
    checkKeys(binding, given);
    // The reserved key stays with its command even when the file does not list it.
    const kept = binding.keys.filter((k) => RESERVED[k] === binding.command && !given.includes(k));
    return { ...binding, keys: [...given, ...kept], label: given.map(keyLabel).join('/') };
  });
  const owner = new Map<string, KeyBinding>();
  for (const binding of table) {
    for (const key of binding.keys) {
      const first = owner.get(key);
      if (first === undefined) {
        owner.set(key, binding);
        continue;
      }
      const [kept, moved] = remapped(first) ? [binding, first] : [first, binding];
      throw new UsageError(
        remapped(kept)
          ? `${quoted(key)} is given to both "${first.command}" and "${binding.command}"; each key can mean one thing only.`
          : `${quoted(key)} is already the key of "${kept.command}"; pick another key for "${moved.command}", or give "${kept.command}" another key too.`,
      );
    }
  }
  return table;
}
