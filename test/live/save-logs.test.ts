import { describe, expect, it } from 'vitest';
import { formatLogFile } from '../../source/live/save-logs.js';
import { LogBuffer } from '../../source/state/log-buffer.js';

describe('formatLogFile', () => {
  it('writes task and node names sanitized: a hostname cannot act on `cat`', () => {
    const buffer = new LogBuffer(10);
    buffer.push([
      {
        serviceId: 's1',
        taskId: 't1',
        nodeId: 'n1',
        stream: 'stdout',
        time: '2026-12-01T12:00:00Z',
        text: 'hello',
      },
    ]);
    const text = formatLogFile(buffer, () => ({
      task: 'web.1\u009b2J',
      node: 'evil\u001b]0;pwned\u0007\u001b[2J\nx',
    }));
    expect(text).toBe('2026-12-01T12:00:00Z web.1@evil x stdout hello');
    // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
