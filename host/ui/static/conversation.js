// A conversation as the UI keeps it, and its two other shapes: the OpenAI
// messages sent to the server, and the Markdown a user exports.
//
// A user message is {role: 'user', text, attachments: [{name, type, size,
// url}]}; an assistant message is {role: 'assistant', parts, status,
// error}, where parts are {type: 'text', text} and {type: 'tool', id, name,
// arguments, extra_content, status, response, error, duration_ms} in the
// order they happened.

/** newConversation returns an empty conversation. */
export function newConversation() {
  const now = Date.now();
  return { id: crypto.randomUUID(), title: 'New conversation', system: '', created: now, updated: now, messages: [] };
}

/** assistantText is the text of an assistant message, without its tools. */
export function assistantText(m) {
  return m.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');
}

function audioFormat(type) {
  const sub = type.split('/')[1] || '';
  return { mpeg: 'mp3', 'x-wav': 'wav', wave: 'wav', 'x-m4a': 'm4a' }[sub] || sub;
}

function userContent(m) {
  if (!m.attachments || m.attachments.length === 0) return m.text;
  const parts = [];
  if (m.text) parts.push({ type: 'text', text: m.text });
  for (const a of m.attachments) {
    if (a.type.startsWith('image/')) parts.push({ type: 'image_url', image_url: { url: a.url } });
    else if (a.type.startsWith('audio/')) parts.push({ type: 'input_audio', input_audio: { data: a.url.slice(a.url.indexOf(',') + 1), format: audioFormat(a.type) } });
    else parts.push({ type: 'file', file: { file_data: a.url, filename: a.name } });
  }
  return parts;
}

/**
 * toOpenAI returns the messages that replay conv for the server. The host's
 * tool calls become assistant tool_calls followed by their tool messages,
 * so the model sees what its tools found; calls that never finished (the
 * user stopped them) are left out, since a call needs its result.
 */
export function toOpenAI(conv) {
  const out = [];
  if (conv.system.trim()) out.push({ role: 'system', content: conv.system });
  for (const m of conv.messages) {
    if (m.role === 'user') {
      out.push({ role: 'user', content: userContent(m) });
      continue;
    }
    let text = '';
    let calls = [];
    const flush = () => {
      if (calls.length) {
        out.push({
          role: 'assistant',
          content: text || null,
          tool_calls: calls.map((p) => {
            const c = { id: p.id, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.arguments ?? {}) } };
            if (p.extra_content) c.extra_content = p.extra_content;
            return c;
          }),
        });
        for (const p of calls) out.push({ role: 'tool', tool_call_id: p.id, content: p.error ? 'Error: ' + p.error : p.response });
      } else if (text) {
        out.push({ role: 'assistant', content: text });
      }
      text = '';
      calls = [];
    };
    for (const p of m.parts) {
      if (p.type === 'text') {
        if (calls.length) flush();
        text += p.text;
      } else if (p.status === 'done' || p.status === 'error') {
        calls.push(p);
      }
    }
    flush();
  }
  return out;
}

/** toMarkdown renders conv for people to read. */
export function toMarkdown(conv) {
  const lines = ['# ' + conv.title, ''];
  if (conv.system.trim()) lines.push('**System:** ' + conv.system, '');
  const fence = (s) => '~~~~\n' + s + '\n~~~~';
  for (const m of conv.messages) {
    if (m.role === 'user') {
      lines.push('## User', '', m.text, '');
      for (const a of m.attachments || []) lines.push('*Attachment: ' + a.name + ' (' + a.type + ')*', '');
      continue;
    }
    lines.push('## Assistant', '');
    for (const p of m.parts) {
      if (p.type === 'text') {
        lines.push(p.text, '');
        continue;
      }
      const took = p.duration_ms != null ? ', ' + p.duration_ms + ' ms' : '';
      lines.push('**Tool `' + p.name + '`** (' + p.status + took + ')', '', fence(JSON.stringify(p.arguments ?? {}, null, 2)), '');
      if (p.error) lines.push('Error:', '', fence(p.error), '');
      else if (p.response != null) lines.push('Result:', '', fence(p.response), '');
    }
    if (m.error) lines.push('*Error: ' + m.error + '*', '');
  }
  return lines.join('\n');
}
