// The one key table: dispatch, the hint bar, the help screen and the read-only gate all read it.
// One key means one thing in every view.
import { LIST_VIEWS, VIEWS, type ListViewId, type ViewId } from '../views/registry.js';

export type Command =
  | `view-${ListViewId}`
  | 'help'
  | 'quit'
  | 'pane-next'
  | 'pane-prev'
  | 'move-down'
  | 'move-up'
  | 'page-down'
  | 'page-up'
  | 'move-top'
  | 'move-bottom'
  | 'drill'
  | 'back'
  | 'filter'
  | 'command'
  | 'toggle-history'
  | 'inspect'
  | 'explain'
  | 'copy'
  | 'sort-next'
  | 'sort-reverse'
  | 'problems-only'
  | 'logs'
  | 'follow'
  | 'timestamps'
  | 'wrap'
  | 'range'
  | 'save'
  | 'scale'
  | 'rollback'
  | 'force-update'
  | 'drain'
  | 'pause'
  | 'activate'
  | 'role'
  | 'remove'
  | 'set-image'
  | 'labels'
  | 'retry-ssh';

export type KeyGroup = 'general' | 'views' | 'navigation' | 'lists' | 'logs' | 'actions';

export interface KeyBinding {
  command: Command;
  /** Key names as matched by keyName(): printable characters, or names like "ctrl+c", "up". */
  keys: string[];
  /** How the keys are written in hints and help. */
  label: string;
  /** Short word for the hint bar; bindings without one are only in the help screen. */
  hint?: string;
  help: string;
  group: KeyGroup;
  /** Mutations are refused in read-only mode and hidden from hints and help. */
  mutation?: boolean;
  /** What the key acts on: its hint comes first while such an object is selected. */
  on?: 'service' | 'node' | 'logs';
}

export function isViewCommand(command: Command): command is `view-${ListViewId}` {
  return command.startsWith('view-');
}

function shortestWord(words: readonly string[]): string | undefined {
  return [...words].sort((a, b) => a.length - b.length)[0];
}

