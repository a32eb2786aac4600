/**
 * eventemitter3 seen through plain, non-generic signatures, so that Server, Namespace and Socket can declare their
 * own typed `on`/`once`/`off`/`emit` (a generic base signature cannot be narrowed by a subclass). eventemitter3
 * has no special "error" semantics: an event named "error" with no listener is simply dropped, never thrown.
 */
import { EventEmitter } from "eventemitter3";

export type AnyListener = (...args: never[]) => unknown;

export interface BaseEmitter {
  on(event: string | number, fn: AnyListener): this;
  once(event: string | number, fn: AnyListener): this;
  off(event: string | number, fn?: AnyListener): this;
  removeListener(event: string | number, fn?: AnyListener): this;
  removeAllListeners(event?: string | number): this;
  listeners(event: string | number): AnyListener[];
  listenerCount(event: string | number): number;
  emit(event: string | number, ...args: unknown[]): boolean;
}

export const BaseEmitter = EventEmitter as unknown as new () => BaseEmitter;

const localEmit = EventEmitter.prototype.emit as (
  this: unknown,
  event: string | number,
  ...args: unknown[]
) => boolean;

/** Dispatch to local listeners, bypassing a subclass `emit` that sends over the wire. */
export function emitLocal(target: BaseEmitter, event: string | number, args: unknown[]): boolean {
  switch (args.length) {
    case 0:
      return localEmit.call(target, event);
    case 1:
      return localEmit.call(target, event, args[0]);
    case 2:
      return localEmit.call(target, event, args[0], args[1]);
    default:
      return localEmit.apply(target, [event, ...args]);
  }
}
