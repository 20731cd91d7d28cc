// End-to-end tests of AgentFlow in headless Chromium: openaiserver runs on
// the offline model with the sleep, View and LS tools, and each test drives
// the page as a user would. Screenshots at phone and desktop sizes go to
// build/ui-screenshots/ (SCREENSHOT_DIR) for a reviewer to look at.
//
// Environment: AGENTFLOW_BIN, a folder holding openaiserver, sleep, View and
// LS (default: built here with go build); CHROMIUM (default
// /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../../..');
const shots = process.env.SCREENSHOT_DIR || path.join(root, 'build', 'ui-screenshots');
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 820 };
const model = 'gemini-2.5-flash';

// A 1x1 PNG.
const dot = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const evil = '<img src=x onerror="window.__pwned=1;alert(1)">\n<script>window.__pwned=2;alert(2)</script>\n[click me](javascript:window.__pwned=3)\n';

let tmp;
let bin;
let browser;
let server;

function buildBinaries() {
  if (process.env.AGENTFLOW_BIN) return process.env.AGENTFLOW_BIN;
  const out = path.join(tmp, 'bin');
  execFileSync('go', ['build', '-o', out + '/', './host/cmd/openaiserver', './tools/cmd/sleep', './tools/cmd/View', './tools/cmd/LS'],
    { cwd: root, stdio: 'inherit' });
  return out;
}

// startServer runs openaiserver on a free port of 127.0.0.1 and resolves
// once it listens. The environment names no Google credentials, so the
// offline model answers.
function startServer(env = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
    !/^(GCP_|GOOGLE_|GEMINI_|MODEL_BASE_URL$|OPENAISERVER_API_KEYS$|PORT$|HOST$|CORS_ORIGINS$)/.test(k)));
  const tools = ['sleep', 'View', 'LS'].map((t) => path.join(bin, t)).join(';');
  const proc = spawn(path.join(bin, 'openaiserver'), ['-port', '0', '-mcpservers', tools], {
    env: { ...clean, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const s = { proc, log: '', url: '' };
  proc.stderr.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('openaiserver did not start within 30s:\n' + s.log)), 30000);
    proc.stderr.on('data', (d) => {
      s.log += d;
      const m = /msg=listening url=(http:\/\/\S+)/.exec(s.log);
      if (m && !s.url) {
        s.url = m[1];
        clearTimeout(timer);
        resolve(s);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error('openaiserver exited with ' + code + ':\n' + s.log));
    });
  });
}

// waitFor polls cond until it is true or the deadline passes.
async function waitFor(what, cond, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// open returns a fresh page (its own storage) on the UI, with its chat
// requests, dialogs, errors and policy violations recorded.
async function open(t, opts = {}) {
  const ctx = await browser.newContext({ viewport: opts.viewport || desktop, colorScheme: opts.colorScheme || 'light' });
  ctx.setDefaultTimeout(15000);
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const rec = { requests: [], dialogs: [], errors: [] };
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/chat/completions')) rec.requests.push({ body: JSON.parse(r.postData()), headers: r.headers() });
  });
  page.on('dialog', (d) => {
    rec.dialogs.push(d.message());
    d.dismiss();
  });
  page.on('pageerror', (e) => rec.errors.push(e.message));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  await page.goto((opts.server || server).url + '/ui/');
  if (!opts.noModels) await page.waitForSelector('#model option', { state: 'attached' });
  return { page, rec };
}

// send sends text as the user and returns once its answer has begun.
async function send(page, text) {
  const answers = page.locator('.msg.assistant');
  const n = await answers.count();
  await page.fill('#prompt', text);
  await page.press('#prompt', 'Enter');
  await waitFor('the answer to begin', async () => (await answers.count()) > n);
}

const lastAnswer = (page) => page.locator('.msg.assistant').last();

