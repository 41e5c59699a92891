// The header's "Menu" button on phones: opens and closes the collapsed header menu.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menubtn");
  if (!button) return;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
});
