// The workspace's progressive enhancement: every page works without this file.
// It opens explanations in a side panel, filters the tree as a name is typed, and checks
// the formula as it is typed. No framework, no build step; served from the package.
"use strict";

(function () {
  document.documentElement.classList.add("js");
  const token = () => document.querySelector('meta[name="csrf-token"]').content;

  // -- the tree: expand, collapse, filter as you type
  function tree() {
    const root = document.getElementById("tree");
    if (!root) return;
    const all = (open) => root.querySelectorAll("details").forEach((d) => { d.open = open; });
    document.getElementById("expand-all").addEventListener("click", () => all(true));
    document.getElementById("collapse-all").addEventListener("click", () => all(false));
    const search = document.getElementById("search");
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => filter(root, search.value.trim().toLowerCase()), 120);
    });
    for (const id of ["period", "region"]) {
      const select = document.getElementById(id);
      if (select) select.addEventListener("change", () => document.getElementById("choose").submit());
    }
    root.addEventListener("click", (event) => {
      const link = event.target.closest("a.explain");
      if (!link) return;
      event.preventDefault();
      openPanel(link);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel();
    });
    document.getElementById("panel-close").addEventListener("click", closePanel);
  }

  function filter(root, wanted) {
    const show = (li) => {
      const rows = li.querySelectorAll(":scope > details > table > tbody > tr.indicator, :scope > details > table > tr.indicator");
      const own = li.dataset.search.includes(wanted);
      let any = false;
      rows.forEach((row) => {
        const match = !wanted || own || row.dataset.search.includes(wanted);
        row.hidden = !match;
        any = any || match;
      });
      let child = false;
      li.querySelectorAll(":scope > details > ul > li").forEach((c) => { if (show(c)) child = true; });
      const visible = !wanted || own || any || child;
      li.hidden = !visible;
      if (wanted && visible) li.querySelector(":scope > details").open = true;
      return visible;
    };
    root.querySelectorAll(":scope > ul.root > li").forEach(show);
  }

  async function openPanel(link) {
    const panel = document.getElementById("panel");
    const body = document.getElementById("panel-body");
    document.querySelectorAll("tr.indicator.selected").forEach((r) => r.classList.remove("selected"));
    link.closest("tr").classList.add("selected");
    const url = new URL(link.href);
    url.searchParams.set("fragment", "1");
    body.textContent = "…";
    panel.hidden = false;
    const response = await fetch(url, { credentials: "same-origin" });
    const html = await response.text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const content = doc.querySelector(".explanation");
    body.replaceChildren(...(content ? [document.importNode(content, true)] : []));
    document.getElementById("panel-title").textContent = content ? content.dataset.title : "";
  }

  function closePanel() {
    const panel = document.getElementById("panel");
    if (panel) panel.hidden = true;
    document.querySelectorAll("tr.indicator.selected").forEach((r) => r.classList.remove("selected"));
  }

  // -- the formula, checked as it is typed
  function formula() {
    const form = document.getElementById("indicator-form");
    if (!form) return;
    const field = document.getElementById("f-formula");
    const mirror = document.getElementById("formula-mirror");
    const check = document.getElementById("formula-check");
    let timer = null;
    let sent = 0;
    const run = async () => {
      const number = ++sent;
      const data = new FormData(form);
      data.set("indicator", form.dataset.indicator);
      data.delete("action");
      const response = await fetch("/api/check", {
        method: "POST",
        body: new URLSearchParams(data),
        headers: { "X-CSRF-Token": token() },
        credentials: "same-origin",
      });
      if (number !== sent) return; // a newer check is on its way
      const result = await response.json();
      show(result);
    };
    const show = (result) => {
      check.replaceChildren();
      mirror.replaceChildren();
      form.classList.toggle("invalid", result.problems.length > 0);
      if (result.problems.length) {
        const list = document.createElement("ul");
        list.className = "problems";
        for (const problem of result.problems) {
          const item = document.createElement("li");
          item.className = problem.severity;
          item.textContent = problem.text;
          list.append(item);
        }
        check.append(list);
        const placed = result.problems.filter((p) => p.start !== null && p.start !== undefined);
        const first = placed.find((p) => p.severity === "error") || placed[0];
        if (first) {
          const text = result.formula;
          const mark = document.createElement("mark");
          mark.className = first.severity === "error" ? "err" : "warn";
          mark.textContent = text.slice(first.start, first.end) || " ";
          mirror.append(text.slice(0, first.start), mark, text.slice(first.end));
        }
      }
      if (!result.problems.some((p) => p.severity === "error")) {
        const ok = document.createElement("p");
        ok.className = "good";
        ok.textContent = form.dataset.ok || "✓";
        if (result.bounds) {
          const bounds = document.createElement("span");
          bounds.id = "bounds";
          bounds.textContent = " " + result.bounds;
          ok.append(bounds);
        }
        check.append(ok);
      }
      if (result.others && result.others.length) {
        const more = document.createElement("p");
        more.className = "others";
        more.textContent = result.summary;
        check.append(more);
      }
    };
    form.dataset.ok = check.dataset.ok;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    tree();
    formula();
  });
})();
