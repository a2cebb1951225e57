// Keeps the offline pages (those answering "X-Offline-Page: 1") and the files they load, so
// that they open without network. Network first: online, every page is fresh. Writes never
// pass through here: the page queues them itself (static/js/offline_queue.js), so a new
// version of this worker cannot lose them. Served at /sw.js by bwise.core.offline.
"use strict";

// One cache whatever the version: an update must not drop the pages a device needs offline.
const CACHE = "bwise-offline-pages";
const ASSETS = new Set(["script", "style", "image", "font", "manifest"]);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// A page opened before this worker controlled it asks to be kept, with its files.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep" && Array.isArray(event.data.urls)) {
    const urls = event.data.urls.filter((url) => new URL(url, self.location.href).origin === self.location.origin);
    event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) => keep(cache, url)))));
  }
});

async function keep(cache, url) {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(cacheKey(url), response);
  } catch (error) {
    // Offline already: the next visit with network keeps it.
  }
}

function cacheKey(url) {
  const parsed = new URL(url, self.location.href);
  return parsed.origin + parsed.pathname + (parsed.pathname.startsWith("/static/") ? parsed.search : "");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, (response) => response.headers.get("X-Offline-Page") === "1"));
  } else if (ASSETS.has(request.destination)) {
    event.respondWith(networkFirst(request, () => true));
  }
});

async function networkFirst(request, worthKeeping) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && worthKeeping(response)) {
      await cache.put(cacheKey(request.url), response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(cacheKey(request.url));
    if (kept) return kept;
    throw error;
  }
}
