/** Captures what a command writes, for CLI tests. */
export interface Captured {
  write(chunk: string | Uint8Array): boolean;
  readonly text: string;
  isTTY?: boolean;
}

export function capture(): Captured & NodeJS.WritableStream {
  let text = '';
  const stream = {
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
    get text() {
      return text;
    },
  };
  return stream as unknown as Captured & NodeJS.WritableStream;
}
