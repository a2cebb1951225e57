// A queue of writes that wait on the device until the network is back: the one mechanism
// every offline form uses (the observation page is the first). What it keeps:
// - "items": one record per write, its content encrypted (AES-GCM) with the session's key;
//   only the id, the user, the queue's name and the state stay readable, to count and sort.
// - "keys": the key of each user's session, as a non-extractable CryptoKey (the page can use
//   it, no script can read it out). The server hands it out (bwise.core.offline.device_session)
//   and forgets it at sign-out; sign-out also wipes this database (Clear-Site-Data).
// - "meta": who signed in last on this device, so that the page knows whose queue it is offline.
// The server stores each item once whatever the retries (its client_id); an item leaves the
// device only when the server confirmed it, a refused one stays until the user removes it, and
// one the server warned about (personality words in an observation) until the user removes it
// or sends it again as written.

const DB_NAME = "bwise-offline";
const BATCH = 50;
// After a failed send the queue tries again, waiting twice as long each time up to the
// longest wait: the "online" event may come before the network carries anything, and weak
// Wi-Fi never sends one.
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 30000;

function settle(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  });
}

function openDatabase() {
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("keys", { keyPath: "user" });
    db.createObjectStore("meta", { keyPath: "name" });
    db.createObjectStore("items", { keyPath: "id" }).createIndex("queue", ["user", "queue"]);
  };
  return settle(request);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function encrypt(key, payload) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(payload)),
  );
  return { iv, data };
}

async function decrypt(key, item) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: item.iv }, key, item.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

export class OfflineQueue {
  // name: which writes ("observations"); syncUrl: the page's OfflineSyncView;
  // sessionUrl: bwise.core.offline.device_session; onchange: called after every change.
  constructor({ name, syncUrl, sessionUrl, onchange }) {
    Object.assign(this, { name, syncUrl, sessionUrl, onchange });
    this.expired = false;
    this.confirmed = [];
    this.waiting = 0;
    this.syncing = null;
    this.retryIn = FIRST_RETRY_MS;
    this.retry = null;
  }

  // Opens the device store and learns the session (when online). False when this device
  // cannot queue: no IndexedDB or WebCrypto, or never signed in here with network.
  async start() {
    if (!window.indexedDB || !window.crypto || !crypto.subtle) return false;
    this.db = await openDatabase();
    await this.refreshSession();
    if (this.user === undefined) {
      const last = await this.read("meta", "user");
      this.user = last && last.user;
    }
    if (this.user === undefined || !(await this.read("keys", this.user))) return false;
    window.addEventListener("online", () => this.sync());
    await this.changed();
    return true;
  }

  async read(store, key) {
    return settle(this.db.transaction(store).objectStore(store).get(key));
  }

  async items() {
    const index = this.db.transaction("items").objectStore("items").index("queue");
    const all = await settle(index.getAll([this.user, this.name]));
    return all.sort((a, b) => a.at - b.at);
  }

