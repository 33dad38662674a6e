// The spec and status of one object, as the engine has it now; the app draws the text.
import type { TextView } from './view.js';

/** The key that moves one line, from its label ("j/↓" → "j"). */
const first = (label: string) => label.split('/')[0] ?? label;

export const inspectView: TextView = {
  kind: 'text',
  id: 'inspect',
  words: ['inspect', 'i'],
  panes: ['inspect'],
  body: 'inspect',
  detail: ({ keys }) =>
    `${first(keys('move-down'))}/${first(keys('move-up'))} ${keys('page-up')}/${keys('page-down')} ${keys('move-top')}/${keys('move-bottom')} scroll · ${keys('copy')} copy the ID, name or spec · ${keys('back')} back`,
};
