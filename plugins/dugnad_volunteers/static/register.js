// Volunteer registration, step by step. Without this script the form shows every step at once
// and works the same: this only hides the steps not in view and adds Back/Next buttons.
(() => {
  "use strict";

  const form = document.querySelector("form[data-steps]");
  if (!form) return;
  const steps = [...form.querySelectorAll("[data-step]")];
  const stepOf = (element) => element?.closest("[data-step]");

  const show = (step, focus) => {
    steps.forEach((each) => (each.hidden = each !== step));
    if (focus) step.querySelector(".vol-step__heading")?.focus();
  };

  form.querySelectorAll("[data-step-nav]").forEach((nav) => (nav.hidden = false));
  form.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-step-go]");
    if (!button) return;
    show(form.querySelector(`[data-step="${button.dataset.stepGo}"]`), true);
    window.scrollTo(0, form.offsetTop);
  });

  // After a refusal the page opens at the first step with an error, everything typed kept;
  // a link in the error summary opens the step of its field before the browser jumps to it.
  const firstError = form.querySelector('[aria-invalid="true"], .ds-validation-message');
  show(stepOf(firstError) || steps[0], false);
  document.querySelector("#error-summary")?.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('a[href^="#"]');
    const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (stepOf(target)) show(stepOf(target), false);
  });

  // Languages: a filter over the ticks (the folded ones open while filtering).
  const filter = form.querySelector("[data-language-filter]");
  if (filter) {
    filter.hidden = false;
    const more = form.querySelector(".vol-more-languages");
    filter.querySelector("input").addEventListener("input", (event) => {
      const wanted = event.target.value.trim().toLocaleLowerCase();
      form.querySelectorAll(".vol-language").forEach((item) => {
        const label = item.querySelector("label").textContent.toLocaleLowerCase();
        item.hidden = Boolean(wanted) && !label.includes(wanted);
      });
      if (wanted && more) more.open = true;
    });
  }
})();
