// The engine streams newline-delimited JSON, but the chunks it arrives in are cut anywhere: in
// the middle of a message, between the bytes of one UTF-8 character, or with several messages at
// once. This splitter turns such chunks back into whole lines; it does no I/O.

export class NdjsonSplitter {
  // Stream mode keeps an incomplete multi-byte character until its remaining bytes arrive.
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  /** Feeds one chunk; returns the complete, non-blank lines it finished (without "\n"/"\r\n"). */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    // Only the new text is searched, so a long message arriving in many chunks stays linear.
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.pending += text;
      return [];
    }
    const complete = this.pending + text.slice(0, lastNewline);
    this.pending = text.slice(lastNewline + 1);
    return splitLines(complete);
  }

  /** The stream ended: returns a last line that had no trailing newline, if any. */
  end(): string[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return splitLines(rest);
  }
}

function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}

/** Splits a whole sequence of chunks at once (handy for recorded streams and tests). */
export function splitNdjson(chunks: Iterable<Uint8Array | string>): string[] {
  const splitter = new NdjsonSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  lines.push(...splitter.end());
  return lines;
}

/** Parses the JSON of each line, skipping lines that are not JSON. */
export function parseNdjson(chunks: Iterable<Uint8Array | string>): unknown[] {
  return splitNdjson(chunks).flatMap((line) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}
