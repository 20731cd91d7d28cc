// Markdown to DOM, safely: every piece of input reaches the page through
// text nodes, never as markup, so model or tool output cannot add elements,
// attributes or script. Links are kept only for http, https and mailto.
//
// It covers what chat models write: paragraphs, headings, lists, quotes,
// fenced code (highlighted), tables, rules, emphasis, code spans and links.
// An unclosed code fence renders as code, so a streaming answer looks right
// before it ends.

import { highlight } from './highlight.js';

/** render returns the nodes for the Markdown text md. */
export function render(md) {
  const frag = document.createDocumentFragment();
  blocks(String(md).replace(/\r\n?/g, '\n').split('\n'), frag);
  return frag;
}

function el(tag, className, children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const c of children || []) e.append(c);
  return e;
}

const fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const rule = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const quote = /^ {0,3}> ?/;
const item = /^( {0,3})([-*+]|\d{1,9}[.)])(\s+|$)/;
const tableSep = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function blocks(lines, parent) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }
    let m;
    if ((m = fence.exec(line))) {
      const close = new RegExp('^ {0,3}' + m[1][0] + '{' + m[1].length + ',}\\s*$');
      const body = [];
      for (i++; i < lines.length && !close.test(lines[i]); i++) body.push(lines[i]);
      i++;
      parent.append(codeBlock(body.join('\n'), m[2]));
      continue;
    }
    if ((m = heading.exec(line))) {
      parent.append(el('h' + Math.min(m[1].length + 1, 6), null, inline(m[2])));
      i++;
      continue;
    }
    if (rule.test(line)) { parent.append(el('hr')); i++; continue; }
    if (quote.test(line)) {
      const body = [];
      for (; i < lines.length && lines[i].trim() && quote.test(lines[i]); i++) body.push(lines[i].replace(quote, ''));
      const q = el('blockquote');
      blocks(body, q);
      parent.append(q);
      continue;
    }
    if (item.test(line)) { i = list(lines, i, parent); continue; }
    if (line.includes('|') && i + 1 < lines.length && tableSep.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      i = table(lines, i, parent);
      continue;
    }
    const para = [];
    for (; i < lines.length && lines[i].trim() && !startsBlock(lines, i); i++) para.push(lines[i].trim());
    if (para.length === 0) para.push(lines[i++].trim()); // a line that only looked like a block
    const p = el('p');
    para.forEach((l, k) => {
      if (k > 0) p.append(el('br'));
      p.append(...inline(l));
    });
    parent.append(p);
  }
}

function startsBlock(lines, i) {
  const l = lines[i];
  return fence.test(l) || heading.test(l) || rule.test(l) || quote.test(l) || item.test(l);
}

function list(lines, i, parent) {
  const first = item.exec(lines[i]);
  const ordered = /\d/.test(first[2]);
  const ul = el(ordered ? 'ol' : 'ul');
  if (ordered && parseInt(first[2], 10) !== 1) ul.start = parseInt(first[2], 10);
  while (i < lines.length) {
    const m = item.exec(lines[i]);
    if (!m || /\d/.test(m[2]) !== ordered) break;
    const indent = m[0].length;
    const body = [lines[i].slice(indent)];
    for (i++; i < lines.length; i++) {
      const l = lines[i];
      if (!l.trim()) {
        // A blank line ends the item unless indented text follows.
        if (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1])) { body.push(''); continue; }
        break;
      }
      if (item.test(l) && !/^\s{2,}/.test(l)) break;
      if (!/^\s/.test(l) && startsBlock(lines, i)) break;
      body.push(l.replace(/^\s{1,4}/, ''));
    }
    const li = el('li');
    blocks(body, li);
    // Tight lists read better without paragraph margins.
    if (li.childNodes.length && li.firstChild.tagName === 'P') li.firstChild.replaceWith(...li.firstChild.childNodes);
    ul.append(li);
    while (i < lines.length && !lines[i].trim() && i + 1 < lines.length && item.test(lines[i + 1])) i++;
  }
  parent.append(ul);
  return i;
}

