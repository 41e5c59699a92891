// The header's "Menu" button on phones: opens and closes the collapsed header menu.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menubtn");
  if (!button) return;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
});

// "/" anywhere outside a field jumps to the header's search box.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.getElementById("header-search");
  if (!box) return;
  event.preventDefault();
  var menu = document.querySelector(".menubtn");
  if (menu && getComputedStyle(menu).display !== "none") menu.setAttribute("aria-expanded", "true");
  box.focus();
});

// A link to a folded section (#forecast, #planning, #benchmarks) opens it.
function openTarget() {
  var id = decodeURIComponent(location.hash.slice(1));
  var target = id && document.getElementById(id);
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTarget);
document.addEventListener("DOMContentLoaded", openTarget);
