export { Utf8StreamDecoder, utf8ByteLength, utf8Decode, utf8Encode } from "../utf8.js";
export {
  assertBoundary,
  createBoundary,
  isValidBoundary,
  parseStreamingContentType,
  streamingContentType,
} from "./boundary.js";
export {
  encodeStreamEnd,
  encodeStreamPart,
  encodeStreamPartHead,
  encodeStreamPartWithHead,
  encodeStreamPrelude,
  STREAM_MAX_PRELUDE_SIZE,
  STREAM_PRELUDE_SIZE,
} from "./encode.js";
export {
  STREAM_MAX_HEADER_BYTES,
  STREAM_MAX_PART_BYTES,
  StreamParser,
  type StreamParserOptions,
} from "./parser.js";
