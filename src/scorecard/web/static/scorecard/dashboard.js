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
  grid.addEventListener("dragover", function (event) {
    var over = event.target.closest("li.widget");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2 ||
      (event.clientX > box.left + box.width / 2 && event.clientY > box.top);
    grid.insertBefore(dragged, after ? over.nextSibling : over);
  });
  grid.addEventListener("drop", function (event) { event.preventDefault(); });
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
