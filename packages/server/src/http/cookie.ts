import { stringifySetCookie } from "cookie";
import type { EngineCookieOptions } from "../engine/options.js";

/**
 * The Set-Cookie value for a new session (the `cookie` package does the escaping and attribute rules), or
 * undefined when cookies are off. Defaults as the reference: name `io`, path `/`, HttpOnly, SameSite=Lax.
 */
export function sessionCookie(option: EngineCookieOptions | boolean, sid: string): string | undefined {
  if (option === false) return undefined;
  const { name = "io", ...rest } = option === true ? {} : option;
  return stringifySetCookie({
    ...rest,
    name,
    value: sid,
    path: rest.path ?? "/",
    httpOnly: rest.httpOnly ?? true,
    sameSite: rest.sameSite ?? "lax",
  });
}
