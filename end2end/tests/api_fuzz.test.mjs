// Schema-based fuzzing of the mini-program API: schemathesis (from PyPI, installed by
// `scripts/setup.sh --test`) reads the served OpenAPI document and sends what it generates from
// it, signed in and not. Every answer must be no 5xx, a status the document lists, and a body
// that matches the document. Bounded in time (FUZZ_SECONDS per run, default 60).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startServer } from '../server.mjs';

const root = resolve(import.meta.dirname, '../..');
const schemathesis = process.env.SCHEMATHESIS || join(root, 'target/fuzz-venv/bin/schemathesis');
const seconds = process.env.FUZZ_SECONDS || '60';

let server;
let wechat;

/** WeChat's jscode2session as a local fake: any code signs in, as an openid made from it. */
function fakeWechat() {
  return new Promise((ok) => {
    const s = createServer((req, res) => {
      const code = new URL(req.url, 'http://x').searchParams.get('js_code') || '';
      res.setHeader('content-type', 'application/json');
      const openid = `o${createHash('sha256').update(code).digest('hex').slice(0, 27)}`;
      res.end(JSON.stringify({ openid, session_key: 'c2Vzc2lvbg==' }));
    });
    // longer than the server's HTTP client keeps idle connections, so it never sends on one
    // this fake has just dropped
    s.keepAliveTimeout = 120_000;
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

before(async () => {
  wechat = await fakeWechat();
  server = await startServer({
    JISHI_WECHAT__APPID: 'wx0000000000fuzz',
    JISHI_WECHAT__SECRET: 'fuzz-secret-not-real',
    JISHI_WECHAT__API_BASE: `http://127.0.0.1:${wechat.address().port}`,
  });
});

after(async () => {
  await server?.stop();
  wechat?.close();
});

/** Runs schemathesis (asynchronously: this process also serves the WeChat fake). */
function fuzz(extra) {
  const args = [
    'run', `${server.base}/api/mp/v1/openapi.json`,
    '--url', `${server.base}/api/mp/v1`,
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--max-time', seconds,
    '--workers', '2',
    '--request-timeout', '10',
    '--suppress-health-check', 'all',
    '--warnings', 'off',
    ...extra,
  ];
  return new Promise((ok) => {
    const p = spawn(schemathesis, args, { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', (error) => ok({ error, out }));
    p.on('close', (status) => ok({ status, out }));
  });
}

/// Errors schemathesis raises inside itself, never about an answer of ours: a generator that
/// trips over itself, and a CPython race in `ast.parse` between its worker threads (Python
/// 3.11). A network error (the server down or hanging) is not among them.
const TOOL_ERRORS = [/Inconsistent results/, /AST constructor recursion depth mismatch/];

/** Whether every block of the report's ERRORS section is one of the tool's own errors. */
function toolErrorsOnly(out) {
  const section = out.match(/=+ ERRORS =+\n([\s\S]*?)\n\s*=+ SUMMARY =+/)?.[1];
  if (!section) return false;
  const blocks = section.split(/\n\s*_{3,} .+ _{3,}\n/).filter((b) => b.trim());
  return blocks.length > 0 && blocks.every((b) => TOOL_ERRORS.some((e) => e.test(b)));
}

/** The report with its FAILURES and ERRORS sections first: what a truncated log must keep. */
function failuresFirst(out) {
  const at = out.search(/=+ (FAILURES|ERRORS) =+/);
  return at < 0 ? out : `${out.slice(at)}\n--- the report from its start ---\n${out.slice(0, at)}`;
}

test('the mini-program API answers generated requests as its document says, signed in and not', async () => {
  const login = await fetch(`${server.base}/api/mp/v1/auth/wx-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'fuzzer' }),
  });
  assert.equal(login.status, 200);
  const token = (await login.json()).data.token;
  for (const extra of [[], ['--header', `Authorization: Bearer ${token}`, '--exclude-path', '/auth/logout']]) {
    const r = await fuzz(extra);
    assert.ok(!r.error, `schemathesis did not run: ${r.error}`);
    const answersFailed = /=+ FAILURES =+/.test(r.out);
    assert.ok(!answersFailed && (r.status === 0 || toolErrorsOnly(r.out)), failuresFirst(r.out));
    const generated = Number(r.out.match(/(\d+) generated/)?.[1] ?? 0);
    assert.ok(generated > 500, `only ${generated} requests were generated:\n${r.out}`);
  }
});
