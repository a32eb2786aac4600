import { decodeJsonpBody, encodeJsonpResponse } from "@ladder/protocol";
import { PollingTransport } from "./polling.js";

/**
 * JSONP polling, for browsers that can neither do CORS XHR nor WebSocket: GET responses are scripts calling
 * `___eio[j](...)` and POST bodies are form-encoded `d=<payload>`. Everything else is plain polling. The
 * engine only creates this transport after checking that `j` is digits only, so nothing user-controlled is
 * ever reflected into the script.
 */
export class JsonpPollingTransport extends PollingTransport {
  protected override contentType = "text/javascript; charset=UTF-8";

  protected override encodeResponse(payload: string): string {
    return encodeJsonpResponse(payload, this.ctx.query.j ?? "");
  }

  protected override decodeRequest(body: string): string {
    return decodeJsonpBody(body);
  }
}
