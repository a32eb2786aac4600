// Generators shared by the streaming parser tests (streaming-property: the full parser; streaming-lean: the lean
// parser against the full one): chunk splitting, the encoder's streams, and near-misses of the framing syntax.
import fc from "fast-check";
import { encodeStreamEnd, encodeStreamPart, encodeStreamPrelude } from "../src/streaming/index.js";

/** Random cut points, applied by {@link split}. */
export const cutsArb = fc.array(fc.nat(), { maxLength: 8 });

/** Splits a string or byte input at the cut points (taken modulo the length, sorted). */
export function split<T extends string | Uint8Array>(input: T, cuts: number[]): T[] {
  const points = cuts.map((cut) => cut % (input.length + 1)).sort((a, b) => a - b);
  const chunks: T[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(input.slice(from, point) as T);
    from = point;
  }
  chunks.push(input.slice(from) as T);
  return chunks;
}

/** Everything that depends on the boundary `b`. */
export function streamArbitraries(b: string) {
  const framing = [
    "\r",
    "\n",
    "\r\n",
    "-",
    "--",
    `--${b}`,
    `\r\n--${b}\r\n`,
    `--${b}--`,
    `\r\n--${b}--\r\n`,
    "Content-Length: ",
    "Content-Type: text/plain; charset=UTF-8\r\n",
    ":",
    " ",
  ];

  /** The whole response for these bodies, from the server's encoder. */
  const encodeStream = (bodies: string[], preludeSize: number): string =>
    encodeStreamPrelude(preludeSize) +
    bodies.map((body) => encodeStreamPart(body, b)).join("") +
    encodeStreamEnd(b);

  /** Any body: full Unicode (astral characters, lone surrogates) mixed with framing text. */
  const anyBody = fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)) },
      { weight: 2, arbitrary: fc.constantFrom(...framing) },
    ),
    maxLength: 30,
  });

  /** Streams made of framing tokens and text. */
  const tokenStream = fc
    .array(
      fc.oneof(
        fc.constantFrom(...framing, "0", "2", "17", "4a", "é", "😀", "\ud800", "Content-Length: 2\r\n\r\n"),
        anyBody,
      ),
      { maxLength: 30 },
    )
    .map((tokens) => tokens.join(""));

  /** Valid streams with one to three random single-character edits. */
  const editedStream = fc
    .tuple(
      fc.array(anyBody, { minLength: 1, maxLength: 4 }),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom("delete", "insert", "replace"),
          fc.constantFrom("\r", "\n", "-", "0", "9", "x", ":", " ", "\t", "é", "\ud83d"),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([bodies, edits]) => {
      let stream = encodeStream(bodies, 2);
      for (const [at, kind, char] of edits) {
        const i = at % (stream.length + 1);
        if (kind === "insert") stream = stream.slice(0, i) + char + stream.slice(i);
        else stream = stream.slice(0, i) + (kind === "replace" ? char : "") + stream.slice(i + 1);
      }
      return stream;
    });

  return { framing, encodeStream, anyBody, tokenStream, editedStream };
}
