// Dashboards: drag a widget to a new place; the new order goes to the server with an
// htmx POST (the up/down buttons do the same without a mouse). Print button.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  var grid = document.getElementById("dashboard-grid");
  if (!grid || !grid.dataset.orderUrl) return;
  var dragged = null;
  grid.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("li.widget");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.widget);
  });
  // Move the dragged widget before (or after) the widget under the pointer.
  function place(event) {
    var over = event.target.closest("li.widget");
    if (!dragged || !over) return;
    event.preventDefault();
    if (over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    grid.insertBefore(dragged, after ? over.nextSibling : over);
  }
  grid.addEventListener("dragover", place);
  grid.addEventListener("drop", place);
  grid.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    var order = Array.prototype.map.call(
      grid.querySelectorAll("li.widget"), function (li) { return li.dataset.widget; }
    );
    window.htmx.ajax("POST", grid.dataset.orderUrl, {
      source: grid, swap: "none", values: { order: order.join(",") }
    });
  });
})();
