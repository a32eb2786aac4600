/**
 * UTF-8 for the modern browser bundles, which the client's bundle script maps in place of ../utf8.ts: every
 * browser those bundles target has TextEncoder and a fatal TextDecoder, so the portable code of ../utf8.ts stays
 * out. Same exports, same strictness, same LADDER_ERR_UTF8_INVALID.
 */
import { ProtocolError } from "./errors.js";

declare const TextEncoder: new () => { encode(input: string): Uint8Array };
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(input?: Uint8Array, options?: { stream: boolean }): string };

export { utf8ByteLength } from "./index.js";

const fatal = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Encodes `text` as UTF-8 (lone surrogates become U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Decodes complete UTF-8 strictly. */
export function utf8Decode(bytes: Uint8Array): string {
  return new Utf8StreamDecoder().write(bytes, true);
}

/** Strict incremental decoder: characters split across writes are held back; end() checks nothing is left over. */
export class Utf8StreamDecoder {
  private _d = fatal();

  write(chunk: Uint8Array, last?: boolean): string {
    try {
      return this._d.decode(chunk, { stream: !last });
    } catch {
      this._d = fatal();
      throw new ProtocolError("LADDER_ERR_UTF8_INVALID");
    }
  }

  end(): string {
    return this.write(new Uint8Array(0), true);
  }
}
