// Dugnad: small enhancements. Pages allow no inline script (CSP script-src 'self').
(() => {
  "use strict";

  // 0. Say that scripts run, so texts about what scripts do (".js-only") are shown only then.
  document.documentElement.classList.add("js");

  // 1. Send the CSRF token from <meta name="csrf-token"> with every htmx request.
  document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('meta[name="csrf-token"]')?.content;
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });

  // 2. When an htmx request fails, say so politely in #flash-region (aria-live="polite").
  //    The text comes from <body data-error-message="…"> so the server can translate it.
  const removeError = () => document.querySelector("#flash-region [data-htmx-error]")?.remove();
  const showError = () => {
    const region = document.getElementById("flash-region");
    if (!region) return;
    removeError(); // a fresh node, so a repeated failure is announced again
    const alert = document.createElement("div");
    alert.className = "ds-alert";
    alert.dataset.color = "danger";
    alert.dataset.htmxError = "";
    const text = document.createElement("p");
    text.className = "ds-paragraph";
    text.textContent = document.body.dataset.errorMessage || "That did not work. Please try again.";
    alert.append(text);
    region.append(alert);
  };
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError); // network down: no response at all
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) removeError();
  });

  // 3. <form data-confirm="Question?"> asks before it is submitted. Capture phase on the
  //    document runs before htmx's own submit listener on the form, so stopping here stops both.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );

  // 4. Print buttons ([data-print]) exist only with JavaScript: shown here, hidden otherwise.
  const showPrintButtons = () =>
    document.querySelectorAll("[data-print][hidden]").forEach((button) => (button.hidden = false));
  showPrintButtons();
  document.addEventListener("htmx:afterSettle", showPrintButtons);
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
  });

  // 5. A poll form shows only the settings of the method chosen ([data-for-method="dot approval"]).
  //    Without JavaScript every setting shows, each under the name of its method.
  const showMethodSettings = (form) => {
    const chosen = form.querySelector('input[name="method"]:checked')?.value;
    form.querySelectorAll("[data-for-method]").forEach((part) => {
      part.hidden = Boolean(chosen) && !part.dataset.forMethod.split(" ").includes(chosen);
    });
  };
  const methodForms = () => document.querySelectorAll("form[data-method-form]").forEach(showMethodSettings);
  methodForms();
  document.addEventListener("htmx:afterSettle", methodForms);
  document.addEventListener("change", (event) => {
    const form = event.target instanceof Element && event.target.closest("form[data-method-form]");
    if (form && event.target.name === "method") showMethodSettings(form);
  });
})();
