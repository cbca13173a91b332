/* Practice with the handbook (hooks/study.py writes the controls into the pages at build time).
 *
 * - Status per question (未学 / 待复习 / 已掌握): the buttons under each question heading and in the
 *   question index. Kept in this browser only (localStorage "dlh-status"); nothing is sent anywhere.
 * - Self-test mode: the header switch (or t) hides every 速答 and 详解 until the reader taps 显示.
 *   The choice is remembered ("dlh-selftest"); a line in <head> applies it before the first paint.
 * - 随机一题 (or r): opens a random answered question from the chapters ticked in the question
 *   index ("dlh-chapters"), weighted toward 待复习 (3 : 2 : 1 for 待复习, 未学, 已掌握).
 * - The question index: progress per chapter, 只看待复习, chapter boxes, with the text filter of
 *   search.js.
 * - Keys on a desktop: t, r, v (show the next hidden part), 1 2 3 (status of the question in view).
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const BASE = new URL("..", script ? script.src : location.href).href; // the site root
  const WEIGHT = {review: 3, new: 2, known: 1};

  const read = (key, fallback) => {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback;
    }
  };
  const write = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or storage full: the page still works for this visit */ }
  };
  const statuses = () => read("dlh-status", {});
  const statusOf = id => statuses()[id] || "new";

  function setStatus(id, state) {
    const all = statuses();
    if (state === "new") delete all[id];
    else all[id] = state;
    write("dlh-status", all);
    paint();
  }

  function paint() {
    const all = statuses();
    for (const group of document.querySelectorAll(".dlh-status")) {
      const state = all[group.dataset.q] || "new";
      group.dataset.state = state;
      for (const b of group.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.s === state));
    }
    for (const p of document.querySelectorAll(".dlh-progress")) {
      const ids = [...document.querySelectorAll(`.dlh-qlist[data-chapter="${CSS.escape(p.dataset.chapter)}"] .dlh-status`)]
        .map(g => g.dataset.q);
      const count = s => ids.filter(id => (all[id] || "new") === s).length;
      p.textContent = `已掌握 ${count("known")} · 待复习 ${count("review")} · 未学 ${count("new")}（共 ${ids.length} 题）`;
    }
    filterBank();
  }

  /* The question index: rows hidden by 只看待复习 and the chapter boxes (search.js hides by text). */
  function filterBank() {
    const only = document.querySelector(".dlh-only-review");
    if (!only) return;
    const chosen = chosenChapters();
    for (const list of document.querySelectorAll(".dlh-qlist[data-chapter]")) {
      const inChapter = chosen.includes(list.dataset.chapter);
      for (const li of list.querySelectorAll(":scope > ul > li")) {
        const group = li.querySelector(".dlh-status");
        const keep = inChapter && (!only.checked || (group && statusOf(group.dataset.q) === "review"));
        li.classList.toggle("dlh-off", !keep);
      }
      const empty = !list.querySelector(":scope > ul > li:not(.dlh-off)");
      list.classList.toggle("dlh-off", empty);
      let h = list.previousElementSibling;
      while (h && h.tagName !== "H2") h = h.previousElementSibling;
      if (h) h.classList.toggle("dlh-off", empty);
      const progress = h && h.nextElementSibling;
      if (progress && progress.classList.contains("dlh-progress")) progress.classList.toggle("dlh-off", empty);
    }
  }

  function chosenChapters() {
    const boxes = [...document.querySelectorAll(".dlh-bank__chapters input")];
    if (boxes.length) return boxes.filter(b => b.checked).map(b => b.value);
    return read("dlh-chapters", null);
  }

  async function randomQuestion() {
    let bank;
    try {
      bank = await (await fetch(BASE + "questions/index.json")).json();
    } catch (e) {
      return;
    }
    const chosen = chosenChapters();
    let pool = chosen ? bank.filter(q => chosen.includes(q.chapter)) : bank;
    if (!pool.length) pool = bank;
    const here = decodeURI(location.href);
    const others = pool.filter(q => decodeURI(new URL(q.id, BASE).href) !== here);
    if (others.length) pool = others;
    const total = pool.reduce((n, q) => n + WEIGHT[statusOf(q.id)], 0);
    let x = Math.random() * total;
    const pick = pool.find(q => (x -= WEIGHT[statusOf(q.id)]) < 0) || pool[pool.length - 1];
    location.href = new URL(pick.id, BASE).href;
  }

  function selfTest(on) {
    document.documentElement.classList.toggle("dlh-selftest", on);
    try {
      if (on) localStorage.setItem("dlh-selftest", "1");
      else localStorage.removeItem("dlh-selftest");
    } catch (e) { /* remembered for this page only */ }
    for (const b of document.querySelectorAll(".dlh-selftest-button")) b.setAttribute("aria-pressed", String(on));
  }

  function reveal(section) {
    section.classList.add("dlh-revealed");
  }

  function nextHidden() {
    const parts = [...document.querySelectorAll("section.dlh-q[data-part]:not(.dlh-revealed)")];
    return parts.find(s => s.getBoundingClientRect().bottom > 0) || null;
  }

  function questionInView() {
    const groups = [...document.querySelectorAll("article .dlh-status")];
    const line = window.innerHeight * 0.4;
    let current = null;
    for (const g of groups) if (g.getBoundingClientRect().top < line) current = g;
    return current || groups[0] || null;
  }

  function setup() {
    for (const group of document.querySelectorAll(".dlh-status:not([data-ready])")) {
      group.dataset.ready = "1";
      group.addEventListener("click", ev => {
        const b = ev.target.closest("button[data-s]");
        if (b) setStatus(group.dataset.q, b.dataset.s);
      });
    }
    for (const b of document.querySelectorAll(".dlh-reveal:not([data-ready])")) {
      b.dataset.ready = "1";
      b.addEventListener("click", () => reveal(b.closest("section")));
    }
    const on = document.documentElement.classList.contains("dlh-selftest");
    for (const b of document.querySelectorAll(".dlh-selftest-button:not([data-ready])")) {
      b.dataset.ready = "1";
      b.addEventListener("click", () => selfTest(!document.documentElement.classList.contains("dlh-selftest")));
    }
    for (const b of document.querySelectorAll(".dlh-selftest-button")) b.setAttribute("aria-pressed", String(on));
    const boxes = [...document.querySelectorAll(".dlh-bank__chapters input:not([data-ready])")];
    const saved = read("dlh-chapters", null);
    for (const box of boxes) {
      box.dataset.ready = "1";
      if (saved) box.checked = saved.includes(box.value);
      box.addEventListener("change", () => {
        write("dlh-chapters", chosenChapters());
        filterBank();
      });
    }
    const only = document.querySelector(".dlh-only-review:not([data-ready])");
    if (only) {
      only.dataset.ready = "1";
      only.addEventListener("change", filterBank);
    }
    for (const b of document.querySelectorAll(".dlh-random:not([data-ready])")) {
      b.dataset.ready = "1";
      b.addEventListener("click", randomQuestion);
    }
    paint();
  }

  document.addEventListener("keydown", ev => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (ev.key === "t") selfTest(!document.documentElement.classList.contains("dlh-selftest"));
    else if (ev.key === "r") randomQuestion();
    else if (ev.key === "v" && document.documentElement.classList.contains("dlh-selftest")) {
      const s = nextHidden();
      if (s) {
        reveal(s);
        s.scrollIntoView({block: "nearest"});
      }
    } else if (["1", "2", "3"].includes(ev.key)) {
      const g = questionInView();
      if (g) setStatus(g.dataset.q, ["new", "review", "known"][Number(ev.key) - 1]);
    } else return;
    ev.preventDefault();
  });
  window.addEventListener("storage", ev => { if (ev.key === "dlh-status") paint(); });

  setup();
  if (window.document$) window.document$.subscribe(setup);
  window.dlhStudy = {statusOf, setStatus, randomQuestion, selfTest};
})();