async function answered(page) {
  await page.waitForSelector('.msg.assistant:last-child:is([data-status=done], [data-status=error], [data-status=stopped])');
  return lastAnswer(page);
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agentflow-'));
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'hello.txt'), 'Hello from the file tools.\n');
  fs.writeFileSync(path.join(tmp, 'evil.html'), evil);
  fs.writeFileSync(path.join(tmp, 'dot.png'), dot);
  fs.writeFileSync(path.join(tmp, 'long.txt'), Array.from({ length: 60 }, (_, i) => 'line ' + (i + 1)).join('\n') + '\n');
  bin = buildBinaries();
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // launch gives the browser a fresh, temporary --user-data-dir.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  server?.proc.kill();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the page loads with its policy, the models and the tools', async (t) => {
  const { page, rec } = await open(t);
  const res = await page.request.get(server.url + '/ui/');
  assert.match(res.headers()['content-security-policy'], /script-src 'self';/);
  assert.deepEqual(await page.locator('#model option').allTextContents(), ['gemini-2.5-flash', 'gemini-2.5-pro']);
  assert.equal(await page.textContent('#tools-count'), '3/3');
  assert.ok(await page.isVisible('#offline-badge'), 'the offline model is labelled');
  assert.ok(await page.isVisible('.welcome'));
  const manifest = await page.request.get(server.url + '/ui/manifest.webmanifest');
  assert.equal((await manifest.json()).start_url, '/ui/');
  assert.deepEqual(rec.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('an answer streams, and a tool call shows as it starts and completes', async (t) => {
  const { page, rec } = await open(t);
  await send(page, 'sleep 1 second');
  const tool = page.locator('.tool[data-name=sleep]');
  await tool.and(page.locator('[data-status=running]')).waitFor();
  // The text before the call is on screen while the call still runs: the
  // answer streams rather than arriving at the end.
  assert.match(await lastAnswer(page).locator('.md').first().innerText(), /Calling sleep\./);
  assert.equal(await lastAnswer(page).getAttribute('data-status'), 'streaming');
  assert.ok(await page.isVisible('#stop'));
  assert.match(await tool.locator('.tool-args').innerText(), /\{"seconds":1\}/);

  await tool.and(page.locator('[data-status=done]')).waitFor();
  assert.match(await tool.locator('.tool-time').innerText(), /^\d+(\.\d)? (ms|s)$/);
  assert.ok(!(await tool.evaluate((d) => d.open)), 'details start closed');
  await tool.locator('summary').click();
  assert.equal(await tool.locator('.tool-out.result').innerText(), 'Slept for 1 seconds');
  assert.match(await tool.locator('.tool-out').first().innerText(), /"seconds": 1/);

  const answer = await answered(page);
  assert.equal(await answer.getAttribute('data-status'), 'done');
  assert.match(await answer.locator('pre.code').innerText(), /Slept for 1 seconds/);
  assert.ok(await tool.evaluate((d) => d.open), 'an opened call stays open when the answer ends');

  assert.equal(rec.requests.length, 1);
  assert.equal(rec.requests[0].body.model, model, 'all tools chosen: the bare model');
  assert.equal(rec.requests[0].body.stream, true);
  assert.equal(rec.requests[0].headers['x-tool-events'], 'true');
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'desktop-tool-call.png') });
});

test('tools switched off are not offered, and the choice is remembered', async (t) => {
  const { page, rec } = await open(t);
  const tools = (await (await page.request.get(server.url + '/v1/tools')).json()).tools.map((x) => x.name);
  await page.click('#tools-btn');
  await page.uncheck('#tool-list input[value=sleep]');
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'desktop-tools-dialog.png') });
  await page.click('#tools-dialog button[value=close]');
  assert.equal(await page.textContent('#tools-count'), '2/3');

  await send(page, 'sleep 1 second');
  const answer = await answered(page);
  assert.equal(rec.requests.at(-1).body.model, [model, ...tools.filter((n) => n !== 'sleep')].join('|'));
  assert.equal(await answer.locator('.tool').count(), 0);
  assert.match(await answer.innerText(), /declares no such tool/);

  await page.reload();
  await page.waitForSelector('#model option', { state: 'attached' });
  assert.equal(await page.textContent('#tools-count'), '2/3');
  await page.click('#tools-btn');
  assert.equal(await page.isChecked('#tool-list input[value=sleep]'), false);
  assert.equal(await page.isChecked('#tool-list input[value=View]'), true);
  await page.click('#tools-none');
  await page.click('#tools-dialog button[value=close]');
  await send(page, 'hello');
  await answered(page);
  assert.equal(rec.requests.at(-1).body.model, model + '|', 'no tools at all');
});

