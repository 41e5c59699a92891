// The KPI form shows only the fields the chosen scoring type uses.
// Hidden fields keep their values (they are still sent); without JavaScript every
// field shows, as before.
(function () {
  "use strict";
  var data = document.getElementById("kpi-fields-by-type");
  var form = document.querySelector("form.kpiform");
  if (!data || !form) return;
  var byType = JSON.parse(data.textContent);
  var choice = form.querySelector("[name=optimization]");
  if (!choice) return;
  function update() {
    var kind = choice.value || "maximize";
    Object.keys(byType).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      var field = input && input.closest(".field");
      if (!field) return;
      // A field with an error always shows, so the message can be read.
      field.hidden = byType[name].indexOf(kind) < 0 && !field.classList.contains("has-error");
    });
  }
  choice.addEventListener("change", update);
  update();
})();
