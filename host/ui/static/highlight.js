// Code highlighting for the languages models write most. It is a tokenizer,
// not a parser: comments, strings, numbers, keywords and literals become
// spans whose text is set with text nodes, so code shows exactly as written.

const words = (s) => new Set(s.split(' '));

const cLike = { line: '//', block: true };
const hash = { line: '#' };

const langs = {
  go: { ...cLike, kw: words('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'), lit: words('true false nil iota') },
  js: { ...cLike, kw: words('async await break case catch class const continue debugger default delete do else export extends finally for from function if import in instanceof let new of return static super switch this throw try typeof var void while with yield'), lit: words('true false null undefined NaN Infinity') },
  python: { ...hash, kw: words('and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'), lit: words('True False None self') },
  bash: { ...hash, kw: words('if then else elif fi for while until do done case esac in function return local export set unset echo cd exit'), lit: words('true false') },
  rust: { ...cLike, kw: words('as async await break const continue crate else enum extern fn for if impl in let loop match mod move mut pub ref return static struct trait type unsafe use where while dyn'), lit: words('true false self Self None Some Ok Err') },
  java: { ...cLike, kw: words('abstract break case catch class const continue default do else enum extends final finally for if implements import instanceof interface new package private protected public return static super switch this throw throws try void volatile while var'), lit: words('true false null') },
  c: { ...cLike, kw: words('auto break case char const continue default do double else enum extern float for goto if inline int long register return short signed sizeof static struct switch typedef union unsigned void volatile while class namespace template typename public private protected virtual new delete using'), lit: words('true false NULL nullptr') },
  sql: { line: '--', block: true, ci: true, kw: words('select from where and or not insert into values update set delete create table drop alter join left right inner outer on group by order having limit as distinct union all in is like between case when then else end with'), lit: words('null true false') },
  json: { kw: words(''), lit: words('true false null') },
  yaml: { ...hash, kw: words(''), lit: words('true false null yes no') },
  css: { line: null, block: true, kw: words('important media import'), lit: words('') },
};
const aliases = { javascript: 'js', ts: 'js', typescript: 'js', jsx: 'js', tsx: 'js', mjs: 'js', golang: 'go', py: 'python', sh: 'bash', shell: 'bash', zsh: 'bash', console: 'bash', rs: 'rust', kotlin: 'java', cpp: 'c', 'c++': 'c', h: 'c', cs: 'java', csharp: 'java', yml: 'yaml', toml: 'yaml', scss: 'css' };

function tokenizer(lang) {
  const parts = [];
  if (lang.block) parts.push('(\\/\\*[\\s\\S]*?(?:\\*\\/|$))');
  else parts.push('(?!)');
  if (lang.line) parts.push('(' + lang.line.replace(/[/#-]/g, '\\$&') + '[^\\n]*)');
  else parts.push('(?!)');
  parts.push('("(?:[^"\\\\\\n]|\\\\.)*"?|\'(?:[^\'\\\\\\n]|\\\\.)*\'?|`(?:[^`\\\\]|\\\\.)*`?)');
  parts.push('(\\b(?:0[xX][\\da-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)\\b)');
  parts.push('([A-Za-z_$][\\w$]*)');
  return new RegExp(parts.join('|'), 'g');
}

/** highlight returns the nodes of code, coloured for lang when known. */
export function highlight(code, lang) {
  const frag = document.createDocumentFragment();
  const name = (lang || '').toLowerCase();
  const spec = langs[aliases[name] || name];
  if (!spec) {
    frag.append(code);
    return frag;
  }
  const re = tokenizer(spec);
  let last = 0;
  const span = (cls, text) => {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    frag.append(s);
  };
  for (const m of code.matchAll(re)) {
    let cls = null;
    if (m[1] || m[2]) cls = 'hl-com';
    else if (m[3]) cls = 'hl-str';
    else if (m[4]) cls = 'hl-num';
    else if (m[5]) {
      const w = spec.ci ? m[5].toLowerCase() : m[5];
      if (spec.kw.has(w)) cls = 'hl-kw';
      else if (spec.lit.has(w)) cls = 'hl-lit';
      else if (code[m.index + m[5].length] === '(') cls = 'hl-fn';
    }
    if (!cls) continue;
    if (m.index > last) frag.append(code.slice(last, m.index));
    span(cls, m[0]);
    last = m.index + m[0].length;
  }
  if (last < code.length) frag.append(code.slice(last));
  return frag;
}