test('Stop aborts a long sleep and the server cancels it', async (t) => {
  const { page } = await open(t, { viewport: phone });
  const before = server.log.split('client went away').length;
  await send(page, 'sleep 30 seconds');
  const tool = page.locator('.tool[data-name=sleep]');
  await tool.and(page.locator('[data-status=running]')).waitFor();
  const start = Date.now();
  await page.click('#stop');
  const answer = await answered(page);
  assert.ok(Date.now() - start < 5000, 'stopping is prompt');
  assert.equal(await answer.getAttribute('data-status'), 'stopped');
  assert.equal(await tool.getAttribute('data-status'), 'stopped');
  assert.ok(await answer.locator('.stopped').isVisible());
  assert.ok(await page.isVisible('#send'));
  assert.ok(!(await page.isVisible('#stop')));
  await waitFor('the server to log the cancelled request', () => server.log.split('client went away').length > before);
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'phone-stopped.png') });

  // Esc stops too.
  await send(page, 'sleep 30 seconds');
  await page.locator('.tool[data-status=running]').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await (await answered(page)).getAttribute('data-status'), 'stopped');
});

test('conversations survive a reload, with their tool calls sent back as history', async (t) => {
  const { page, rec } = await open(t);
  const file = path.join(tmp, 'hello.txt');
  await send(page, 'read ' + file);
  await answered(page);
  assert.equal(await page.locator('.tool[data-name=View]').getAttribute('data-status'), 'done');

  // Rename it, and start a second conversation.
  await page.click('.conv.current button[aria-label^=Rename]');
  await page.fill('.conv input.rename', 'Hello file');
  await page.press('.conv input.rename', 'Enter');
  assert.equal(await page.textContent('#title'), 'Hello file');
  await page.click('#new-chat');
  await send(page, 'hello');
  await answered(page);

  await page.reload();
  await page.waitForSelector('#model option', { state: 'attached' });
  const titles = await page.locator('.conv-open').allTextContents();
  assert.deepEqual(titles, ['hello', 'Hello file']);
  await page.click('.conv-open:text-is("Hello file")');
  assert.match(await page.locator('.msg.user').first().innerText(), /read .*hello\.txt/);
  assert.equal(await page.locator('.tool[data-name=View]').getAttribute('data-status'), 'done');

  // The follow-up carries the call and its result as standard messages.
  await send(page, 'thanks');
  const answer = await answered(page);
  const msgs = rec.requests.at(-1).body.messages;
  assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user']);
  assert.equal(msgs[1].tool_calls[0].function.name, 'View');
  // The thought signature goes back with the call, or Gemini refuses it.
  assert.match(msgs[1].tool_calls[0].extra_content?.google?.thought_signature ?? '', /^[A-Za-z0-9+/]+=*$/);
  assert.deepEqual(JSON.parse(msgs[1].tool_calls[0].function.arguments), { file_path: file });
  assert.equal(msgs[2].tool_call_id, msgs[1].tool_calls[0].id);
  assert.match(msgs[2].content, /Hello from the file tools\./);
  assert.equal(await answer.getAttribute('data-status'), 'done', await answer.innerText());

  // A system prompt is kept per conversation.
  await page.click('#settings-btn');
  await page.fill('#system', 'Answer briefly.');
  await page.click('#settings-save');
  await page.waitForSelector('#settings-dialog:not([open])', { state: 'attached' });
  await send(page, 'hello again');
  await answered(page);
  assert.deepEqual(rec.requests.at(-1).body.messages[0], { role: 'system', content: 'Answer briefly.' });

  // Delete asks for a second click.
  await page.click('.conv.current button[aria-label^=Delete]');
  assert.equal(await page.locator('.conv-open').count(), 2);
  await page.click('.conv.current button[aria-label^=Confirm]');
  await waitFor('the conversation to go', async () => (await page.locator('.conv-open').count()) === 1);
  assert.deepEqual(await page.locator('.conv-open').allTextContents(), ['hello']);
  await page.reload();
  await page.waitForSelector('.conv-open');
  assert.deepEqual(await page.locator('.conv-open').allTextContents(), ['hello'], 'deleted for good');
});

test('copy puts the answer on the clipboard; regenerate asks again', async (t) => {
  const { page, rec } = await open(t);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await send(page, 'sleep 0.1 seconds');
  const answer = await answered(page);
  await answer.locator('.actions button', { hasText: 'Copy' }).click();
  await waitFor('the copy', async () => /Slept for 0\.1 seconds/.test(await page.evaluate(() => navigator.clipboard.readText())));
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^Calling `sleep`\./);

  await answer.locator('.actions button', { hasText: 'Regenerate' }).click();
  await waitFor('the second request', () => rec.requests.length === 2);
  await answered(page);
  assert.deepEqual(rec.requests[1].body.messages, rec.requests[0].body.messages, 'the same history, without the old answer');
  assert.equal(await page.locator('.msg.assistant').count(), 1);
  assert.equal(await page.locator('.msg.assistant[data-status=done] .tool[data-status=done]').count(), 1);
});

