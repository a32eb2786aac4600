// Object.hasOwn is ES2022 and these codecs ship in the ES5 legacy bundle. Keep a reference to the ES3
// method: Biome's autofix rewrites `Object.prototype.hasOwnProperty.call(o, k)` into Object.hasOwn.
const objectHasOwnProperty = Object.prototype.hasOwnProperty;

/** True when `key` is an own property of `object` (never an inherited one such as `toString`). @internal */
export function hasOwn(object: object, key: string): boolean {
  return objectHasOwnProperty.call(object, key);
}
