// Period picker: choosing "Custom window" shows the from/to dates (and hides "As of");
// a change asks for the page only once both dates are there (htmx:confirm is cancelled
// while one is missing), so picking the choice does not report a half-filled window.
(function () {
  "use strict";
  if (window.scorecardPeriodPicker) return; // the form may be included more than once
  window.scorecardPeriodPicker = true;

  function isCustom(form) {
    return form.elements.view && form.elements.view.value === "custom";
  }
  function show(form) {
    var custom = isCustom(form);
    var dates = form.querySelector("[data-custom-window]");
    var fixed = form.querySelector("[data-fixed-view]");
    if (dates) dates.hidden = !custom;
    if (fixed) fixed.hidden = custom;
    // A window says which days: the as-of date is not sent with it (nor the window's
    // dates with a fixed view).
    if (form.elements.as_of) form.elements.as_of.disabled = custom;
    if (form.elements.from) form.elements.from.disabled = !custom;
    if (form.elements.to) form.elements.to.disabled = !custom;
  }
  function incomplete(form) {
    return isCustom(form) && !(form.elements.from.value && form.elements.to.value);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-period-picker]");
    if (form && event.target.name === "view") show(form);
  });
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form[data-period-picker]");
    // A change waits for both dates; "Show" goes ahead, and the page says what is missing.
    var trigger = event.detail && event.detail.triggeringEvent;
    if (form && incomplete(form) && !(trigger && trigger.type === "submit")) {
      event.preventDefault();
    }
  });
})();
