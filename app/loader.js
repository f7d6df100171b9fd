// Starts the app (the wasm) and connects it to the service worker and the
// browser's install prompt. Written into dist/ by `cargo xtask build-client`
// with the hashed names of the files it loads.
import init from "{{js}}";

// The app shows "update available: reload" on this event and calls
// `chengnuoApplyUpdate()` when the person agrees.
function announceUpdate(registration) {
  window.chengnuoApplyUpdate = () => {
    if (registration.waiting) registration.waiting.postMessage("skip-waiting");
  };
  window.dispatchEvent(new Event("chengnuo:update-ready"));
}

// Resolves once a service worker controls this page, that is once what the
// page fetches is kept for offline use: the app fetches the parts of the
// screens a secretary works in only then (none without service workers).
window.chengnuoKeptOffline = new Promise((resolve) => {
  if (!("serviceWorker" in navigator)) return;
  if (navigator.serviceWorker.controller) resolve();
  else navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true });
});

if ("serviceWorker" in navigator) {
  navigator.serviceWorker
    .register("/sw.js")
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) announceUpdate(registration);
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) announceUpdate(registration);
        });
      });
      // Look for a new version now and then while the app stays open.
      setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
    })
    .catch(() => {
      // No service worker (a private window, say): the app still runs online.
    });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (window.chengnuoApplyUpdate && !reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}

// The browser's own install prompt, offered by the app's "install" button.
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  window.chengnuoInstall = () => {
    event.prompt();
    window.chengnuoInstall = undefined;
    window.dispatchEvent(new Event("chengnuo:installed"));
  };
  window.dispatchEvent(new Event("chengnuo:installable"));
});
window.addEventListener("appinstalled", () => window.dispatchEvent(new Event("chengnuo:installed")));

init({ module_or_path: "{{wasm}}" });