function cells(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function table(lines, i, parent) {
  const head = cells(lines[i]);
  const align = cells(lines[i + 1]).map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : ''));
  const row = (tag, cs) => el('tr', null, head.map((_, k) => {
    const c = el(tag, null, inline(cs[k] || ''));
    if (align[k]) c.style.textAlign = align[k];
    return c;
  }));
  const tbody = el('tbody');
  for (i += 2; i < lines.length && lines[i].includes('|') && lines[i].trim(); i++) tbody.append(row('td', cells(lines[i])));
  parent.append(el('div', 'table-wrap', [el('table', null, [el('thead', null, [row('th', head)]), tbody])]));
  return i;
}

/** codeBlock returns a highlighted code block with a copy button. */
export function codeBlock(code, lang) {
  const pre = el('pre', 'code');
  const c = el('code');
  if (lang) c.dataset.lang = lang;
  c.append(highlight(code, lang));
  pre.append(c);
  const copy = el('button', 'copy-code', ['Copy']);
  copy.type = 'button';
  copy.setAttribute('aria-label', 'Copy the code');
  copy.addEventListener('click', () => copyText(code, copy));
  const wrap = el('div', 'code-wrap', [pre, copy]);
  if (lang) wrap.prepend(el('span', 'code-lang', [lang]));
  return wrap;
}

/** copyText puts text on the clipboard and says so on the button. */
export async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // The clipboard API needs a secure context: fall back to a selection.
    const ta = el('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    ok = document.execCommand('copy');
    ta.remove();
  }
  if (button) {
    const was = button.textContent;
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = was; }, 1500);
  }
  return ok;
}

// Inline rules, tried where their first character appears. Each returns
// nodes built from text.
const rules = [
  { first: '\\', re: /\\([!-/:-@[-`{-~])/y, make: (m) => [m[1]] },
  { first: '`', re: /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/y, make: (m) => [el('code', null, [m[2].replace(/^ (.*) $/, '$1')])] },
  { first: '!', re: /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/y, make: (m) => link(m[2], m[1] ? [m[1]] : ['image'], true) },
  { first: '[', re: /\[((?:[^[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/y, make: (m) => link(m[2], inline(m[1])) },
  { first: '<', re: /<((?:https?:\/\/|mailto:)[^>\s]+)>/y, make: (m) => link(m[1], [m[1]]) },
  { first: 'h', re: /https?:\/\/[^\s<>"]*[^\s<>".,:;'!?)\]]/y, make: (m) => link(m[0], [m[0]]) },
  { first: '*', re: /\*\*(?=\S)([\s\S]*?\S)\*\*/y, make: (m) => [el('strong', null, inline(m[1]))] },
  { first: '_', re: /__(?=\S)([\s\S]*?\S)__(?!\w)/y, make: (m) => [el('strong', null, inline(m[1]))] },
  { first: '~', re: /~~(?=\S)([\s\S]*?\S)~~/y, make: (m) => [el('del', null, inline(m[1]))] },
  { first: '*', re: /\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/y, make: (m) => [el('em', null, inline(m[1]))] },
  { first: '_', re: /_(?=\S)([\s\S]*?\S)_(?!\w)/y, make: (m) => [el('em', null, inline(m[1]))], wordStart: true },
];
const firsts = new Set(rules.map((r) => r.first));

/** inline returns the nodes of one line or span of Markdown. */
export function inline(text) {
  const out = [];
  let plain = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    let matched = false;
    if (firsts.has(ch)) {
      for (const r of rules) {
        if (r.first !== ch || (r.wordStart && i > 0 && /\w/.test(text[i - 1]))) continue;
        r.re.lastIndex = i;
        const m = r.re.exec(text);
        if (!m) continue;
        if (plain) { out.push(plain); plain = ''; }
        out.push(...r.make(m));
        i = r.re.lastIndex;
        matched = true;
        break;
      }
    }
    if (!matched) plain += text[i++];
  }
  if (plain) out.push(plain);
  return out;
}

/** safeURL returns href if it is an absolute http(s) or mailto URL, else null. */
export function safeURL(href) {
  try {
    const u = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

function link(href, children, image) {
  const url = safeURL(href);
  if (!url) return image ? children : [...children, ' (' + href + ')'];
  const a = el('a', image ? 'image-link' : null, children);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow';
  // Images are shown as links: loading them would tell another host who
  // reads the page, and the policy blocks them anyway.
  if (image) a.title = 'Image: ' + url;
  return [a];
}
