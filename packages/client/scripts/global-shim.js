// The global object for the browser bundles: IE10/11-class browsers have no `globalThis`. esbuild maps every
// `globalThis` in the bundle to this value (bundle.mjs: `define` + `inject`), so this file must not say it.
export var __ladderGlobal =
  typeof self !== "undefined"
    ? self
    : typeof window !== "undefined"
      ? window
      : typeof global !== "undefined"
        ? global
        : Function("return this")();
