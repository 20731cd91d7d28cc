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

/** Store reads and writes conversations. */
export class Store {
  constructor() {
    this.db = open();
  }

  async tx(mode) {
    return (await this.db).transaction(storeName, mode).objectStore(storeName);
  }

  /** all returns every conversation, the most recently updated first. */
  async all() {
    const list = await done((await this.tx('readonly')).getAll());
    return list.sort((a, b) => b.updated - a.updated);
  }

  async put(conv) {
    await done((await this.tx('readwrite')).put(conv));
  }

  async delete(id) {
    await done((await this.tx('readwrite')).delete(id));
  }
}
