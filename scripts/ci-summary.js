// Prints the combined jest result of CI's test runs as its last line ("tests: N passed, N failed"),
// after naming any CI step that failed; exits non-zero when anything failed.
const fs = require('node:fs');
const files = process.argv.slice(2).filter((a) => a.endsWith('.json'));
const failedSteps = process.argv.slice(2).filter((a) => !a.endsWith('.json'));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of files) {
  if (!fs.existsSync(f)) {
    failedSteps.push(`${f} missing`);
    continue;
  }
  const r = JSON.parse(fs.readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || failedSteps.length ? 1 : 0);
