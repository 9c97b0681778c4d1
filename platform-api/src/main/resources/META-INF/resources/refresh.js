// Kubeyard console: keeps the page's section marked data-refresh up to date, for the cluster list (console.js) and the
// addon pages (addons.js). Every few seconds, while the page is shown, the section is swapped for a fresh rendering
// from the server (the page's fragment, at the section's data-refresh), until it says data-active="false" (a finished
// rollout). A refresh that fails marks the section stale and says so; the next one tries again.
(function () {
  "use strict";

  function refreshed() {
    return document.querySelector("[data-refresh]");
  }

  /** what: what the section shows, for the note when the refresh fails ("the list", "the state"). */
  async function refresh(what) {
    const current = refreshed();
    if (!current) {
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
      const now = refreshed();
      if (now) {
        now.outerHTML = html;
      }
    } catch (error) {
      current.classList.add("stale");
      const state = current.querySelector(".refresh-state");
      if (state) {
        state.textContent = "could not refresh (" + error.message + "), showing " + what + " as of "
          + current.dataset.asOf + "; retrying";
      }
    }
  }

  function active() {
    const section = refreshed();
    return section !== null && section.dataset.active !== "false";
  }

  /**
   * Refreshes the section every everyMs from now on, while it is active. Returns refreshNow: after a change, shows its
   * effect at once, and polls again if the page had stopped.
   */
  function keepFresh(everyMs, what) {
    let polling = false;

    async function loop() {
      if (!document.hidden) {
        await refresh(what);
      }
      if (active()) {
        window.setTimeout(loop, everyMs);
      } else {
        polling = false;
      }
    }

    function startPolling() {
      if (!polling && active()) {
        polling = true;
        window.setTimeout(loop, everyMs);
      }
    }

    startPolling();
    return async function refreshNow() {
      await refresh(what);
      startPolling();
    };
  }

  window.kubeyard = { keepFresh: keepFresh };
})();
