/**
 * Opt-in per-origin memory of the transport a session last reached (`rememberTransport`), so the next page load
 * starts there instead of climbing the ladder again. Stored in localStorage when the page has it. The memory is a
 * hint, never a requirement: a missing or disabled storage (reading it may throw), quota errors and private modes
 * all end in the catch.
 */
interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const storage = (): StorageLike => (globalThis as { localStorage?: StorageLike }).localStorage!;
const key = (origin: string): string => "ladder:transport:" + origin;

/** The transport remembered for `origin` (scheme://host:port + path), or null. */
export function recallTransport(origin: string): string | null {
  try {
    return storage().getItem(key(origin));
  } catch {
    return null;
  }
}

/** Remembers `name` for `origin`; null forgets it (the remembered transport failed). */
export function rememberTransport(origin: string, name: string | null): void {
  try {
    if (name === null) storage().removeItem(key(origin));
    else storage().setItem(key(origin), name);
  } catch {
    // see above: the memory is only a hint
  }
}
