// A small key-value store over the extension origin's IndexedDB: reachable from the background and
// the extension's pages, never from content scripts or NuORDER's page, and it survives restarts.
// Tokens, links and export journals live here (never in storage.local, which content scripts read).
const DB = 'po-bridge';
const STORE = 'kv';
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = () => { dbPromise = null; reject(req.error); };
    });
  }
  return dbPromise;
}

/** A read resolves with its request (a read-only transaction has nothing to commit); a write once
 * its transaction is committed. */
function run(mode, fn) {
  return open().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    if (mode === 'readonly') req.onsuccess = () => resolve(req.result);
    else tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

/** The string stored under `key`, or undefined. */
export function kv_get(key) {
  return run('readonly', (s) => s.get(key));
}

/** Store a string under `key` (durably committed when the promise resolves). */
export function kv_put(key, value) {
  return run('readwrite', (s) => s.put(value, key)).then(() => undefined);
}

export function kv_delete(key) {
  return run('readwrite', (s) => s.delete(key)).then(() => undefined);
}

/** Keys starting with `prefix`. */
export function kv_keys(prefix) {
  const range = IDBKeyRange.bound(prefix, prefix + '\uffff');
  return run('readonly', (s) => s.getAllKeys(range));
}
