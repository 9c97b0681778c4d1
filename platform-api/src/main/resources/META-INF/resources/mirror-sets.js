// Kubeyard console, mirror sets: keeps the list or a set's state fresh (refresh.js), and for those who may change the
// team's clusters the create form (the list), the change form and Delete (a set's page). Every change is a call to
// /api/v1/mirror-sets (same origin, the session cookie); a refusal shows the API's problem, its detail and each field
// at fault next to its input ("clusters[1]" next to the clusters). Text from the server is only set as textContent.
(function () {
  "use strict";

  const refreshNow = window.kubeyard.keepFresh(5000, "the sets");

  const { problemOf, showProblem, clearProblem } = window.kubeyard.problems;

  /** Calls the API; answers the response, or shows why it was refused (or not reached) and answers null. */
  async function call(url, method, body, box, form) {
    const headers = { "Accept": "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    try {
      const response = await fetch(url, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
      if (!response.ok) {
        showProblem(box, await problemOf(response), form);
        return null;
      }
      return response;
    } catch (failure) {
      showProblem(box, { status: 0, title: "", detail: "could not reach the server: " + failure.message, errors: [] },
        form);
      return null;
    }
  }

  function busy(form, yes) {
    form.querySelectorAll("button").forEach((b) => { b.disabled = yes; });
  }

  /** The clusters of the form, one per line or comma-separated (as the rollout form takes them). */
  function clustersOf(form) {
    return form.elements.clusters.value.split(/[\s,]+/).filter((name) => name !== "");
  }

  function common(form) {
    const body = { clusters: clustersOf(form), createNamespaces: form.elements.createNamespaces.checked };
    const description = form.elements.description.value.trim();
    if (description !== "") {
      body.description = description;
    }
    return body;
  }

  const createForm = document.getElementById("set-form");
  if (createForm) {
    createForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = document.getElementById("set-problem");
      clearProblem(box, createForm);
      const body = common(createForm);
      body.name = createForm.elements.name.value.trim();
      body.team = createForm.elements.team.value.trim();
      busy(createForm, true);
      const response = await call(createForm.dataset.url, "POST", body, box, createForm);
      if (response) {
        const set = await response.json();
        window.location.assign(createForm.dataset.page + encodeURIComponent(set.name));
      } else {
        busy(createForm, false);
      }
    });
  }

  const changeForm = document.getElementById("change-form");
  if (changeForm) {
    const box = document.getElementById("change-problem");
    const done = document.getElementById("change-done");
    changeForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblem(box, changeForm);
      done.textContent = "";
      const body = common(changeForm);
      body.version = Number(changeForm.elements.version.value);
      busy(changeForm, true);
      const response = await call(changeForm.dataset.url, "PUT", body, box, changeForm);
      if (response) {
        const set = await response.json();
        changeForm.elements.version.value = String(set.version);
        done.textContent = "Changed (version " + set.version + ").";
        await refreshNow();
      }
      busy(changeForm, false);
    });
    const remove = document.getElementById("delete-set");
    remove.addEventListener("click", async () => {
      if (!window.confirm("Delete mirror set " + remove.dataset.set + "? Every member leaves it.")) {
        return;
      }
      clearProblem(box, changeForm);
      busy(changeForm, true);
      const response = await call(changeForm.dataset.url, "DELETE", undefined, box, changeForm);
      if (response) {
        done.textContent = "Deleting: the mirror removes the set's followers, then the set.";
        await refreshNow();
      } else {
        busy(changeForm, false);
      }
    });
  }
})();