/** A key per list view, from the registry (a view's own module says its key and help line). */
function viewBindings(): KeyBinding[] {
  return LIST_VIEWS.map((view) => ({
    command: `view-${view.id}` as Command,
    keys: [...view.binding.keys],
    // A view without a key of its own is written as its shortest `:` word (it fits help's column).
    label: view.binding.keys[0] ?? `:${shortestWord(view.words) ?? view.id}`,
    ...(view.binding.hint !== undefined ? { hint: view.binding.hint } : {}),
    help: view.binding.help,
    group: 'views' as const,
  }));
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  {
    command: 'help',
    keys: ['?'],
    label: '?',
    hint: 'help',
    help: 'show this help',
    group: 'general',
  },
  {
    command: 'quit',
    keys: ['q', 'ctrl+c'],
    label: 'q',
    hint: 'quit',
    help: 'quit (Ctrl-C too)',
    group: 'general',
  },
  {
    // Not r: that is the logs' range. Ctrl-R as "reload" elsewhere.
    command: 'retry-ssh',
    keys: ['ctrl+r'],
    label: 'Ctrl-R',
    help: 'ssh: try the login again now, when the header says "ssh login failing"',
    group: 'general',
  },
  ...viewBindings(),
  {
    command: 'pane-next',
    keys: ['tab'],
    label: 'Tab',
    help: 'next pane',
    group: 'navigation',
  },
  {
    command: 'pane-prev',
    keys: ['shift+tab'],
    label: 'S-Tab',
    help: 'previous pane',
    group: 'navigation',
  },
  {
    command: 'move-down',
    keys: ['j', 'down'],
    label: 'j/↓',
    help: 'move down',
    group: 'navigation',
  },
  { command: 'move-up', keys: ['k', 'up'], label: 'k/↑', help: 'move up', group: 'navigation' },
  {
    command: 'page-down',
    keys: ['pagedown', 'ctrl+f'],
    label: 'PgDn',
    help: 'page down',
    group: 'navigation',
  },
  {
    command: 'page-up',
    keys: ['pageup', 'ctrl+b'],
    label: 'PgUp',
    help: 'page up',
    group: 'navigation',
  },
  {
    command: 'move-top',
    keys: ['g', 'home'],
    label: 'g',
    help: 'go to the top',
    group: 'navigation',
  },
  {
    command: 'move-bottom',
    keys: ['G', 'end'],
    label: 'G',
    help: 'go to the bottom',
    group: 'navigation',
  },
  {
    command: 'drill',
    keys: ['return'],
    label: 'Enter',
    hint: 'tasks',
    help: "drill down: a service's or a node's tasks",
    group: 'navigation',
  },
  {
    command: 'back',
    keys: ['escape'],
    label: 'Esc',
    hint: 'back',
    help: 'back / clear the filter / close',
    group: 'navigation',
  },
  {
    command: 'filter',
    keys: ['/'],
    label: '/',
    hint: 'filter',
    help: 'filter the focused list ({line.accept} keeps, {line.cancel} clears)',
    group: 'lists',
  },
  {
    command: 'command',
    keys: [':'],
    label: ':',
    hint: 'cmd',
    help: `command mode: ${Object.values(VIEWS)
      .map((view) => `:${view.words[0]}`)
      .join(' ')} :theme (a word after it filters)`,
    group: 'general',
  },
  {
    command: 'sort-next',
    keys: ['>'],
    label: '>',
    help: 'sort the focused list by its next sort key',
    group: 'lists',
  },
  {
    command: 'sort-reverse',
    keys: ['<'],
    label: '<',
    help: 'reverse the sort order',
    group: 'lists',
  },
  {
    command: 'problems-only',
    keys: ['!'],
    label: '!',
    help: 'show only rows with a problem / all rows',
    group: 'lists',
  },
  {
    command: 'inspect',
    keys: ['i'],
    label: 'i',
    hint: 'inspect',
    help: 'inspect the selected object: spec and status ({back} back)',
    group: 'lists',
  },
  {
    command: 'explain',
    keys: ['e'],
    label: 'e',
    help: 'why the selected pending task is not placed: each node and the rule that stops it',
    group: 'lists',
  },
  {
    command: 'copy',
    keys: ['c'],
    label: 'c',
    help: "copy the selected object's ID, name or spec to the clipboard (OSC 52)",
    group: 'lists',
  },
  {
    command: 'toggle-history',
    keys: ['h'],
    label: 'h',
    hint: 'history',
    help: 'show / hide shut-down task history',
    group: 'lists',
  },
  {
    command: 'logs',
    keys: ['l'],
    label: 'l',
    hint: 'logs',
    help: 'logs of the selected service or task (also :logs)',
    group: 'logs',
  },
  {
    command: 'follow',
    keys: ['f'],
    label: 'f',
    hint: 'follow/pause',
    help: 'logs: follow / pause (new lines are kept and counted)',
    group: 'logs',
    on: 'logs',
  },
  {
    command: 'timestamps',
    keys: ['t'],
    label: 't',
    hint: 'time',
    help: 'logs: show / hide timestamps',
    group: 'logs',
    on: 'logs',
  },
  {
    command: 'wrap',
    keys: ['w'],
    label: 'w',
    hint: 'wrap',
    help: 'logs: wrap / cut long lines',
    group: 'logs',
    on: 'logs',
  },
  {
    command: 'range',
    keys: ['r'],
    label: 'r',
    hint: 'range',
    help: 'logs: history to load (tail 200, tail 1000, since 1m, 15m, 1h, all)',
    group: 'logs',
    on: 'logs',
  },
  {
    command: 'save',
    keys: ['o'],
    label: 'o',
    hint: 'save',
    help: 'logs: write the buffer to a file (0600) and say where',
    group: 'logs',
    on: 'logs',
  },
  {
    command: 'scale',
    keys: ['s'],
    label: 's',
    hint: 'scale',
    help: 'scale the selected service (prompt)',
    group: 'actions',
    mutation: true,
    on: 'service',
  },
  {
    command: 'rollback',
    keys: ['R'],
    label: 'R',
    hint: 'rollback',
    help: 'roll back the selected service (dialog with the diff)',
    group: 'actions',
    mutation: true,
    on: 'service',
  },
  {
    command: 'force-update',
    keys: ['F'],
    label: 'F',
    hint: 'redeploy',
    help: 'force a rolling redeploy of the selected service (dialog)',
    group: 'actions',
    mutation: true,
    on: 'service',
  },
  {
    command: 'drain',
    keys: ['D'],
    label: 'D',
    hint: 'drain',
    help: 'drain the selected node (dialog with the impact)',
    group: 'actions',
    mutation: true,
    on: 'node',
  },
  {
    command: 'pause',
    keys: ['P'],
    label: 'P',
    hint: 'pause',
    help: 'pause the selected node (dialog)',
    group: 'actions',
    mutation: true,
    on: 'node',
  },
  {
    command: 'activate',
    keys: ['A'],
    label: 'A',
    hint: 'activate',
    help: 'activate the selected node (dialog)',
    group: 'actions',
    mutation: true,
    on: 'node',
  },
  {
    command: 'role',
    keys: ['M'],
    label: 'M',
    help: 'make the selected node a manager / worker (dialog)',
    group: 'actions',
    mutation: true,
    on: 'node',
  },
  {
    command: 'set-image',
    keys: ['U'],
    label: 'U',
    help: 'set the image of the selected service (prompt, then the spec diff; the rollout followed)',
    group: 'actions',
    mutation: true,
    on: 'service',
  },
  {
    command: 'remove',
    keys: ['X'],
    label: 'X',
    help: 'remove the selected service, or in the stacks view the stack (type its name)',
    group: 'actions',
    mutation: true,
    on: 'service',
  },
  {
    command: 'labels',
    keys: ['L'],
    label: 'L',
    help: 'label the selected node (+key=value -key, dialog)',
    group: 'actions',
    mutation: true,
    on: 'node',
  },
];

