// The times a person types for a moment of a recording (`--at`, `--since`, `--until`, `@`):
// a clock time ("03:12", "03:12:05": the last such moment at or before now, local time), a
// duration back from now ("-15m", "-2h", "-1h30m", "-90s") or an ISO 8601 timestamp.

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const AGO = /^-((?:\d+(?:\.\d+)?[dhms])+)$/;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** The moment `text` names, in ms since the epoch, or null when it is none of the forms. */
export function parseMoment(text: string, nowMs: number): number | null {
  const value = text.trim();
  const clock = CLOCK.exec(value);
  if (clock !== null) {
    const [hours, minutes, seconds] = [clock[1], clock[2], clock[3] ?? '0'].map(Number) as [
      number,
      number,
      number,
    ];
    if (hours > 23 || minutes > 59 || seconds > 59) return null;
    const at = new Date(nowMs);
    at.setHours(hours, minutes, seconds, 0);
    // "03:12" typed at 02:00 means last night's.
    if (at.getTime() > nowMs) at.setDate(at.getDate() - 1);
    return at.getTime();
  }
  const ago = AGO.exec(value);
  if (ago !== null) {
    let ms = 0;
    for (const part of ago[1]!.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)) {
      ms += Number(part[1]) * UNIT_MS[part[2]!]!;
    }
    return nowMs - ms;
  }
  // ISO 8601 only (Date.parse also takes forms no one means, like "1").
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export const MOMENT_FORMS = 'a clock time (03:12), a time ago (-15m) or an ISO timestamp';

/** "03:12:05" in local time. */
export function clockText(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/** "2 h 13 min ago", "45 s ago", "3 d 4 h ago"; "now" under a second. */
export function agoText(ms: number, nowMs: number): string {
  const s = Math.floor((nowMs - ms) / 1000);
  if (s < 1) return 'now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h ago` : `${h} h ${m % 60} min ago`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d ago` : `${d} d ${h % 24} h ago`;
}
