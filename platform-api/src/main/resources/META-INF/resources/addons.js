// Kubeyard console, addon pages. A cluster's addons: the install form, Change and Remove. Rollouts: the start form,
// Pause, Resume and Abort. Every change is a call to the addon API (same origin, the session cookie); a refusal shows
// the API's problem (its detail, and each field at fault next to its input). The section marked data-refresh is
// swapped for a fresh rendering from the server every few seconds (refresh.js), as the cluster list is, until it says
// data-active="false" (a finished rollout). Text from the server is only ever set as textContent.
(function () {
  "use strict";

  /** After a change: show its effect now, and poll again if the page had stopped. */
  const refreshNow = window.kubeyard.keepFresh(3000, "the state");

  // Calls and problems.

  class Refused extends Error {
    constructor(problem) {
      super(problem.detail || problem.title || "refused");
      this.problem = problem;
    }
  }

  const { problemOf, showProblem, clearProblem } = window.kubeyard.problems;

  function unreachable(failure) {
    return { status: 0, title: "", detail: "could not reach the server: " + failure.message, errors: [] };
  }

  /** Shows why a call failed: the API's problem, or that the server could not be reached. */
  function showFailure(box, failure, form) {
    showProblem(box, failure instanceof Refused ? failure.problem : unreachable(failure), form);
  }

  /** Calls the API (same origin, the session cookie) and answers its response; a refusal throws Refused. */
  async function call(url, method, contentType, body) {
    const headers = { "Accept": "application/json" };
    if (contentType) {
      headers["Content-Type"] = contentType;
    }
    const response = await fetch(url, { method: method, headers: headers, body: body, cache: "no-store" });
    if (!response.ok) {
      throw new Refused(await problemOf(response));
    }
    return response;
  }

  /** A button that calls the API without a body; a refusal shows in box and frees the button. Whether it succeeded. */
  async function press(button, method, box) {
    clearProblem(box, null);
    button.disabled = true;
    try {
      await call(button.dataset.url, method);
      return true;
    } catch (failure) {
      showFailure(box, failure, null);
      button.disabled = false;
      return false;
    }
  }

  function busy(form, yes) {
    form.querySelectorAll("button").forEach((b) => { b.disabled = yes; });
  }

  // Addon and version lists: the version list offers the chosen addon's versions only.

  function offerVersions(form) {
    const addon = form.elements.addon.value;
    const versions = form.elements.version;
    for (const option of versions.options) {
      if (!option.dataset.addon) {
        continue;
      }
      const mine = option.dataset.addon === addon;
      option.hidden = !mine;
      option.disabled = !mine || option.dataset.supported === "false";
    }
    versions.value = "";
  }

  // A cluster's addons.

  function installedRow(addon) {
    for (const row of document.querySelectorAll("#installations tr[data-addon]")) {
      if (row.dataset.addon === addon) {
        return row;
      }
    }
    return null;
  }

  /** Fills the form from the installation, if there is one: a PUT replaces version, namespace and values alike. */
  function chooseAddon(form) {
    offerVersions(form);
    const addon = form.elements.addon.value;
    const chosen = form.elements.addon.selectedOptions[0];
    const namespace = form.elements.namespace;
    namespace.placeholder = chosen && chosen.dataset.namespace ? chosen.dataset.namespace : "the addon's own";
    const row = addon ? installedRow(addon) : null;
    const submit = form.querySelector("button[type=submit]");
    if (row && row.dataset.state !== "Removing") {
      form.elements.version.value = row.dataset.version;
      namespace.value = row.dataset.namespace;
      form.elements.values.value = row.dataset.values;
      submit.textContent = "Change " + addon;
    } else {
      namespace.value = "";
      form.elements.values.value = "";
      submit.textContent = "Install";
    }
  }

  /** The values as the API takes them: JSON in the browser, YAML through the console's reader. */
  async function valuesOf(form) {
    const text = form.elements.values.value;
    if (!text.trim()) {
      return {};
    }
    if (text.trim().startsWith("{")) {
      try {
        return JSON.parse(text);
      } catch (ignored) {
        // a YAML flow mapping, or a typo: the reader below says which line
      }
    }
    const response = await call(form.dataset.valuesUrl, "POST", "text/plain", text);
    return response.json();
  }

  async function install(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const box = form.querySelector(".problem");
    const done = form.querySelector(".done");
    clearProblem(box, form);
    done.textContent = "";
    const addon = form.elements.addon.value;
    if (!addon) {
      showProblem(box, { status: 0, title: "", detail: "Choose an addon.", errors: [] }, form);
      return;
    }
    busy(form, true);
    try {
      const body = { values: await valuesOf(form) };
      if (form.elements.version.value) {
        body.version = form.elements.version.value;
      }
      if (form.elements.namespace.value.trim()) {
        body.namespace = form.elements.namespace.value.trim();
      }
      const response = await call(
        form.dataset.url + encodeURIComponent(addon), "PUT", "application/json", JSON.stringify(body));
      const installation = await response.json();
      done.textContent = (response.status === 201 ? "Installed " : "Saved ") + installation.addon + " "
        + installation.version + " in " + installation.namespace + "; the controller applies it within seconds.";
      await refreshNow();
    } catch (failure) {
      showFailure(box, failure, form);
    } finally {
      busy(form, false);
    }
  }

  async function remove(button) {
    const main = document.querySelector("main");
    const addon = button.dataset.addon;
    const question = "Remove " + addon + " from " + main.dataset.cluster + "? Its objects are deleted from the"
      + " cluster (Namespaces and volume claims are kept).";
    if (!window.confirm(question)) {
      return;
    }
    if (await press(button, "DELETE", document.getElementById("table-problem"))) {
      document.getElementById("table-done").textContent =
        "Removing " + addon + ": the controller deletes its objects, then the installation.";
      await refreshNow();
    }
  }

  // Rollouts.

  const NUMBERS = ["canaries", "maxConcurrent", "soakSeconds", "failureBudget", "progressDeadlineSeconds"];

  async function startRollout(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const box = form.querySelector(".problem");
    clearProblem(box, form);
    const body = {
      addon: form.elements.addon.value,
      version: form.elements.version.value,
      healthGate: form.elements.healthGate.checked,
    };
    const clusters = form.elements.clusters.value.split(/[\s,]+/).filter((name) => name !== "");
    if (clusters.length) {
      body.clusters = clusters;
    }
    for (const name of NUMBERS) {
      const input = form.elements[name];
      if (input.value.trim() !== "") {
        body[name] = Number(input.value);
      } else if (input.validity.badInput) {
        showProblem(box, { status: 0, title: "", detail: name + " must be a whole number.",
          errors: [{ field: name, detail: "must be a whole number" }] }, form);
        return;
      }
    }
    busy(form, true);
    try {
      const response = await call(form.dataset.url, "POST", "application/json", JSON.stringify(body));
      const rollout = await response.json();
      window.location.assign(form.dataset.page + encodeURIComponent(rollout.id));
    } catch (failure) {
      showFailure(box, failure, form);
      busy(form, false);
    }
  }

  async function command(button) {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      return;
    }
    if (await press(button, "POST", document.getElementById("command-problem"))) {
      await refreshNow();
    }
  }

  // Wiring. The buttons inside the refreshed section are replaced on every refresh: their clicks are taken at the
  // document.

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target) {
      return;
    }
    if (target.classList.contains("remove-addon")) {
      remove(target);
    } else if (target.classList.contains("change-addon")) {
      const form = document.getElementById("install-form");
      if (form) {
        form.elements.addon.value = target.dataset.addon;
        chooseAddon(form);
        form.scrollIntoView({ block: "nearest" });
        form.elements.version.focus();
      }
    } else if (target.classList.contains("rollout-command")) {
      command(target);
    }
  });

  const installForm = document.getElementById("install-form");
  if (installForm) {
    installForm.elements.addon.addEventListener("change", () => chooseAddon(installForm));
    installForm.addEventListener("submit", install);
    chooseAddon(installForm);
  }

  const rolloutForm = document.getElementById("rollout-form");
  if (rolloutForm) {
    rolloutForm.elements.addon.addEventListener("change", () => offerVersions(rolloutForm));
    rolloutForm.addEventListener("submit", startRollout);
    offerVersions(rolloutForm);
  }
})();
