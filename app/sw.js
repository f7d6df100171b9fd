// Chengnuo's service worker: the app shell, precached under a versioned cache,
// served cache-first so the app opens with no network after one online visit.
// The screens loaded on demand (a `.wasm` of the app's folder each) are not
// precached: a member never downloads the secretaries' screens. Each is kept
// the first time it is opened, so it opens offline afterwards.
// `cargo xtask build-client` writes the version and the list of files.
const VERSION = "__VERSION__";
const CACHE = `chengnuo-shell-${VERSION}`;
const SHELL = [
/* __SHELL__ */
];

self.addEventListener("install", (event) => {
  // A new version waits until the app tells it to take over ("update available: reload").
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("chengnuo-shell-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The API is never cached here: the app keeps its own data in browser storage.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Every page of the app is the same index.html; the client routes.
    event.respondWith(
      caches.match("/index.html", { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((cached) => {
      if (cached) return cached;
      return fetch(request).then((response) => {
        // A part of this version's app, named after its content: kept for offline use.
        // Kept before it is handed over, so that once the app has it, it is
        // there offline too.
        if (response.ok && url.pathname.startsWith("/app-")) {
          const copy = response.clone();
          return caches
            .open(CACHE)
            .then((cache) => cache.put(request, copy))
            .catch(() => {})
            .then(() => response);
        }
        return response;
      });
    }),
  );
});

// A reminder (待办) tapped: bring the app forward, or open it.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) =>
      windows.length > 0 ? windows[0].focus() : self.clients.openWindow("/"),
    ),
  );
});
