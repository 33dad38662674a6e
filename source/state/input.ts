// What is typed: the help screen, the `:` command line, the copy choice and one-line answers.
import { THEME_NAMES } from '../format/palette.js';
import { listsTasksOfPlace, VIEWS, viewOfWord } from '../views/registry.js';
import type { Action, CopyWhat } from './actions.js';
import { emit } from './effects.js';
import { selectFirst, withList } from './lists.js';
import { openInspect, openLogs, selectedObject, showView } from './navigation.js';
import { VIEW_PANES } from './selectors.js';
import type { State } from './state.js';

export type InputAction = Extract<
  Action,
  {
    type:
      | 'toggle-help'
      | 'help-scroll'
      | 'command-start'
      | 'command-input'
      | 'command-run'
      | 'command-cancel'
      | 'say'
      | 'copy-start'
      | 'copy-choose'
      | 'copy-cancel';
  }
>;

const THEME_COMMANDS = new Set(['theme', 'th']);

function setTheme(state: State, name: string): State {
  const theme = THEME_NAMES.find((t) => t === name.toLowerCase());
  if (theme === undefined) {
    const known = THEME_NAMES.join(', ');
    return {
      ...state,
      message:
        name === ''
          ? `The themes are ${known}.`
          : `Unknown theme "${name}": the themes are ${known}.`,
    };
  }
  return { ...state, theme, message: `Theme: ${theme}.` };
}

/** `:view word…`: the view, with the rest of the line as its list's filter. */
function runCommand(state: State, text: string): State {
  const [first = '', ...rest] = text.trim().replace(/^:/, '').split(/\s+/);
  const name = first.toLowerCase();
  const argument = rest.join(' ');
  const id = viewOfWord(name);
  const closed = { ...state, input: null };
  if (name === '') return closed;
  if (THEME_COMMANDS.has(name)) return setTheme(closed, argument);
  if (id === undefined) {
    return { ...closed, message: `Unknown command ":${name}". Try ${commandWords()}.` };
  }
  const view = VIEWS[id];
  if (view.kind === 'text') return view.body === 'logs' ? openLogs(closed) : openInspect(closed);
  // `:tasks` is every task, whatever the tasks view was opened on before.
  const everyTask = listsTasksOfPlace(id);
  let shown = showView(closed, id);
  if (everyTask) shown = { ...shown, drill: { kind: 'all' }, places: [] };
  const pane = VIEW_PANES[id][0]!;
  if (argument === '' && !everyTask) return shown;
  return selectFirst(withList(shown, pane, { filter: argument }), pane);
}

/** The `:` words, one per view, as the unknown-command answer lists them. */
function commandWords(): string {
  const words = [...Object.values(VIEWS).map((view) => `:${view.words[0]}`), ':theme'];
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function startCopy(state: State): State {
  if (selectedObject(state) === null) {
    return { ...state, message: 'Select a service, node or task to copy its ID, name or spec.' };
  }
  return { ...state, copying: true };
}

function chooseCopy(state: State, what: CopyWhat): State {
  const target = selectedObject(state);
  const closed = { ...state, copying: false };
  if (target === null) return closed;
  if (what === 'spec' && target.kind === 'task') {
    // A task's spec is its service's; saying so beats copying something else silently.
    return {
      ...closed,
      message: "A task has no spec of its own: copy its service's (i on the service).",
    };
  }
  return emit(closed, { kind: 'copy', what, target });
}

export function inputSlice(state: State, action: InputAction): State {
  switch (action.type) {
    case 'toggle-help':
      return { ...state, help: !state.help, helpScroll: 0 };
    case 'help-scroll':
      return {
        ...state,
        helpScroll: action.delta === 'top' ? 0 : Math.max(0, state.helpScroll + action.delta),
      };
    case 'command-start':
      return { ...state, input: { mode: 'command', text: '' } };
    case 'command-input':
      return { ...state, input: { mode: 'command', text: action.text } };
    case 'command-run':
      return runCommand(state, state.input?.text ?? '');
    case 'command-cancel':
      return { ...state, input: null };
    case 'say':
      return { ...state, message: action.message };
    case 'copy-start':
      return startCopy(state);
    case 'copy-choose':
      return chooseCopy(state, action.what);
    case 'copy-cancel':
      return { ...state, copying: false, message: 'Nothing copied.' };
  }
}
