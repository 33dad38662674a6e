/**
 * The sentence to show for anything thrown: an Error's own message, anything else as a string
 * (a rejected promise may carry a bare string or a number, and `.message` would be undefined).
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