/** What Enter does in each view, for the hint bar; views without one ignore Enter. */
export const DRILL_HINTS: Readonly<Partial<Record<ViewId, string>>> = Object.fromEntries(
  Object.values(VIEWS).flatMap((view) =>
    view.kind === 'list' && view.enterHint !== undefined ? [[view.id, view.enterHint]] : [],
  ),
);

/** The subset of Ink's Key that keyName reads (kept structural so tests need no Ink). */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** Turns Ink's (input, key) pair into one key name. */
export function keyName(input: string, key: KeyPress): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  return input;
}

const CONTROL_NAMES: Record<string, string> = {
  '\r': 'return',
  '\n': 'return',
  '\t': 'tab',
  '\b': 'backspace',
  '\u007f': 'backspace',
  '\u001b': 'escape',
};

function charName(char: string): string {
  const named = CONTROL_NAMES[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  // Ctrl-A … Ctrl-Z arrive as 0x01 … 0x1a.
  if (code >= 1 && code <= 26) return `ctrl+${String.fromCharCode(code + 96)}`;
  return char;
}

/**
 * The key names in one input event. Keys typed faster than the terminal is read (or sent by
 * tmux send-keys, or pasted) arrive as one string such as "jj\r": each is its own key press.
 */
export function keyNames(input: string, key: KeyPress): string[] {
  const single = keyName(input, key);
  // Esc and the next key read together arrive as Alt+key ("\u001b2"): nothing here uses Alt,
  // so it is what was typed, Esc then the key.
  if (key.meta && !key.escape && single === input && input !== '') {
    return ['escape', ...Array.from(input, charName)];
  }
  if (single !== input) return [single];
  // Raw control characters also arrive unnamed, e.g. Ctrl-C right after Esc comes as ESC ^C.
  return Array.from(input, charName);
}

/** Commands of a modal context: a confirm dialog, a prompt, the copy choice, a typed line. */
export type ContextCommand =
  | 'confirm.yes'
  | 'confirm.no'
  | 'confirm.down'
  | 'confirm.up'
  | 'confirm.page-down'
  | 'confirm.page-up'
  | 'prompt.submit'
  | 'prompt.cancel'
  | 'prompt.erase'
  | 'prompt.clear'
  | 'copy.id'
  | 'copy.name'
  | 'copy.spec'
  | 'line.accept'
  | 'line.cancel'
  | 'line.erase';

export type KeyContext = 'confirm' | 'prompt' | 'copy' | 'line';

export interface ContextBinding {
  command: ContextCommand;
  context: KeyContext;
  keys: string[];
  label: string;
  help: string;
}

/**
 * The keys of modal contexts. Fixed, not remappable: y and n stay what they are in every
 * dialog, and a remap cannot make a scroll key confirm. Ctrl-C quits in every context.
 */
export const CONTEXT_BINDINGS: readonly ContextBinding[] = [
  {
    command: 'confirm.yes',
    context: 'confirm',
    keys: ['y'],
    label: 'y',
    help: 'confirm: send the change',
  },
  {
    command: 'confirm.no',
    context: 'confirm',
    keys: ['n', 'escape'],
    label: 'n/Esc',
    help: 'cancel: nothing is sent',
  },
  {
    command: 'confirm.down',
    context: 'confirm',
    keys: ['j', 'down'],
    label: 'j/↓',
    help: 'scroll the dialog down',
  },
  {
    command: 'confirm.up',
    context: 'confirm',
    keys: ['k', 'up'],
    label: 'k/↑',
    help: 'scroll the dialog up',
  },
  {
    command: 'confirm.page-down',
    context: 'confirm',
    keys: ['pagedown'],
    label: 'PgDn',
    help: 'scroll a page down',
  },
  {
    command: 'confirm.page-up',
    context: 'confirm',
    keys: ['pageup'],
    label: 'PgUp',
    help: 'scroll a page up',
  },
  {
    command: 'prompt.submit',
    context: 'prompt',
    keys: ['return'],
    label: 'Enter',
    help: 'apply what was typed',
  },
  {
    command: 'prompt.cancel',
    context: 'prompt',
    keys: ['escape'],
    label: 'Esc',
    help: 'cancel: nothing is sent',
  },
  {
    command: 'prompt.erase',
    context: 'prompt',
    keys: ['backspace'],
    label: 'Bksp',
    help: 'erase a character',
  },
  {
    command: 'prompt.clear',
    context: 'prompt',
    keys: ['ctrl+u'],
    label: 'Ctrl-U',
    help: 'clear what was typed',
  },
  { command: 'copy.id', context: 'copy', keys: ['i'], label: 'i', help: 'copy the ID' },
  { command: 'copy.name', context: 'copy', keys: ['n'], label: 'n', help: 'copy the name' },
  { command: 'copy.spec', context: 'copy', keys: ['s'], label: 's', help: 'copy the spec' },
  {
    command: 'line.accept',
    context: 'line',
    keys: ['return'],
    label: 'Enter',
    help: 'keep the filter / run the command',
  },
  {
    command: 'line.cancel',
    context: 'line',
    keys: ['escape'],
    label: 'Esc',
    help: 'drop the filter / the command',
  },
  {
    command: 'line.erase',
    context: 'line',
    keys: ['backspace'],
    label: 'Bksp',
    help: 'erase a character',
  },
];

/** The key table in force: dispatch, the hint bar, the help screen and every key hint read it. */
export interface KeyTable {
  readonly bindings: readonly KeyBinding[];
  readonly contexts: readonly ContextBinding[];
  bindingFor(name: string): KeyBinding | undefined;
  bindingOf(command: Command): KeyBinding | undefined;
  /** How a command's key is written now (a remap changes it); the command itself when unbound. */
  labelOf(command: string): string;
  /** What a key does in a modal context. */
  inContext(context: KeyContext, name: string): ContextCommand | undefined;
  /** The bindings hints and help show (mutations are hidden in read-only mode). */
  visible(readOnly: boolean): KeyBinding[];
}

/** A key table: the defaults, or the config file's remapping (key-remap.ts) made at start. */
export function createKeyTable(given: readonly KeyBinding[] = KEY_BINDINGS): KeyTable {
  const labels = new Map<string, string>([
    ...CONTEXT_BINDINGS.map((b) => [b.command, b.label] as const),
    ...given.map((b) => [b.command, b.label] as const),
  ]);
  // A help line that names another command's key ("{back} back") names the key in force.
  const bindings = given.map((b) =>
    b.help.includes('{')
      ? { ...b, help: b.help.replace(/\{([a-z.-]+)\}/g, (_, c: string) => labels.get(c) ?? c) }
      : b,
  );
  const byKey = new Map(bindings.flatMap((b) => b.keys.map((k) => [k, b] as const)));
  const byCommand = new Map(bindings.map((b) => [b.command, b] as const));
  const contextKey = (context: KeyContext, name: string) => `${context}:${name}`;
  const inContext = new Map(
    CONTEXT_BINDINGS.flatMap((b) =>
      b.keys.map((k) => [contextKey(b.context, k), b.command] as const),
    ),
  );
  return {
    bindings,
    contexts: CONTEXT_BINDINGS,
    bindingFor: (name) => byKey.get(name),
    bindingOf: (command) => byCommand.get(command),
    labelOf: (command) => labels.get(command) ?? command,
    inContext: (context, name) => inContext.get(contextKey(context, name)),
    visible: (readOnly) => bindings.filter((binding) => !(readOnly && binding.mutation)),
  };
}

/** The default table, for tests and for code that runs before a config is read. */
export const DEFAULT_KEYS: KeyTable = createKeyTable();
