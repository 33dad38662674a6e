/* eslint-disable no-control-regex -- it reads the SGR escape sequences of a captured screen */
// What colours a captured screen (tmux capture-pane -e) uses, for the theme tests.

/**
 * The SGR parameters that set a colour: 30–37/90–97 foreground, 40–47/100–107 background, and
 * 38/48 for 256-colour and RGB. 39 and 49 (back to the default colour) set none. Bold (1) and
 * inverse (7) are not colours: monochrome keeps them for the focused pane and the selection.
 */
export function colourCodes(screen: string): Set<string> {
  const codes = new Set<string>();
  for (const match of screen.matchAll(/\u001b\[([0-9;:]*)m/g)) {
    const params = match[1]!.split(/[;:]/);
    for (let i = 0; i < params.length; i++) {
      const n = Number(params[i]);
      if (n === 38 || n === 48) {
        // 38;5;N or 38;2;R;G;B: one colour, whatever its parameters.
        codes.add(params.slice(i, i + (params[i + 1] === '2' ? 5 : 3)).join(';'));
        i += params[i + 1] === '2' ? 4 : 2;
      } else if ((n >= 30 && n <= 37) || (n >= 40 && n <= 47) || (n >= 90 && n <= 107)) {
        codes.add(String(n));
      }
    }
  }
  return codes;
}
