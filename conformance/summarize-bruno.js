// Reduces the Bruno CLI's JSON reports (one per folder) to failures and one count line, for run-v2.sh.
// usage: node summarize-bruno.js COLLECTION OUT_DIR REPORT_OUT FOLDER...
// A request passes when it got a response and every assertion and test of it passed; a request of the
// collection that has no result counts as failed. Last line: "realworld-v2: N passed, M failed".
// Exit 0 only when M == 0 and N > 0.
'use strict';
const fs = require('fs');
const path = require('path');

const [collection, outDir, reportPath, ...folders] = process.argv.slice(2);
const MAX_LINES = 80;
const TEST_KINDS = ['assertionResults', 'testResults', 'preRequestTestResults', 'postResponseTestResults'];

const oneLine = (text) => String(text || '').replace(/\s+/g, ' ').trim();

function requestsOf(folder) {
  try {
    return fs.readdirSync(path.join(collection, folder))
      .filter((file) => file.endsWith('.bru') && file !== 'folder.bru')
      .map((file) => `${folder}/${file.slice(0, -'.bru'.length)}`);
  } catch {
    return [];
  }
}

function resultsOf(folder) {
  const report = JSON.parse(fs.readFileSync(path.join(outDir, `${folder}.json`), 'utf8'));
  return (Array.isArray(report) ? report : [report]).flatMap((iteration) => iteration.results || []);
}

function whyFailed(result) {
  const why = result.error ? [oneLine(result.error)] : [];
  for (const kind of TEST_KINDS) {
    for (const test of result[kind] || []) {
      if (test.status === 'pass') continue;
      const what = kind === 'assertionResults' ? `${test.lhsExpr}: ${test.rhsExpr}` : test.description;
      why.push(`${what}${test.error ? ` (${oneLine(test.error)})` : ''}`);
    }
  }
  if (!why.length && result.status && result.status !== 'pass') why.push(`status ${result.status}`);
  return why;
}

function outputTail(folder) {
  try {
    return oneLine(fs.readFileSync(path.join(outDir, `${folder}.txt`), 'utf8').trim().split('\n').slice(-3).join(' | '));
  } catch {
    return 'no output';
  }
}

let passed = 0;
let failed = 0;
const lines = [];
const requests = [];
for (const folder of folders) {
  let results = [];
  try {
    results = resultsOf(folder);
  } catch {
    lines.push(`FAIL ${folder}: no report (${outputTail(folder).slice(0, 200)})`);
  }
  const seen = new Set();
  for (const result of results) {
    const name = result.path || (result.test && result.test.filename) || result.name;
    seen.add(name);
    const code = result.response && result.response.status;
    const why = whyFailed(result);
    if (why.length) failed += 1; else passed += 1;
    requests.push({ path: name, name: result.name, code, ok: !why.length, why });
    if (why.length) {
      const answer = typeof code === 'number' ? `HTTP ${code}` : 'no response';
      lines.push(`FAIL ${name} (${result.name}) [${answer}] ${why.join('; ').slice(0, 220)}`);
    }
  }
  for (const name of requestsOf(folder)) {
    if (seen.has(name)) continue;
    failed += 1;
    requests.push({ path: name, ok: false, why: ['not run'] });
    lines.push(`FAIL ${name} not run`);
  }
}

lines.slice(0, MAX_LINES).forEach((line) => console.log(line));
if (lines.length > MAX_LINES) console.log(`... ${lines.length - MAX_LINES} more (${reportPath})`);
try { fs.writeFileSync(reportPath, JSON.stringify({ passed, failed, unit: 'request', requests }, null, 1)); } catch { /* report only */ }
console.log(`realworld-v2: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