test('export gives Markdown and JSON', async (t) => {
  const { page } = await open(t);
  await send(page, 'sleep 0.1 seconds');
  await answered(page);
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#export-md')]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  assert.match(text, /^# sleep 0\.1 seconds\n/);
  assert.match(text, /\*\*Tool `sleep`\*\* \(done, \d+ ms\)/);
  assert.match(text, /Slept for 0\.1 seconds/);
  const [js] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const conv = JSON.parse(fs.readFileSync(await js.path(), 'utf8'));
  assert.equal(conv.messages.length, 2);
  assert.equal(conv.openai_messages[1].tool_calls[0].function.name, 'sleep');
});

test('an attached image is sent as a data URL; a file too large is refused', async (t) => {
  const { page, rec } = await open(t, { viewport: phone });
  await page.setInputFiles('#file', [{ name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(11 << 20) }]);
  assert.match(await page.textContent('#notice'), /big\.png is 11\.0 MB: attachments are limited to 10\.0 MB each/);
  assert.equal(await page.locator('#attachments li').count(), 0);

  await page.setInputFiles('#file', [{ name: 'dot.png', mimeType: 'image/png', buffer: dot }]);
  assert.match(await page.locator('#attachments li').innerText(), /dot\.png/);
  assert.ok(await page.isHidden('#notice'));
  await send(page, 'what is in this picture?');
  const answer = await answered(page);
  assert.equal(await answer.getAttribute('data-status'), 'done', await answer.innerText());
  const content = rec.requests.at(-1).body.messages[0].content;
  assert.deepEqual(content[0], { type: 'text', text: 'what is in this picture?' });
  assert.equal(content[1].type, 'image_url');
  assert.equal(content[1].image_url.url, 'data:image/png;base64,' + dot.toString('base64'));
  const img = page.locator('.msg.user img.thumb');
  await waitFor('the thumbnail to load', () => img.evaluate((i) => i.complete && i.naturalWidth === 1));
  assert.equal(await page.locator('#attachments li').count(), 0);
});

test('markup in model text, tool output and user text never runs', async (t) => {
  const { page, rec } = await open(t);
  await send(page, '<img src=x onerror="window.__pwned=4;alert(4)"> <script>window.__pwned=5</script> hello');
  await answered(page);
  await send(page, 'read ' + path.join(tmp, 'evil.html'));
  const answer = await answered(page);
  const tool = page.locator('.tool[data-name=View]');
  await tool.locator('summary').click();

  // Nothing ran, nor even reached the page as markup.
  await page.waitForFunction(() => [...document.querySelectorAll('#messages img')].every((i) => i.complete));
  const seen = await page.evaluate(() => ({
    pwned: window.__pwned,
    violations: window.__violations,
    imgs: [...document.querySelectorAll('#messages img')].map((i) => i.getAttribute('src')).filter((s) => s !== 'icon.svg'),
    scripts: document.querySelectorAll('#messages script').length,
    handlers: [...document.querySelectorAll('#messages *')].flatMap((e) => e.getAttributeNames().filter((a) => a.startsWith('on'))),
    links: [...document.querySelectorAll('#messages a')].map((a) => a.href),
  }));
  assert.deepEqual(seen, { pwned: undefined, violations: [], imgs: [], scripts: 0, handlers: [], links: [] });
  // Everything shows as text instead.
  assert.match(await tool.locator('.tool-out.result').innerText(), /<img src=x onerror="window.__pwned=1;alert\(1\)">/);
  assert.match(await tool.locator('.tool-out.result').innerText(), /<script>window.__pwned=2;alert\(2\)<\/script>/);
  assert.match(await answer.locator('pre.code').innerText(), /<img src=x onerror=/);
  assert.match(await answer.locator('pre.code').innerText(), /<script>window.__pwned=2/);
  assert.match(await page.locator('.msg.user').first().innerText(), /<img src=x onerror=/);

  assert.deepEqual(rec.dialogs, []);
  assert.deepEqual(rec.errors, []);
});

