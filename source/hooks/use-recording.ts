import { useEffect } from 'react';
import type { RecordingSink } from '../live/recorder.js';
import type { State } from '../state/state.js';

/** The interactive app records what its store holds (docs/recording.md); null: it does not. */
export function useRecording(sink: RecordingSink | null, state: State): void {
  const { nodes, services, troubledTasks, troubled, objects } = state;
  useEffect(() => {
    sink?.observe({ nodes, services, troubledTasks, troubled, objects });
  }, [sink, nodes, services, troubledTasks, troubled, objects]);
}
