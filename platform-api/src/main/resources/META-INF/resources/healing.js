// Kubeyard console, healing page: each action form calls the API (same origin, the session cookie), then reloads.
// A refusal shows the problem's detail next to the button; nothing else changes.
(function () {
  "use strict";

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const error = form.querySelector(".error");
    const input = form.querySelector("input[name=reason]");
    const options = {
      method: form.dataset.method,
      headers: { "Accept": "application/json" },
      cache: "no-store",
    };
    if (input) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify({ reason: input.value });
    }
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(form.dataset.url, options);
      if (response.ok) {
        window.location.reload();
        return;
      }
      let detail = "HTTP " + response.status;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
        if (problem.errors && problem.errors.length) {
          detail = problem.errors.map((e) => e.field + " " + e.detail).join("; ");
        }
      } catch (ignored) {
        // not a problem document: the status says enough
      }
      error.textContent = detail;
    } catch (failure) {
      error.textContent = "could not reach the server: " + failure.message;
    } finally {
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  document.querySelectorAll("form.healing-action").forEach((form) => form.addEventListener("submit", submit));
})();
