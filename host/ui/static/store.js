// Conversations kept in the browser's IndexedDB, one record each, so they
// survive a reload and hold attachments that would not fit in
// localStorage. Nothing is sent to the server but the requests themselves.

const dbName = 'agentflow';
const storeName = 'conversations';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(storeName, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const isString = (v) => typeof v === 'string';

function wellFormedMessage(m) {
  if (!m || typeof m !== 'object') return false;
  if (m.role === 'user') {
    return isString(m.text) && (m.attachments == null || (Array.isArray(m.attachments) &&
      m.attachments.every((a) => a && isString(a.name) && isString(a.type) && isString(a.url))));
  }
  return m.role === 'assistant' && Array.isArray(m.parts) && m.parts.every((p) => p && (p.type === 'text' ? isString(p.text) : p.type === 'tool' && isString(p.name)));
}

// wellFormed reports whether c is a conversation as conversation.js makes it.
function wellFormed(c) {
  return c && isString(c.id) && isString(c.title) && isString(c.system) && typeof c.updated === 'number' &&
    Array.isArray(c.messages) && c.messages.every(wellFormedMessage);
}

/** Store reads and writes conversations. */
export class Store {
  constructor() {
    this.db = open();
  }

  async tx(mode) {
    return (await this.db).transaction(storeName, mode).objectStore(storeName);
  }

  /**
   * all returns every conversation, the most recently updated first.
   * Records not of the shape the page draws are skipped (not deleted), so
   * one damaged record does not stop the page.
   */
  async all() {
    const list = await done((await this.tx('readonly')).getAll());
    return list.filter(wellFormed).sort((a, b) => b.updated - a.updated);
  }

  async put(conv) {
    await done((await this.tx('readwrite')).put(conv));
  }

  async delete(id) {
    await done((await this.tx('readwrite')).delete(id));
  }
}
