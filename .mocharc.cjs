// One mocha run for the whole repository: unit tests beside each package and the
// cross-package integration tests in test/, and the bench harness's own tests. TypeScript is loaded through tsx.
module.exports = {
  "node-option": ["import=tsx"],
  spec: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "bench/test/**/*.test.ts"],
  extension: ["ts"],
  timeout: 20000,
  reporter: "spec",
};
