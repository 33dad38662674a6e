// Carries out the effects the reducer put in its outbox (state/effects.ts): the clipboard, a
// logs file, the operations runner, leaving. Framework-free; hooks/use-effects.ts calls it.
import type { SwarmReads } from '../docker/swarm-api.js';
import { errorText } from '../format/error-text.js';
import { specText } from '../format/inspect-text.js';
import { copyToClipboard } from '../format/osc52.js';
import { isInertLine } from '../format/sanitize.js';
import type { SwarmNode, SwarmService } from '../model.js';
import type { Action } from '../state/actions.js';
import type { Effect } from '../state/effects.js';
import type { LogBuffer } from '../state/log-buffer.js';
import type { Operations } from './operations.js';
import { saveLogs, type LogNames } from './save-logs.js';

export interface EffectContext {
  api: SwarmReads;
  operations: Operations;
  dispatch: (action: Action) => void;
  revealSecrets: boolean;
  /** Where the clipboard escape sequence goes (the terminal). */
  write: (sequence: string) => void;
  env: NodeJS.ProcessEnv;
  logDir: string;
  logs: { buffer: LogBuffer; names: LogNames };
  /** The swarm as the screen shows it now (a confirm dialog's impact is worked out against it). */
  swarm: { nodes: SwarmNode[]; services: SwarmService[] };
  quit: () => void;
}

export function runEffect(effect: Effect, ctx: EffectContext): void {
  const say = (message: string) => ctx.dispatch({ type: 'say', message });
  switch (effect.kind) {
    case 'quit':
      ctx.quit();
      return;
    case 'prepare':
      void ctx.operations.prepare(effect.dialogId, effect.intent, ctx.swarm);
      return;
    case 'send':
      void ctx.operations.run(effect.op);
      return;
    case 'save-logs':
      saveLogs(ctx.logDir, effect.target.name, ctx.logs.buffer, ctx.logs.names).then(
        (file) => say(`Saved the logs to ${file}`),
        (error: unknown) => say(`Could not save the logs: ${errorText(error)}`),
      );
      return;
    case 'copy': {
      const { what, target } = effect;
      const label = `the ${what === 'id' ? 'ID' : what} of ${target.kind} ${target.name}`;
      if (what !== 'spec') {
        const value = what === 'id' ? target.id : target.name;
        // Refused rather than cleaned: a cleaned name is not the object's name, and a pasted
        // newline runs whatever follows it.
        say(
          isInertLine(value)
            ? copyToClipboard(value, ctx.write, ctx.env, label).message
            : `Not copied: ${label} holds control, bidi, invisible or line-break characters.`,
        );
        return;
      }
      // The spec is read fresh: what is copied is what the engine has now.
      ctx.api.inspectObject(target.kind, target.id).then(
        (raw) =>
          say(
            copyToClipboard(
              specText(raw, { revealSecrets: ctx.revealSecrets }),
              ctx.write,
              ctx.env,
              label,
            ).message,
          ),
        (error: unknown) => say(`Could not copy ${label}: ${errorText(error)}`),
      );
      return;
    }
  }
}