test('the Markdown renderer keeps hostile input inert', async (t) => {
  const { page, rec } = await open(t);
  const out = await page.evaluate(async () => {
    const { render } = await import('/ui/markdown.js');
    const box = document.createElement('div');
    box.append(render([
      '# Title <img src=x onerror=window.__pwned=6>',
      '<svg onload="window.__pwned=7"></svg><iframe src="javascript:window.__pwned=8"></iframe>',
      '[js](javascript:window.__pwned=9) [data](data:text/html,<script>window.__pwned=10</script>) [ok](https://example.com/a?b=1)',
      '![pic](https://example.com/p.png) ![x](javascript:alert(1)) **bold <b>x</b>** `<code>` <https://example.org>',
      '- item <a href="javascript:alert(1)">a</a>',
      '| a | <img src=x onerror=alert(1)> |', '|---|---|', '| `x` | [y](vbscript:z) |',
      '```html', '</code></pre><script>window.__pwned=11</script>', '```',
      '```js', 'const a = "</script>"; // <img src=x onerror=alert(1)>', '```',
    ].join('\n')));
    document.body.append(box);
    await new Promise((r) => setTimeout(r, 100));
    const elements = [...box.querySelectorAll('*')];
    return {
      pwned: window.__pwned,
      tags: [...new Set(elements.map((e) => e.tagName.toLowerCase()))].sort(),
      handlers: elements.flatMap((e) => e.getAttributeNames().filter((a) => a.startsWith('on'))),
      links: [...box.querySelectorAll('a')].map((a) => a.href),
      text: box.textContent,
      highlighted: box.querySelectorAll('pre code span.hl-kw, pre code span.hl-str, pre code span.hl-com').length,
    };
  });
  assert.equal(out.pwned, undefined);
  assert.deepEqual(out.handlers, []);
  for (const tag of out.tags) {
    assert.ok(['a', 'br', 'button', 'code', 'div', 'h2', 'li', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul'].includes(tag), 'unexpected element ' + tag);
  }
  assert.deepEqual(out.links, ['https://example.com/a?b=1', 'https://example.com/p.png', 'https://example.org/']);
  assert.match(out.text, /<svg onload="window.__pwned=7"><\/svg>/);
  assert.match(out.text, /<\/code><\/pre><script>window.__pwned=11<\/script>/);
  assert.ok(out.highlighted >= 3, 'code is highlighted');
  assert.deepEqual(rec.dialogs, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('a message sent before the model list arrives waits for it', async (t) => {
  let release;
  const held = new Promise((r) => { release = r; });
  const ctx = await browser.newContext({ viewport: desktop });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const bodies = [];
  page.on('request', (r) => { if (r.url().endsWith('/v1/chat/completions')) bodies.push(JSON.parse(r.postData())); });
  await page.route('**/v1/models', async (route) => { await held; await route.continue(); });
  await page.goto(server.url + '/ui/');
  await page.fill('#prompt', 'Hello');
  await page.press('#prompt', 'Enter');
  assert.equal(bodies.length, 0, 'nothing is sent without a model');
  release();
  await page.waitForSelector('.msg.assistant[data-status=done]');
  assert.equal(bodies.length, 1);
  assert.equal(bodies[0].model, model);
});

test('a server that does not answer gets a sentence and a retry', async (t) => {
  const ctx = await browser.newContext({ viewport: phone });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
  await page.goto(server.url + '/ui/');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /does not answer: is openaiserver running\?/);
  assert.doesNotMatch(await page.textContent('#notice'), /Failed to fetch/);
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'phone-server-down.png') });
  // The server is back: Retry loads the models, and the page works.
  await page.unroute('**/v1/**');
  await page.click('#notice button');
  await page.waitForSelector('#model option', { state: 'attached' });
  assert.ok(await page.isHidden('#notice'));
  // Down during an answer: the answer says so in a sentence.
  await page.route('**/v1/chat/completions', (route) => route.abort('connectionrefused'));
  await page.fill('#prompt', 'Hello');
  await page.press('#prompt', 'Enter');
  const answer = await answered(page);
  assert.equal(await answer.getAttribute('data-status'), 'error');
  assert.match(await answer.locator('.msg-error').innerText(), /does not answer: is openaiserver running\? Regenerate to try again\./);
});

test('an image a tool returns is shown in its card', async (t) => {
  const { page } = await open(t);
  await send(page, 'read ' + path.join(tmp, 'dot.png'));
  await answered(page);
  const tool = page.locator('.tool[data-name=View]');
  await tool.and(page.locator('[data-status=done]')).waitFor();
  assert.ok(await tool.evaluate((d) => d.open), 'a card with an image opens');
  const img = tool.locator('.tool-images img');
  await waitFor('the image to load', () => img.evaluate((i) => i.complete && i.naturalWidth === 1));
  assert.match(await img.getAttribute('src'), /^data:image\/png;base64,/);
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'desktop-tool-image.png') });
});

