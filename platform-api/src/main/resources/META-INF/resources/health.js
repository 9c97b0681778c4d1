// Kubeyard console, health and alert pages: keeps the page's section up to date (refresh.js), keeps the findings a
// reader opened open across refreshes, and runs "Check now": it calls the API (same origin, the session cookie) and
// then shows the new result at once. A refusal shows the problem's detail next to the button; nothing else changes.
(function () {
  "use strict";

  const refreshNow = window.kubeyard.keepFresh(5000, "the health");

  // The refresh swaps the whole section: remember which findings are open and open them again in the new one.
  const open = new Set();
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.dataset.findings) {
      if (details.open) {
        open.add(details.dataset.findings);
      } else {
        open.delete(details.dataset.findings);
      }
    }
  }, true);
  const main = document.querySelector("main");
  if (main) {
    new MutationObserver(() => {
      main.querySelectorAll("details[data-findings]").forEach((details) => {
        if (open.has(details.dataset.findings)) {
          details.open = true;
        }
      });
    }).observe(main, { childList: true });
  }

  async function checkNow(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const done = form.querySelector(".done");
    const error = form.querySelector(".error");
    const button = form.querySelector("button");
    done.textContent = "checking\u2026";
    error.textContent = "";
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.url, {
        method: "POST",
        headers: { "Accept": "application/json" },
        cache: "no-store",
      });
      if (response.ok) {
        const health = await response.json();
        await refreshNow();
        done.textContent = "checked: " + health.status;
        return;
      }
      done.textContent = "";
      let detail = "HTTP " + response.status;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch (ignored) {
        // not a problem document: the status says enough
      }
      error.textContent = detail;
    } catch (failure) {
      done.textContent = "";
      error.textContent = "could not reach the server: " + failure.message;
    } finally {
      button.disabled = false;
    }
  }

  const form = document.querySelector("form#check-now");
  if (form) {
    form.addEventListener("submit", checkNow);
  }
})();
