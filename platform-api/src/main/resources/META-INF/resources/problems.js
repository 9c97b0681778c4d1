// Kubeyard console: an API refusal (RFC 9457 problem+json) shown in a page's problem box and next to each field at
// fault ("clusters[1]" and "values.a.b" next to "clusters" and "values"). Loaded before every page script that
// changes something (layout/console.html). Text from the server is only set as textContent.
(function () {
  "use strict";

  async function problemOf(response) {
    const problem = { status: response.status, title: "", detail: "", errors: [] };
    try {
      const body = await response.json();
      problem.title = body.title || "";
      problem.detail = body.detail || "";
      problem.errors = Array.isArray(body.errors) ? body.errors : [];
    } catch (ignored) {
      // not a problem document: the status says enough
    }
    return problem;
  }

  /** The labelled input a field error belongs to: "values.a.b" and "clusters[2]" go to "values" and "clusters". */
  function slotFor(form, field) {
    if (!form || !field) {
      return null;
    }
    for (const slot of form.querySelectorAll("[data-field]")) {
      const name = slot.dataset.field;
      if (field === name || field.startsWith(name + ".") || field.startsWith(name + "[")) {
        return slot;
      }
    }
    return null;
  }

  function clearProblem(box, form) {
    if (box) {
      box.hidden = true;
      box.querySelector(".problem-title").textContent = "";
      box.querySelector(".problem-detail").textContent = "";
      box.querySelector(".problem-fields").replaceChildren();
    }
    if (form) {
      form.querySelectorAll("[data-field]").forEach((slot) => {
        slot.classList.remove("invalid");
        const error = slot.querySelector(".field-error");
        if (error) {
          error.textContent = "";
        }
        slot.querySelectorAll("input, select, textarea").forEach((input) => input.removeAttribute("aria-invalid"));
      });
    }
  }

  function showProblem(box, problem, form) {
    clearProblem(box, form);
    const status = problem.status ? problem.status + (problem.title ? " " + problem.title : "") : problem.title;
    box.querySelector(".problem-title").textContent = status ? "Refused (" + status + "):" : "Refused:";
    box.querySelector(".problem-detail").textContent = problem.detail || "";
    const list = box.querySelector(".problem-fields");
    for (const error of problem.errors || []) {
      const item = document.createElement("li");
      item.dataset.errorField = error.field;
      const name = document.createElement("code");
      name.textContent = error.field;
      item.append(name, " " + error.detail);
      list.append(item);
      const slot = slotFor(form, error.field);
      if (slot) {
        slot.classList.add("invalid");
        const message = slot.querySelector(".field-error");
        const own = error.field === slot.dataset.field ? error.detail : error.field + " " + error.detail;
        message.textContent = message.textContent ? message.textContent + "; " + own : own;
        slot.querySelectorAll("input, select, textarea").forEach((input) => input.setAttribute("aria-invalid", "true"));
      }
    }
    box.hidden = false;
  }

  window.kubeyard = window.kubeyard || {};
  window.kubeyard.problems = { problemOf, slotFor, clearProblem, showProblem };
})();
