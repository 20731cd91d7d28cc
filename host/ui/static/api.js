// The host's API as the UI uses it: the models, the tools, and a streamed
// chat whose tool events arrive as callbacks. The API key, when the server
// wants one, is kept in localStorage and sent as a bearer token.

const keyName = 'agentflow.apiKey';

/** ToolEventsHeader asks the server for tool_call/tool_response frames. */
export const ToolEventsHeader = 'X-Tool-Events';

/** APIError is an error answer of the API, with its HTTP status. */
export class APIError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || '';
  }
}

export const apiKey = {
  get: () => localStorage.getItem(keyName) || '',
  set: (k) => (k ? localStorage.setItem(keyName, k) : localStorage.removeItem(keyName)),
};

function headers(extra) {
  const h = { ...extra };
  const k = apiKey.get();
  if (k) h.Authorization = 'Bearer ' + k;
  return h;
}

async function failure(res) {
  let message = res.status + ' ' + res.statusText;
  let code = '';
  try {
    const body = await res.json();
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || '';
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new APIError(res.status, message, code);
}

async function getJSON(path, signal) {
  const res = await fetch(path, { headers: headers(), signal });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/** models lists the served models: [{id, owned_by}]. */
export async function models(signal) {
  return (await getJSON('/v1/models', signal)).data || [];
}

/** tools lists the host's tools: [{name, description, server}]. */
export async function tools(signal) {
  return (await getJSON('/v1/tools', signal)).tools || [];
}

/** modelString names the model and, unless all are chosen, the tools. */
export function modelString(model, chosen, all) {
  if (chosen.length === all.length && all.every((t) => chosen.includes(t))) return model;
  return model + '|' + chosen.join('|');
}

/**
 * chat streams one answer. on.text(delta), on.toolCall({id, name,
 * arguments, extra_content}), on.toolResponse({id, name, response, error,
 * duration_ms}) and on.finish(reason) are called as frames arrive. It
 * resolves when the stream ends with [DONE] and rejects with an APIError on
 * an error answer or frame, or with an AbortError when signal aborts.
 */
export async function chat(body, on, signal) {
  const res = await fetch('/v1/chat/completions', {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', [ToolEventsHeader]: 'true', Accept: 'text/event-stream' }),
    body: JSON.stringify({ ...body, stream: true }),
    signal,
  });
  if (!res.ok) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let end;
    while ((end = buf.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buf.slice(0, end);
      buf = buf.slice(end).replace(/^\r?\n\r?\n/, '');
      if (frameData(frame, on) === 'done') return;
    }
  }
  throw new APIError(0, 'the answer ended before it was complete; try again');
}

// frameData handles one SSE frame; it returns 'done' at [DONE].
function frameData(frame, on) {
  const data = frame.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
  if (!data) return ''; // a comment, such as a keep-alive
  if (data === '[DONE]') return 'done';
  const ev = JSON.parse(data);
  if (ev.error) throw new APIError(ev.error.status || 500, ev.error.message || 'the server reported an error', ev.error.code);
  if (ev.object === 'tool.call') on.toolCall(ev.tool_call);
  else if (ev.object === 'tool.response') on.toolResponse(ev.tool_response);
  else {
    for (const c of ev.choices || []) {
      if (c.delta && c.delta.content) on.text(c.delta.content);
      if (c.finish_reason) on.finish(c.finish_reason);
    }
  }
  return '';
}
