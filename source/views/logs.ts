// The logs of a service or a task, streamed; the app draws the lines (components/log-view.tsx).
import type { TextView } from './view.js';

export const logsView: TextView = {
  kind: 'text',
  id: 'logs',
  words: ['logs', 'log', 'lo'],
  panes: ['logs'],
  body: 'logs',
  detail: ({ keys }) =>
    `${keys('follow')} follow/pause · ${keys('timestamps')} timestamps · ${keys('wrap')} wrap · ${keys('range')} range · ${keys('save')} save · ${keys('filter')} filter (text or /regex/) · ${keys('back')} back`,
};
