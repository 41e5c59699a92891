// Strategy map: arrange the boxes by hand (editors and admins). With "Arrange boxes"
// on, drag a box within its perspective's band, or move the focused box with the
// arrow keys (Shift: further). Each move is posted to the server, which saves it and
// answers the redrawn map (the routes of the arrows are computed there).
(function () {
  "use strict";
  var tools = document.getElementById("map-arrange");
  var holder = document.getElementById("map-drawing");
  if (!tools || !holder) return;
  var toggle = document.getElementById("map-arrange-toggle");
  var status = document.getElementById("map-arrange-status");
  var on = false;
  var drag = null;
  var pending = {};
  var timer = null;

  function svg() { return holder.querySelector("svg.strategy-map"); }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function say(text) { status.textContent = text; }
  function limits() {
    var s = svg();
    return {
      minX: parseFloat(s.dataset.minX),
      minDy: parseFloat(s.dataset.minDy),
      maxDy: parseFloat(s.dataset.maxDy)
    };
  }
  function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }
  function nameOf(box) { return (box.getAttribute("aria-label") || "").split(":")[0]; }

  function setMode(value) {
    on = value;
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? "Done arranging" : "Arrange boxes";
    tools.classList.toggle("on", on);
    var s = svg();
    if (s) s.classList.toggle("arranging", on);
    say(on ? "Arranging: drag a box, or select it and use the arrow keys." : "Arranging ended.");
  }
  toggle.addEventListener("click", function () { setMode(!on); });

  // Where a box would go after moving it by (dx, dy) map units.
  function place(box, dx, dy) {
    var lim = limits();
    return {
      x: clamp(parseFloat(box.dataset.x) + dx, lim.minX, 4000),
      dy: clamp(parseFloat(box.dataset.dy) + dy, lim.minDy, lim.maxDy)
    };
  }
  function show(box, spot) {
    var dx = spot.x - parseFloat(box.dataset.x);
    var dy = spot.dy - parseFloat(box.dataset.dy);
    box.setAttribute("transform", "translate(" + dx + " " + dy + ")");
  }

  function save(focusKey) {
    var body = new FormData();
    body.append("positions", JSON.stringify(pending));
    pending = {};
    say("Saving…");
    fetch(tools.dataset.saveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() }
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    }).then(function (answer) {
      if (!answer.ok) { say("Not saved: " + answer.text); return; }
      holder.innerHTML = answer.text;
      var s = svg();
      if (s && on) s.classList.add("arranging");
      var rearrange = tools.querySelector("form button");
      if (rearrange) { rearrange.disabled = false; rearrange.removeAttribute("title"); }
      if (focusKey) {
        var again = holder.querySelector('a.mapbox[data-key="' + CSS.escape(focusKey) + '"]');
        if (again) again.focus();
      }
      say("Saved.");
    }).catch(function () { say("Not saved: the server could not be reached."); });
  }

  holder.addEventListener("click", function (event) {
    if (on && event.target.closest("a.mapbox")) event.preventDefault();
  });

  holder.addEventListener("pointerdown", function (event) {
    var box = on && event.target.closest("a.mapbox");
    if (!box || event.button !== 0) return;
    event.preventDefault();
    var ctm = svg().getScreenCTM();
    drag = { box: box, startX: event.clientX, startY: event.clientY, scale: ctm ? ctm.a : 1, spot: null };
    box.classList.add("dragging");
    box.setPointerCapture(event.pointerId);
  });
  holder.addEventListener("pointermove", function (event) {
    if (!drag) return;
    drag.spot = place(drag.box, (event.clientX - drag.startX) / drag.scale,
      (event.clientY - drag.startY) / drag.scale);
    show(drag.box, drag.spot);
  });
  function drop() {
    if (!drag) return;
    var done = drag;
    drag = null;
    done.box.classList.remove("dragging");
    if (!done.spot) return;
    pending[done.box.dataset.key] = [Math.round(done.spot.x), Math.round(done.spot.dy)];
    save(done.box.dataset.key);
  }
  holder.addEventListener("pointerup", drop);
  holder.addEventListener("pointercancel", drop);

  var STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  holder.addEventListener("keydown", function (event) {
    var box = on && event.target.closest("a.mapbox");
    var step = STEPS[event.key];
    if (!box || !step) return;
    event.preventDefault();
    var size = event.shiftKey ? 40 : 10;
    var key = box.dataset.key;
    var current = pending[key] ? { x: pending[key][0], dy: pending[key][1] } :
      { x: parseFloat(box.dataset.x), dy: parseFloat(box.dataset.dy) };
    var spot = place(box, current.x - parseFloat(box.dataset.x) + step[0] * size,
      current.dy - parseFloat(box.dataset.dy) + step[1] * size);
    show(box, spot);
    pending[key] = [Math.round(spot.x), Math.round(spot.dy)];
    say(nameOf(box) + " moved.");
    clearTimeout(timer);
    timer = setTimeout(function () { save(key); }, 500);
  });
})();
