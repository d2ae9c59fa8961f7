// Reduces newman's JSON report to failures and one count line, for run-classic.sh.
// usage: node summarize-newman.js COLLECTION REPORT SUMMARY_OUT NEWMAN_LOG [--partial]
//   --partial: newman ran part of the collection (--folder): items are named by their own name and the
//   ones not run are not failures.
// Last line: "realworld: N passed, M failed" (per assertion). Exit 0 only when M == 0 and N > 0.
'use strict';
const fs = require('fs');

const [collectionPath, reportPath, summaryPath, logPath, mode] = process.argv.slice(2);
const partial = mode === '--partial';
const MAX_LINES = 80;

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const oneLine = (text) => String(text || '').replace(/\s+/g, ' ').trim().slice(0, 200);

// "Folder / Request" for every request, in run order (= newman's cursor.position)
function requestPaths(items, prefix = '') {
  return items.flatMap((item) => {
    const name = prefix ? `${prefix} / ${item.name}` : item.name;
    return Array.isArray(item.item) ? requestPaths(item.item, name) : [name];
  });
}

function finish(passed, failed, lines) {
  lines.slice(0, MAX_LINES).forEach((line) => console.log(line));
  if (lines.length > MAX_LINES) console.log(`... ${lines.length - MAX_LINES} more (${summaryPath})`);
  console.log(`realworld: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

let run;
try {
  run = readJson(reportPath).run;
} catch (error) {
  let log = '';
  try { log = fs.readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-30).join('\n'); } catch { /* no log */ }
  finish(0, 1, [log, `FAIL no newman report (${oneLine(error.message)})`].filter(Boolean));
}

const paths = partial ? [] : requestPaths(readJson(collectionPath).item);
const executions = run.executions || [];
const lines = [];
const requests = [];
let passed = 0;
let failed = 0;
const ran = new Set();
for (const execution of executions) {
  const position = execution.cursor ? execution.cursor.position : undefined;
  ran.add(position);
  const name = paths[position] || (execution.item && execution.item.name) || '?';
  const code = execution.response ? execution.response.code : null;
  const request = { name, method: execution.request && execution.request.method, code, passed: 0, failures: [] };
  const fail = (what, message) => {
    failed += 1;
    request.failures.push({ what, message: oneLine(message) });
    const detail = oneLine(message) ? `: ${oneLine(message)}` : '';
    lines.push(`FAIL ${name} [${code === null ? 'no response' : `HTTP ${code}`}] ${what}${detail}`);
  };
  const assertions = execution.assertions || [];
  for (const assertion of assertions) {
    if (!assertion.error) { passed += 1; request.passed += 1; continue; }
    const message = assertion.error.message;
    fail(assertion.assertion, message === 'expected false to be truthy' ? '' : message);
  }
  const scriptErrors = [...(execution.prerequestScript || []), ...(execution.testScript || [])]
    .filter((script) => script && script.error);
  for (const { error } of scriptErrors) fail('script error, later assertions not run', `${error.name}: ${error.message}`);
  if (execution.requestError && !assertions.length && !scriptErrors.length) {
    fail('request error', execution.requestError.message || execution.requestError.code);
  }
  requests.push(request);
}
if (!executions.length) { failed += 1; lines.push('FAIL no request was run'); }
paths.forEach((name, position) => {
  if (executions.length && !ran.has(position)) { failed += 1; lines.push(`FAIL ${name} not run`); }
});

const stats = run.stats || {};
const count = (key, field) => (stats[key] ? stats[key][field] : 0);
lines.push(`requests: ${requests.length} run, ${requests.filter((r) => r.failures.length).length} with failures;` +
  ` newman assertions: ${count('assertions', 'total')} total, ${count('assertions', 'failed')} failed;` +
  ` script errors: ${count('testScripts', 'failed') + count('prerequestScripts', 'failed')}`);
try { fs.writeFileSync(summaryPath, JSON.stringify({ passed, failed, unit: 'assertion', requests }, null, 1)); } catch { /* report only */ }
finish(passed, failed, lines);
