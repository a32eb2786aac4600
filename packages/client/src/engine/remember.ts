/**
 * Opt-in per-origin memory of the transport a session last reached (`rememberTransport`), so the next page load
 * starts there instead of climbing the ladder again. Stored in localStorage when the page has it (quota errors,
 * disabled storage and private modes are ignored: the memory is a hint, never a requirement).
 */
interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): StorageLike | null {
  try {
    const s = (globalThis as { localStorage?: StorageLike }).localStorage;
    return s && typeof s.getItem === "function" ? s : null;
  } catch {
    // Reading localStorage throws where storage is disabled.
    return null;
  }
}

function key(origin: string): string {
  return "ladder:transport:" + origin;
}

/** The transport remembered for `origin` (scheme://host:port + path), or null. */
export function recallTransport(origin: string): string | null {
  const s = storage();
  if (!s) return null;
  try {
    return s.getItem(key(origin));
  } catch {
    return null;
  }
}

/** Remembers `name` for `origin`; null forgets it (the remembered transport failed). */
export function rememberTransport(origin: string, name: string | null): void {
  const s = storage();
  if (!s) return;
  try {
    if (name === null) s.removeItem(key(origin));
    else s.setItem(key(origin), name);
  } catch {
    // quota or a disabled storage: the memory is only a hint
  }
}
