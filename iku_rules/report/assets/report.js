
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  var title = document.getElementById("panel-title");
  var body = document.getElementById("panel-text");
  var hint = document.getElementById("panel-hint");
  var selected = null;
  var heading = title.textContent;

  function treeButton(key) {
    var buttons = document.querySelectorAll("#tree [data-explain]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("data-explain") === key) { return buttons[i]; }
    }
    return null;
  }

  function reveal(node) {
    for (var parent = node.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS") { parent.open = true; }
    }
  }

  function show(button) {
    var key = button.getAttribute("data-explain");
    var source = document.getElementById(key);
    if (!source) { return; }
    var node = treeButton(key) || button;
    reveal(node);
    if (selected) {
      selected.classList.remove("selected");
      selected.setAttribute("aria-expanded", "false");
    }
    selected = node;
    node.classList.add("selected");
    node.setAttribute("aria-expanded", "true");
    title.textContent = source.getAttribute("data-title");
    var copy = document.createElement("div");
    for (var child = source.firstChild; child; child = child.nextSibling) {
      copy.appendChild(child.cloneNode(true));
    }
    body.replaceChildren.apply(body, Array.prototype.slice.call(copy.childNodes));
    hint.hidden = true;
    body.hidden = false;
    panel.classList.add("open");
    if (button !== node) { node.scrollIntoView({block: "center"}); }
    if (panel.scrollIntoView) { panel.scrollIntoView({block: "nearest"}); }
  }

  function close() {
    panel.classList.remove("open");
    body.hidden = true;
    hint.hidden = false;
    title.textContent = heading;
    if (selected) {
      selected.classList.remove("selected");
      selected.setAttribute("aria-expanded", "false");
      selected.focus();
      selected = null;
    }
  }

  function setAll(open) {
    var all = document.querySelectorAll("#tree details");
    for (var i = 0; i < all.length; i++) { all[i].open = open; }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var button = target.closest("[data-explain]");
    if (button) { event.preventDefault(); show(button); return; }
    if (target.closest("#panel-close")) { close(); return; }
    if (target.closest("#expand-all")) { setAll(true); return; }
    if (target.closest("#collapse-all")) { setAll(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.classList.contains("open")) { close(); }
  });
  document.documentElement.classList.add("js");
})();
