import { useEffect, useMemo, useState } from 'react';
import { parseNode } from '../docker/parse.js';
import type { InspectKind, SwarmReads } from '../docker/swarm-api.js';
import { inspectLines } from '../format/inspect-text.js';
import type { SwarmTask } from '../model.js';
import { nodeDetailLines } from '../state/node-capacity.js';
import { errorText } from '../format/error-text.js';

export interface InspectTarget {
  kind: InspectKind;
  id: string;
}

export interface InspectResult {
  /** The engine's JSON from the last answer (kept on screen when a refresh fails). */
  raw: Record<string, unknown> | null;
  lines: string[];
  /** One sentence; the last answer's lines stay while it shows. */
  error: string | null;
  /** True until the first answer (or failure) for the current target. */
  loading: boolean;
}

/** What one refresh brought: the object and, for a node, what runs on it. */
interface Answer {
  raw: Record<string, unknown>;
  nodeTasks: SwarmTask[] | null;
  serviceNames: Map<string, string>;
  /** Equal fingerprints: nothing to redraw. */
  fingerprint: string;
}

interface State {
  key: string | null;
  answer: Answer | null;
  error: string | null;
}

const EMPTY: string[] = [];

/** Names for the services of a node's tasks; best effort (ids stay when it fails). */
async function serviceNamesOf(api: SwarmReads, tasks: SwarmTask[]): Promise<Map<string, string>> {
  const ids = [...new Set(tasks.map((task) => task.serviceId))].sort();
  if (ids.length === 0) return new Map();
  try {
    const services = await api.listServices(ids);
    return new Map(services.map((service) => [service.id, service.name]));
  } catch {
    return new Map();
  }
}

async function fetchAnswer(api: SwarmReads, target: InspectTarget): Promise<Answer> {
  if (target.kind !== 'node') {
    const raw = await api.inspectObject(target.kind, target.id);
    return { raw, nodeTasks: null, serviceNames: new Map(), fingerprint: JSON.stringify(raw) };
  }
  const [raw, nodeTasks] = await Promise.all([
    api.inspectObject('node', target.id),
    api.listTasks({ nodeId: target.id, desiredRunningOnly: true }),
  ]);
  const serviceNames = await serviceNamesOf(api, nodeTasks);
  const fingerprint = JSON.stringify([raw, nodeTasks, [...serviceNames]]);
  return { raw, nodeTasks, serviceNames, fingerprint };
}

function render(answer: Answer, revealSecrets: boolean): string[] {
  const spec = inspectLines(answer.raw, { revealSecrets });
  if (answer.nodeTasks === null) return spec;
  const detail = nodeDetailLines(parseNode(answer.raw), answer.nodeTasks, answer.serviceNames, {
    revealSecrets,
  });
  return [...detail, '', ...spec];
}

export interface InspectOptions {
  /** The engine the object is fetched from. */
  api: SwarmReads;
  /** The object shown; null: the inspect view is closed and nothing is fetched. */
  target: InspectTarget | null;
  /** How often the open object is fetched again, in milliseconds. */
  refreshMs: number;
  /** --show-secrets: values with secret-looking names are shown unmasked. */
  revealSecrets: boolean;
}

/**
 * The inspect view's data: the target's engine JSON as lines, fetched when the target changes and
 * every `refreshMs` while it is open. An answer equal to the last one changes nothing (same
 * `lines` array), so an idle inspect view does not redraw; an answer for a target no longer shown
 * is dropped.
 */
export function useInspect({
  api,
  target,
  refreshMs,
  revealSecrets,
}: InspectOptions): InspectResult {
  const key = target === null ? null : `${target.kind}:${target.id}`;
  const [state, setState] = useState<State>({ key: null, answer: null, error: null });

  useEffect(() => {
    if (target === null || key === null) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await fetchAnswer(api, target);
        if (!active) return;
        setState((s) => {
          const same = s.key === key && s.answer?.fingerprint === answer.fingerprint;
          if (same && s.error === null) return s;
          return { key, answer: same ? s.answer : answer, error: null };
        });
      } catch (error) {
        if (!active) return;
        const text = errorText(error);
        setState((s) =>
          s.key === key && s.error === text
            ? s
            : { key, answer: s.key === key ? s.answer : null, error: text },
        );
      }
      // The next refresh is timed from the end of this one, so a slow engine is never asked twice at once.
      if (active) timer = setTimeout(() => void load(), refreshMs);
    };
    void load();
    return () => {
      active = false;
      clearTimeout(timer);
    };
    // `target` is read through `key`: a new object for the same target must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, refreshMs]);

  const current = state.key === key ? state : null;
  const answer = current?.answer ?? null;
  const lines = useMemo(
    () => (answer === null ? EMPTY : render(answer, revealSecrets)),
    [answer, revealSecrets],
  );
  return {
    raw: answer?.raw ?? null,
    lines,
    error: current?.error ?? null,
    loading: key !== null && answer === null && (current?.error ?? null) === null,
  };
}
