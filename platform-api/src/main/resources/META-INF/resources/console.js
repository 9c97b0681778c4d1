// Kubeyard console: replaces the cluster list with a fresh rendering from the server every few seconds.
// The server renders the list (ConsoleResource, the "clusters" fragment); this only swaps it in.
(function () {
  "use strict";
  const EVERY_MS = 5000;

  async function refresh() {
    const current = document.getElementById("clusters");
    if (!current || document.hidden) {
      return;
    }
    try {
      const response = await fetch(current.dataset.refresh, {
        headers: { "Accept": "text/html" },
        cache: "no-store",
      });
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      const html = await response.text();
      // The element may have been replaced meanwhile; swap whatever is there now.
      const now = document.getElementById("clusters");
      if (now) {
        now.outerHTML = html;
      }
    } catch (error) {
      current.classList.add("stale");
      const state = current.querySelector(".refresh-state");
      if (state) {
        state.textContent = "could not refresh (" + error.message + "), showing the list as of "
          + current.dataset.asOf + "; retrying";
      }
    }
  }

  async function loop() {
    await refresh();
    window.setTimeout(loop, EVERY_MS);
  }

  window.setTimeout(loop, EVERY_MS);
})();
