import { readFileSync } from 'node:fs';

/** A JSON answer recorded on the lab (scripts/record-fixtures.ts), parsed. */
export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/lab/${name}`, import.meta.url), 'utf8'));