test('a long tool output is folded, and shown whole on request', async (t) => {
  const { page } = await open(t, { viewport: phone });
  await send(page, 'read ' + path.join(tmp, 'long.txt'));
  await answered(page);
  const tool = page.locator('.tool[data-name=View]');
  await tool.locator('summary').click();
  const out = tool.locator('.tool-out.result');
  assert.doesNotMatch(await out.innerText(), /line 60/);
  assert.equal(await out.evaluate((e) => getComputedStyle(e).fontFamily.includes('mono') || getComputedStyle(e).fontFamily.includes('Mono')), true, 'tool output is monospace');
  await tool.locator('.show-all').click();
  assert.match(await out.innerText(), /line 60/);
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'phone-long-output.png') });
});

test('the server asks for an API key; the page lets the user enter it', async (t) => {
  const locked = await startServer({ OPENAISERVER_API_KEYS: 'sesame' });
  t.after(() => locked.proc.kill());
  const { page, rec } = await open(t, { server: locked, noModels: true });
  await page.waitForSelector('#settings-dialog[open]');
  assert.ok(await page.isVisible('#key-notice'));
  await page.fill('#api-key', 'sesame');
  await page.click('#settings-save');
  await page.waitForSelector('#model option', { state: 'attached' });
  await send(page, 'hello');
  const answer = await answered(page);
  assert.equal(await answer.getAttribute('data-status'), 'done');
  assert.equal(rec.requests.at(-1).headers.authorization, 'Bearer sesame');
});

test('screenshots at phone and desktop sizes, light and dark', async (t) => {
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, viewport] of [['phone', phone], ['desktop', desktop]]) {
      const { page } = await open(t, { viewport, colorScheme });
      await page.screenshot({ animations: 'disabled', path: path.join(shots, `${name}-${colorScheme}-welcome.png`) });
      await send(page, 'list ' + tmp);
      await answered(page);
      await send(page, 'sleep 0.5 seconds');
      await answered(page);
      await page.locator('.tool').last().locator('summary').click();
      await page.screenshot({ animations: 'disabled', path: path.join(shots, `${name}-${colorScheme}-chat.png`) });
      if (name === 'phone') {
        await page.click('#open-sidebar');
        await page.waitForSelector('.drawer-open #new-chat:focus');
        await page.screenshot({ animations: 'disabled', path: path.join(shots, `${name}-${colorScheme}-conversations.png`) });
      }
    }
  }
  assert.ok(fs.readdirSync(shots).filter((f) => f.endsWith('.png')).length >= 10);
});

test('corrupt settings and stored conversations do not stop the page', async (t) => {
  const { page, rec } = await open(t);
  await send(page, 'hello');
  await answered(page);
  // What an older version, a hand edit or a half-written record may leave.
  await page.evaluate(async () => {
    localStorage.setItem('agentflow.settings', '{"model": "gemini-2.5-flash", "toolsOff": nul');
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('agentflow', 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const store = db.transaction('conversations', 'readwrite').objectStore('conversations');
    store.put({ id: 'no-messages', title: 'broken', updated: Date.now() + 2 });
    store.put({ id: 'bad-message', title: 'broken too', system: '', updated: Date.now() + 1, messages: [null, { role: 'user' }] });
    await new Promise((resolve) => { store.transaction.oncomplete = resolve; });
    db.close();
  });
  await page.reload();
  await page.waitForSelector('#model option', { state: 'attached' });
  assert.equal(await page.textContent('#tools-count'), '3/3');
  assert.deepEqual(await page.locator('.conv-open').allTextContents(), ['hello']);
  assert.deepEqual(rec.errors, []);

  // A browser that cannot store the conversation (quota exceeded) still
  // answers, and says what it could not keep.
  {
    await page.evaluate(() => {
      IDBObjectStore.prototype.put = function () { throw new DOMException('the quota is exceeded', 'QuotaExceededError'); };
    });
    await send(page, 'hello again');
    const answer = await answered(page);
    assert.equal(await answer.getAttribute('data-status'), 'done');
    assert.ok(await page.isVisible('#send'), 'the page is ready for the next message');
    assert.match(await page.textContent('#notice'), /could not be saved.*quota is exceeded/);
  }
  assert.deepEqual(rec.errors, []);
});