  // Asks the server for the session's key and a CSRF token. "ok", "offline" or "expired".
  async refreshSession() {
    let response;
    try {
      response = await fetch(this.sessionUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
    } catch (error) {
      return "offline";
    }
    if (response.status === 401) {
      this.expired = true;
      return "expired";
    }
    if (!response.ok) return "offline";
    const session = await response.json();
    this.expired = false;
    this.csrf = session.csrf;
    this.user = session.user;
    const held = await this.read("keys", session.user);
    if (!held || held.keyId !== session.key_id) {
      const key = await crypto.subtle.importKey("raw", fromBase64(session.key), "AES-GCM", false, ["encrypt", "decrypt"]);
      await this.rekey(held, { user: session.user, keyId: session.key_id, key });
    }
    const transaction = this.db.transaction("meta", "readwrite");
    transaction.objectStore("meta").put({ name: "user", user: session.user });
    await committed(transaction);
    return "ok";
  }

  // A new session brings a new key: what waits under the old one is encrypted again under
  // the new one, in one transaction with the key, so that no item is left unreadable.
  async rekey(held, fresh) {
    const store = this.db.transaction("items").objectStore("items");
    const mine = (await settle(store.getAll())).filter((item) => item.user === fresh.user);
    const rewritten = [];
    for (const item of mine) {
      if (held && item.keyId === held.keyId) {
        const sealed = await encrypt(fresh.key, await decrypt(held.key, item));
        rewritten.push({ ...item, ...sealed, keyId: fresh.keyId });
      }
    }
    const transaction = this.db.transaction(["keys", "items"], "readwrite");
    transaction.objectStore("keys").put(fresh);
    rewritten.forEach((item) => transaction.objectStore("items").put(item));
    await committed(transaction);
  }

  async add(payload) {
    const held = await this.read("keys", this.user);
    const id = crypto.randomUUID();
    const sealed = await encrypt(held.key, { ...payload, client_id: id });
    const transaction = this.db.transaction("items", "readwrite");
    transaction.objectStore("items").put({
      id, user: this.user, queue: this.name, state: "waiting", keyId: held.keyId, at: Date.now(), ...sealed,
    });
    await committed(transaction);
    await this.changed();
    return id;
  }

  // The items the server did not store, readable, for the page to show with their reason:
  // "refused" ones, and "warning" ones that the writer may send again as they are.
  async refused() {
    const held = await this.read("keys", this.user);
    const refused = (await this.items()).filter((item) => item.state === "refused" || item.state === "warning");
    return Promise.all(refused.map(async (item) => ({
      id: item.id, state: item.state, code: item.code, message: item.message, payload: await decrypt(held.key, item),
    })));
  }

  // Sends an item the server warned about again, with ``changes`` to its content (the
  // writer's answer to the warning); it keeps its id, so the server still stores it once.
  async resend(id, changes) {
    const held = await this.read("keys", this.user);
    const item = await this.read("items", id);
    const sealed = await encrypt(held.key, { ...(await decrypt(held.key, item)), ...changes });
    const { code, message, ...rest } = item;
    const transaction = this.db.transaction("items", "readwrite");
    transaction.objectStore("items").put({ ...rest, ...sealed, keyId: held.keyId, state: "waiting" });
    await committed(transaction);
    await this.changed();
    return this.sync();
  }

  async remove(id) {
    const transaction = this.db.transaction("items", "readwrite");
    transaction.objectStore("items").delete(id);
    await committed(transaction);
    await this.changed();
  }

  async changed() {
    this.waiting = (await this.items()).filter((item) => item.state === "waiting").length;
    if (this.onchange) await this.onchange(this);
  }

  // Sends what waits; one run at a time (a second call waits for the running one).
  sync() {
    if (!this.syncing) {
      clearTimeout(this.retry);
      this.syncing = this.send().finally(() => {
        this.syncing = null;
        this.scheduleRetry();
      });
    }
    return this.syncing;
  }

  scheduleRetry() {
    if (!this.waiting || this.expired) {
      this.retryIn = FIRST_RETRY_MS;
      return;
    }
    this.retry = setTimeout(() => this.sync(), this.retryIn);
    this.retryIn = Math.min(this.retryIn * 2, LONGEST_RETRY_MS);
  }

  async send() {
    if ((await this.refreshSession()) !== "ok") return this.changed();
    const held = await this.read("keys", this.user);
    const waiting = (await this.items()).filter((item) => item.state === "waiting");
    for (let start = 0; start < waiting.length; start += BATCH) {
      const batch = waiting.slice(start, start + BATCH);
      // "shown" is what the page shows of a refused item; the server does not need it.
      const payloads = await Promise.all(batch.map(async (item) => {
        const { shown, ...payload } = await decrypt(held.key, item);
        return payload;
      }));
      let response;
      try {
        response = await fetch(this.syncUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": this.csrf },
          body: JSON.stringify({ items: payloads }),
        });
      } catch (error) {
        break;
      }
      if (response.status === 401 || response.status === 403) {
        this.expired = true;
        break;
      }
      let results;
      if (response.status === 404 && response.headers.get("Content-Type") === "application/json") {
        // The record the page is for is no longer the user's: every item is refused.
        const refusal = await response.json();
        results = batch.map((item) => ({ client_id: item.id, status: "refused", ...refusal }));
      } else if (response.ok) {
        ({ results } = await response.json());
      } else {
        break;
      }
      const transaction = this.db.transaction("items", "readwrite");
      for (const result of results) {
        const item = batch.find((candidate) => candidate.id === result.client_id);
        if (!item) continue;
        if (result.status === "stored") {
          transaction.objectStore("items").delete(item.id);
          this.confirmed.push(result.message);
        } else {
          const state = result.status === "warning" ? "warning" : "refused";
          transaction.objectStore("items").put({ ...item, state, code: result.code, message: result.message });
        }
      }
      await committed(transaction);
    }
    return this.changed();
  }
}

// Registers the service worker (bwise.core.offline.service_worker) and, on the visit before
// it controls the page, asks it to keep this page and its files for offline use.
export async function installOfflinePage(workerUrl) {
  if (!("serviceWorker" in navigator)) return;
  await navigator.serviceWorker.register(workerUrl, { scope: "/" });
  if (navigator.serviceWorker.controller) return;
  const registration = await navigator.serviceWorker.ready;
  // Every file the page loaded, the modules its scripts import included; not what it fetched.
  const files = performance.getEntriesByType("resource")
    .filter((entry) => !["fetch", "xmlhttprequest", "beacon"].includes(entry.initiatorType))
    .map((entry) => entry.name);
  registration.active.postMessage({ type: "keep", urls: [location.pathname, ...files] });
}

// Asks before a sign-out that would wipe writes still waiting on this device.
export function guardSignOut(queue, logoutUrl, question) {
  document.querySelectorAll(`form[action="${logoutUrl}"]`).forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (queue.waiting && !window.confirm(question)) event.preventDefault();
    });
  });
}
