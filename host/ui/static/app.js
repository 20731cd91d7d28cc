// AgentFlow: a chat with the host's model that shows each tool call as it
// runs. Conversations are kept in IndexedDB; the model and the tools chosen
// are remembered in localStorage.
//
// Model and tool output only ever reach the page through markdown.js or
// textContent: nothing here assigns markup.

import * as api from './api.js';
import { render, copyText } from './markdown.js';
import { Store } from './store.js';
import { newConversation, toOpenAI, toMarkdown, assistantText } from './conversation.js';
import { icon, fill } from './icons.js';

/** MaxAttachment is the size limit of one attached file, in bytes. */
const MaxAttachment = 10 << 20;
const settingsKey = 'agentflow.settings';
const offlineOwner = 'gomcptest-offline';
// Tool output longer than this many lines is shown folded, whole behind
// "Show all".
const FoldLines = 20;
const suggestions = ['What files are in the current directory?', 'Sleep 2 seconds', 'Read /etc/hostname'];

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

function formatBytes(n) {
  if (n < 1024) return n + ' B';
  if (n < 1 << 20) return (n / 1024).toFixed(1) + ' KB';
  return (n / (1 << 20)).toFixed(1) + ' MB';
}

function formatDuration(ms) {
  return ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

function oneLine(v, max) {
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? {});
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '\u2026' : line;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// loadSettings reads the remembered choices. What is not of the expected
// shape (an older version, a hand edit, a half-written value) falls back to
// the defaults: a bad setting must not keep the page from starting.
function loadSettings() {
  const s = { model: '', toolsOff: [] };
  let v;
  try {
    v = JSON.parse(localStorage.getItem(settingsKey) || '{}');
  } catch {
    return s;
  }
  if (v && typeof v.model === 'string') s.model = v.model;
  if (v && Array.isArray(v.toolsOff)) s.toolsOff = v.toolsOff.filter((n) => typeof n === 'string');
  return s;
}

function readDataURL(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

// unreachable says in a sentence that the server did not answer; e is the
// error fetch threw (a TypeError, whose message browsers word as they
// like) or an API error.
function unreachable(e) {
  if (e instanceof api.APIError && e.status) return 'The server answered ' + e.message + '.';
  return 'The server at ' + location.host + ' does not answer: is openaiserver running?';
}

// folded shows text in a <pre>; past FoldLines lines, only the first ones
// until "Show all" is pressed.
function folded(text, cls) {
  const lines = text.split('\n');
  const pre = el('pre', { class: cls });
  if (lines.length <= FoldLines) {
    pre.textContent = text;
    return pre;
  }
  pre.textContent = lines.slice(0, FoldLines).join('\n');
  const more = el('button', { type: 'button', class: 'btn ghost small show-all' }, 'Show all ' + lines.length + ' lines');
  more.addEventListener('click', () => {
    pre.textContent = text;
    more.remove();
  });
  return el('div', { class: 'folded' }, pre, more);
}

class App {
  constructor() {
    this.store = new Store();
    this.settings = loadSettings();
    this.models = [];
    this.tools = [];
    this.convs = [];
    this.conv = newConversation();
    this.pending = []; // attachments of the next message
    this.running = null; // {controller, conv, msg} while an answer streams
    this.views = new Map(); // assistant message -> its view, for the shown conversation
    this.dirty = new Set();
  }

  async start() {
    fill(document);
    this.bind();
    try {
      this.convs = await this.store.all();
    } catch (e) {
      this.notice('The saved conversations cannot be read: ' + e.message);
    }
    if (this.convs.length) this.conv = this.convs[0];
    this.show(this.conv);
    this.ready = this.loadServer();
    await this.ready;
  }

  bind() {
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    $('prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    $('prompt').addEventListener('input', () => this.grow());
    $('prompt').addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files || [])];
      if (files.length) {
        e.preventDefault();
        this.attach(files);
      }
    });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      if (this.running) this.stop();
      else this.drawer(false);
    });
    $('stop').addEventListener('click', () => this.stop());
    $('file').addEventListener('change', (e) => {
      this.attach([...e.target.files]);
      e.target.value = '';
    });
    $('new-chat').addEventListener('click', () => {
      this.show(newConversation());
      this.drawer(false);
      $('prompt').focus();
    });
    $('open-sidebar').addEventListener('click', () => this.drawer(true));
    $('close-sidebar').addEventListener('click', () => this.drawer(false));
    $('scrim').addEventListener('click', () => this.drawer(false));
    $('export-md').addEventListener('click', () => download(this.fileName('md'), 'text/markdown', toMarkdown(this.conv)));
    $('export-json').addEventListener('click', () => download(this.fileName('json'), 'application/json',
      JSON.stringify({ ...this.conv, openai_messages: toOpenAI(this.conv) }, null, 2)));
    $('model').addEventListener('change', (e) => {
      this.settings.model = e.target.value;
      this.saveSettings();
      this.updateBadge();
    });
    $('tools-btn').addEventListener('click', () => $('tools-dialog').showModal());
    $('tools-all').addEventListener('click', () => this.setTools(this.tools.map((t) => t.name)));
    $('tools-none').addEventListener('click', () => this.setTools([]));
    $('settings-btn').addEventListener('click', () => this.openSettings(false));
    // Applied on submit, before the dialog closes, so that a message sent
    // right after already uses them.
    $('settings-form').addEventListener('submit', (e) => {
      if (e.submitter && e.submitter.value === 'save') this.applySettings();
    });
    setInterval(() => this.tick(), 250);
  }

  fileName(ext) {
    const slug = this.conv.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'conversation';
    return slug + '.' + ext;
  }

  drawer(open) {
    $('app').classList.toggle('drawer-open', open);
    $('scrim').hidden = !open;
    $('open-sidebar').setAttribute('aria-expanded', String(open));
    if (open) $('new-chat').focus();
  }

  saveSettings() {
    localStorage.setItem(settingsKey, JSON.stringify(this.settings));
  }

  // Server: models and tools.

  // loadServer reads the models and tools; it resolves either way, having
  // said what went wrong.
  async loadServer() {
    try {
      const [models, tools] = await Promise.all([api.models(), api.tools()]);
      this.models = models;
      this.tools = tools;
      this.notice('');
    } catch (e) {
      if (e.status === 401) this.openSettings(true);
      else this.notice(unreachable(e), 'Retry', () => { this.ready = this.loadServer(); });
      return;
    }
    const select = $('model');
    select.replaceChildren(...this.models.map((m) => el('option', { value: m.id }, m.id)));
    if (this.models.some((m) => m.id === this.settings.model)) select.value = this.settings.model;
    this.settings.model = select.value;
    this.updateBadge();
    this.renderTools();
  }

  updateBadge() {
    const m = this.models.find((x) => x.id === this.settings.model);
    $('offline-badge').hidden = !(m && m.owned_by === offlineOwner);
  }

  chosenTools() {
    return this.tools.map((t) => t.name).filter((n) => !this.settings.toolsOff.includes(n));
  }

  setTools(chosen) {
    this.settings.toolsOff = this.tools.map((t) => t.name).filter((n) => !chosen.includes(n));
    this.saveSettings();
    this.renderTools();
  }

  renderTools() {
    const chosen = this.chosenTools();
    $('tools-count').textContent = chosen.length + '/' + this.tools.length;
    $('tool-list').replaceChildren(...this.tools.map((t) => {
      const box = el('input', { type: 'checkbox', name: 'tool', value: t.name, checked: chosen.includes(t.name) });
      box.addEventListener('change', () => {
        const now = this.chosenTools().filter((n) => n !== t.name);
        if (box.checked) now.push(t.name);
        this.setTools(now);
      });
      const summary = (t.description || '').split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
      const origin = t.builtin ? 'built into the model' : (t.server && t.server !== t.name ? t.server : '');
      return el('li', null, el('label', { class: 'tool-choice' }, box,
        el('span', null, el('strong', null, t.name), ' ', el('small', { class: 'muted' + (t.builtin ? ' builtin' : '') }, origin),
          el('span', { class: 'muted tool-summary' }, summary))));
    }));
  }

  modelString() {
    return api.modelString(this.settings.model, this.chosenTools(), this.tools.map((t) => t.name));
  }

  // Settings and the API key.

  openSettings(needKey) {
    $('system').value = this.conv.system;
    $('api-key').value = api.apiKey.get();
    $('key-notice').hidden = !needKey;
    const d = $('settings-dialog');
    if (!d.open) d.showModal();
    if (needKey) $('api-key').focus();
  }

  async applySettings() {
    this.conv.system = $('system').value;
    if (this.conv.messages.length) await this.save(this.conv);
    const key = $('api-key').value.trim();
    if (key !== api.apiKey.get()) {
      api.apiKey.set(key);
      await this.loadServer();
    }
  }

  // notice shows text above the composer, with a button when action is
  // given; an empty text hides it.
  notice(text, label, action) {
    const n = $('notice');
    n.replaceChildren(text);
    if (text && action) {
      n.append(' ', el('button', { type: 'button', class: 'btn small', on: { click: () => { this.notice(''); action(); } } }, label));
    }
    n.hidden = !text;
  }

  // Conversations.

  // save stores conv and lists it. A failed write (the storage quota,
  // private browsing) is shown, not thrown: the answer must still run and
  // the page must not stay busy.
  async save(conv) {
    conv.updated = Date.now();
    if (!this.convs.includes(conv)) this.convs.unshift(conv);
    this.convs.sort((a, b) => b.updated - a.updated);
    this.renderSidebar();
    try {
      await this.store.put(conv);
    } catch (e) {
      this.notice('This conversation could not be saved in the browser: ' + e.message);
    }
  }

  show(conv) {
    this.conv = conv;
    $('title').textContent = conv.title;
    document.title = conv.title + ' \u2013 AgentFlow';
    this.renderSidebar();
    this.renderMessages();
  }

  renderSidebar() {
    $('conv-list').replaceChildren(...this.convs.map((c) => {
      const li = el('li', { class: 'conv' + (c === this.conv ? ' current' : ''), dataset: { id: c.id } });
      const open = el('button', { type: 'button', class: 'conv-open', 'aria-current': c === this.conv ? 'page' : null, on: { click: () => { this.show(c); this.drawer(false); } } }, c.title);
      const rename = el('button', { type: 'button', class: 'icon-btn small', 'aria-label': 'Rename ' + c.title, title: 'Rename', on: { click: () => this.rename(c, li) } }, icon('edit'));
      const del = el('button', { type: 'button', class: 'icon-btn small danger-text', 'aria-label': 'Delete ' + c.title, title: 'Delete' }, icon('trash'));
      del.addEventListener('click', () => {
        if (del.dataset.confirm) return this.remove(c);
        // A second click confirms, so no accident deletes a conversation.
        del.dataset.confirm = '1';
        del.textContent = 'Delete?';
        del.setAttribute('aria-label', 'Confirm: delete ' + c.title);
        setTimeout(() => { delete del.dataset.confirm; del.replaceChildren(icon('trash')); }, 3000);
      });
      li.append(open, rename, del);
      return li;
    }));
  }

  rename(c, li) {
    const input = el('input', { class: 'rename', value: c.title, 'aria-label': 'New name' });
    let done = false;
    const finish = async (keep) => {
      if (done) return;
      done = true;
      const name = input.value.trim();
      if (keep && name) {
        c.title = name;
        if (c === this.conv) $('title').textContent = name;
        await this.save(c);
      }
      this.renderSidebar();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') { e.stopPropagation(); finish(false); }
    });
    input.addEventListener('blur', () => finish(true));
    li.replaceChildren(input);
    input.focus();
    input.select();
  }

  async remove(c) {
    if (this.running && this.running.conv === c) this.stop();
    await this.store.delete(c.id);
    this.convs = this.convs.filter((x) => x !== c);
    if (c === this.conv) this.show(this.convs[0] || newConversation());
    else this.renderSidebar();
  }

  // Messages.

  renderMessages() {
    const box = $('messages');
    this.views.clear();
    if (this.conv.messages.length === 0) {
      box.replaceChildren(this.welcome());
      return;
    }
    box.replaceChildren(...this.conv.messages.map((m) => (m.role === 'user' ? this.userView(m) : this.assistantView(m))));
    box.scrollTop = box.scrollHeight;
  }

  welcome() {
    return el('div', { class: 'welcome' },
      el('img', { src: 'icon.svg', alt: '', width: 64, height: 64 }),
      el('h2', null, 'What shall we do?'),
      el('p', { class: 'muted' }, 'Ask anything. Each tool the model uses shows up here as it runs: open one to see its arguments and result.'),
      el('div', { class: 'suggestions' }, suggestions.map((s) => el('button', {
        type: 'button', class: 'btn chip', on: { click: () => { $('prompt').value = s; this.grow(); $('prompt').focus(); } },
      }, s))));
  }

  userView(m) {
    const files = (m.attachments || []).map((a) => {
      if (a.type.startsWith('image/')) return el('img', { class: 'thumb', src: a.url, alt: a.name, title: a.name });
      if (a.type.startsWith('audio/')) return el('audio', { controls: true, src: a.url, title: a.name });
      return el('span', { class: 'file-chip' }, icon('file'), a.name);
    });
    return el('article', { class: 'msg user', dataset: { role: 'user' } },
      el('div', { class: 'bubble' }, m.text ? el('p', { class: 'user-text' }, m.text) : null,
        files.length ? el('div', { class: 'files' }, files) : null));
  }

  assistantView(m) {
    const body = el('div', { class: 'body' });
    const node = el('article', { class: 'msg assistant', dataset: { role: 'assistant' } },
      el('div', { class: 'avatar', 'aria-hidden': 'true' }, el('img', { src: 'icon.svg', alt: '' })), body);
    const view = { msg: m, node, body, parts: [], foot: null };
    this.views.set(m, view);
    this.sync(view);
    return node;
  }

  // sync brings a view up to date with its message, keeping the nodes of
  // parts that did not change, so an opened tool call stays open.
  sync(view) {
    const m = view.msg;
    view.node.dataset.status = m.status;
    m.parts.forEach((p, k) => {
      let v = view.parts[k];
      if (!v) {
        v = p.type === 'text' ? { node: el('div', { class: 'md' }), shown: null } : this.toolView();
        view.parts[k] = v;
        view.body.insertBefore(v.node, view.foot);
      }
      if (p.type === 'text') {
        if (v.shown !== p.text) {
          v.node.replaceChildren(render(p.text));
          v.shown = p.text;
        }
      } else {
        this.syncTool(v, p);
      }
    });
    const foot = this.footer(m);
    if (view.foot) view.foot.replaceWith(foot);
    else view.body.append(foot);
    view.foot = foot;
  }

  footer(m) {
    const foot = el('div', { class: 'foot' });
    if (m.status === 'streaming' && m.parts.length === 0) foot.append(el('span', { class: 'typing', 'aria-label': 'Thinking' }, el('i'), el('i'), el('i')));
    if (m.status === 'stopped') foot.append(el('p', { class: 'stopped' }, 'Stopped.'));
    if (m.error) foot.append(el('p', { class: 'msg-error', role: 'alert' }, m.error));
    if (m.status !== 'streaming') {
      const copy = el('button', { type: 'button', class: 'btn ghost small' }, 'Copy');
      copy.addEventListener('click', () => copyText(assistantText(m), copy));
      const actions = el('div', { class: 'actions' }, copy);
      if (m === this.conv.messages.at(-1) && !this.running) {
        actions.append(el('button', { type: 'button', class: 'btn ghost small', on: { click: () => this.regenerate() } }, 'Regenerate'));
      }
      foot.append(actions);
    }
    return foot;
  }

  toolView() {
    const v = {
      node: el('details', { class: 'tool' }),
      icon: el('span', { class: 'tool-icon', 'aria-hidden': 'true' }),
      name: el('span', { class: 'tool-name' }),
      args: el('code', { class: 'tool-args' }),
      time: el('span', { class: 'tool-time' }),
      state: el('span', { class: 'visually-hidden' }),
      detail: el('div', { class: 'tool-detail' }),
      shown: '',
    };
    v.node.append(el('summary', null, v.icon, v.name, v.args, v.time, v.state), v.detail);
    return v;
  }

  syncTool(v, p) {
    v.node.dataset.status = p.status;
    v.node.dataset.name = p.name;
    v.name.textContent = p.name;
    v.args.textContent = oneLine(p.arguments, 80);
    v.state.textContent = { running: 'running', done: 'done', error: 'failed', stopped: 'stopped' }[p.status];
    if (p.duration_ms != null) v.time.textContent = formatDuration(p.duration_ms);
    else if (p.status === 'running') v.time.textContent = formatDuration(Date.now() - p.started);
    else v.time.textContent = p.status;
    const key = p.status + (p.response ?? '') + (p.error ?? '') + (p.images || []).length;
    if (v.shown === key) return;
    v.shown = key;
    const sections = [el('h4', null, 'Arguments'), el('pre', { class: 'tool-out' }, JSON.stringify(p.arguments ?? {}, null, 2))];
    const images = (p.images || []).filter((u) => /^data:image\/[a-z0-9.+-]+;base64,/i.test(u));
    if (p.error) sections.push(el('h4', { class: 'danger-text' }, 'Error'), folded(p.error, 'tool-out error'));
    else if (p.response || (p.response != null && !images.length)) sections.push(el('h4', null, 'Result'), folded(p.response, 'tool-out result'));
    else if (images.length) sections.push(el('h4', null, 'Result'));
    else if (p.status === 'running') sections.push(el('p', { class: 'muted' }, 'Running\u2026'));
    else sections.push(el('p', { class: 'muted' }, 'Stopped before it answered.'));
    if (images.length) sections.push(el('div', { class: 'tool-images' }, images.map((u, k) => el('img', { src: u, alt: p.name + ' image ' + (k + 1) }))));
    v.detail.replaceChildren(...sections);
    // A result with an image opens the card, so the image is seen.
    if (images.length && !v.opened) v.node.open = v.opened = true;
  }

  // tick keeps the clocks of running tools moving.
  tick() {
    if (!this.running) return;
    const view = this.views.get(this.running.msg);
    if (!view) return;
    this.running.msg.parts.forEach((p, k) => {
      if (p.type === 'tool' && p.status === 'running' && view.parts[k]) view.parts[k].time.textContent = formatDuration(Date.now() - p.started);
    });
  }

  schedule(msg) {
    this.dirty.add(msg);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const box = $('messages');
      const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
      for (const m of this.dirty) {
        const v = this.views.get(m);
        if (v) this.sync(v);
      }
      this.dirty.clear();
      if (atEnd) box.scrollTop = box.scrollHeight;
    });
  }

  grow() {
    const p = $('prompt');
    p.style.height = 'auto';
    p.style.height = Math.min(p.scrollHeight, 200) + 'px';
  }

  // Attachments.

  async attach(files) {
    const errors = [];
    for (const f of files) {
      const type = f.type || '';
      if (!/^(image|audio)\//.test(type) && type !== 'application/pdf') {
        errors.push(f.name + ' is not an image, a PDF or audio.');
        continue;
      }
      if (f.size > MaxAttachment) {
        errors.push(f.name + ' is ' + formatBytes(f.size) + ': attachments are limited to ' + formatBytes(MaxAttachment) + ' each.');
        continue;
      }
      this.pending.push({ name: f.name, type, size: f.size, url: await readDataURL(f) });
    }
    this.notice(errors.join(' '));
    this.renderPending();
  }

  renderPending() {
    $('attachments').replaceChildren(...this.pending.map((a, k) => el('li', { class: 'attachment' },
      a.type.startsWith('image/') ? el('img', { src: a.url, alt: '' }) : icon(a.type.startsWith('audio/') ? 'audio' : 'file'),
      el('span', { class: 'att-name' }, a.name), el('small', { class: 'muted' }, formatBytes(a.size)),
      el('button', { type: 'button', class: 'icon-btn small', 'aria-label': 'Remove ' + a.name, on: { click: () => { this.pending.splice(k, 1); this.renderPending(); } } }, icon('close')))));
  }

  // Chat.

  async send() {
    if (this.running || this.sending) return;
    const text = $('prompt').value.trim();
    if (!text && this.pending.length === 0) return;
    // The model list may still be on its way: wait for it rather than
    // post a request without a model.
    if (!this.settings.model) {
      this.sending = true;
      try {
        await this.ready;
      } finally {
        this.sending = false;
      }
      if (!this.settings.model) {
        if ($('notice').hidden) this.notice('No model to answer: the server lists none yet.', 'Retry', () => { this.ready = this.loadServer(); });
        return;
      }
    }
    const conv = this.conv;
    conv.messages.push({ role: 'user', text, attachments: this.pending });
    if (conv.messages.length === 1) conv.title = oneLine(text || this.pending[0].name, 48);
    this.pending = [];
    this.renderPending();
    this.notice('');
    $('prompt').value = '';
    this.grow();
    await this.answer(conv);
  }

  async regenerate() {
    if (this.running) return;
    const conv = this.conv;
    while (conv.messages.length && conv.messages.at(-1).role === 'assistant') conv.messages.pop();
    if (conv.messages.length) await this.answer(conv);
  }

  stop() {
    if (this.running) this.running.controller.abort();
  }

  async answer(conv) {
    const body = { model: this.modelString(), messages: toOpenAI(conv) };
    const msg = { role: 'assistant', parts: [], status: 'streaming', model: body.model };
    conv.messages.push(msg);
    const controller = new AbortController();
    this.running = { controller, conv, msg };
    this.busy(true);
    await this.save(conv);
    if (conv === this.conv) this.show(conv);
    const on = {
      text: (t) => {
        const last = msg.parts.at(-1);
        if (last && last.type === 'text') last.text += t;
        else msg.parts.push({ type: 'text', text: t });
        this.schedule(msg);
      },
      toolCall: (c) => {
        msg.parts.push({ type: 'tool', id: c.id, name: c.name, arguments: c.arguments, extra_content: c.extra_content, status: 'running', started: Date.now() });
        this.schedule(msg);
      },
      toolResponse: (r) => {
        const p = msg.parts.find((x) => x.type === 'tool' && x.id === r.id);
        if (!p) return;
        Object.assign(p, { response: r.response, error: r.error || '', duration_ms: r.duration_ms, images: r.images || [], status: r.error ? 'error' : 'done' });
        this.schedule(msg);
      },
      finish: (reason) => { msg.finish = reason; },
    };
    try {
      await api.chat(body, on, controller.signal);
      msg.status = 'done';
    } catch (e) {
      if (e.name === 'AbortError') {
        msg.status = 'stopped';
      } else {
        msg.status = 'error';
        msg.error = e instanceof api.APIError ? e.message : unreachable(e) + ' Regenerate to try again.';
        if (e.status === 401) this.openSettings(true);
      }
    }
    for (const p of msg.parts) if (p.type === 'tool' && p.status === 'running') p.status = 'stopped';
    this.running = null;
    this.busy(false);
    await this.save(conv);
    if (conv === this.conv) this.renderMessages();
    if (!matchMedia('(pointer: coarse)').matches) $('prompt').focus();
  }

  busy(on) {
    $('send').hidden = on;
    $('stop').hidden = !on;
    $('app').classList.toggle('busy', on);
    if (on) $('stop').focus();
  }
}

const app = new App();
app.start();
