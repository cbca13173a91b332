/* Site search for Chinese typists: query preparation, then Pagefind (or Material's search).
 *
 * A reader types the way a Chinese IME types: 「adam和sgd的区别」, 「1*1卷积」, 「nms怎么实现」.
 * prepare() turns that into the searches to run:
 *   1. NFKC (full-width letters and digits become ASCII), lower case;
 *   2. sizes written 1×1, 1*1, 1 x 1 become 1x1 (one word; the index spells them so too);
 *   3. a space wherever Chinese meets Latin letters or digits;
 *   4. filler words (search/stopwords.txt) dropped from Chinese runs, except inside words of the
 *      site's vocabulary that contain them (饱和, 是否);
 *   5. every member of a synonym group (search/synonyms.yml) tried in place of the one typed.
 * Nothing is fetched until the search box opens: then Pagefind's small loader and the chunks of
 * the index that the query needs, and search/data.json (the lists above and the unanswered
 * questions, shown as 「尚未收录」 with a link to their row in the question index).
 */
(() => {
  "use strict";
  if (window.dlhSearch) return;

  const script = document.currentScript;
  const BASE = new URL("..", script ? script.src : location.href).href; // the site root
  const CJK = "\\u3400-\\u9fff\\uf900-\\ufaff";
  const MAX_VARIANTS = 8;

  /* NFKC (full-width letters and digits become ASCII), lower case, and sizes written 1×1, 1*1 or
   * 1 x 1 as 1x1: how queries, headings and index rows are compared. */
  function fold(s) {
    return s.normalize("NFKC").toLowerCase().replace(/(\d+)\s*[x*×✕]\s*(\d+)/g, "$1x$2");
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* The searches to run for what the reader typed: a list of query strings (terms split by spaces). */
  function prepare(raw, data) {
    let q = fold(raw).trim();
    q = q.replace(new RegExp(`([${CJK}])(?=[a-z0-9])|([a-z0-9])(?=[${CJK}])`, "g"), "$1$2 ");
    q = q.replace(/[，。、？！,.?!;；:：()（）“”"'‘’]+/g, " ");

    // synonyms: mark the first occurrence of each group's longest matching member
    const slots = [];
    for (const group of data.synonyms) {
      const members = group.map(w => w.toLowerCase());
      const byLength = [...members].sort((a, b) => b.length - a.length);
      for (const m of byLength) {
        const latin = /^[a-z0-9]/.test(m);
        const re = latin ? new RegExp(`(^|[^a-z0-9])${escapeRegExp(m)}(?![a-z0-9])`) : new RegExp(escapeRegExp(m));
        const hit = re.exec(q);
        if (!hit) continue;
        const at = hit.index + (latin ? hit[1].length : 0);
        q = `${q.slice(0, at)} \u0001${slots.length}\u0001 ${q.slice(at + m.length)}`;
        slots.push(members);
        break;
      }
    }

    // filler words, outside protected words
    const keep = [];
    const protect = new RegExp(data.protect.map(escapeRegExp).join("|") || "(?!)", "g");
    q = q.replace(protect, w => `\u0002${keep.push(w) - 1}\u0002`);
    for (const w of data.stopwords) q = q.split(w).join(" ");
    q = q.replace(/\u0002(\d+)\u0002/g, (_, i) => keep[+i]);

    let variants = [q];
    for (let i = 0; i < slots.length; i++) {
      const choices = slots[i].slice(0, Math.max(2, Math.floor(MAX_VARIANTS / variants.length)));
      variants = variants.flatMap(v => choices.map(c => v.replace(`\u0001${i}\u0001`, ` ${c} `)));
    }
    const clean = variants.map(v => v.replace(/\s+/g, " ").trim()).filter(Boolean);
    return [...new Set(clean)].slice(0, MAX_VARIANTS);
  }

  /* Unanswered questions matching a variant: each with the share of the query's characters found
   * in its text (1 = every term found), best first; below one half is no match. */
  function unanswered(variants, data) {
    const out = [];
    for (const u of data.unanswered) {
      const text = squash(u.q);
      let cover = 0;
      for (const v of variants) {
        const terms = v.split(" ").map(squash).filter(Boolean);
        const total = terms.reduce((n, t) => n + t.length, 0);
        const found = terms.filter(t => text.includes(t));
        if (total && found.some(t => t.length >= 2))
          cover = Math.max(cover, found.reduce((n, t) => n + t.length, 0) / total);
      }
      if (cover >= 0.5) out.push({...u, cover});
    }
    return out.sort((a, b) => b.cover - a.cover);
  }

  let dataPromise = null;
  function loadData() {
    dataPromise = dataPromise || fetch(`${BASE}search/data.json`).then(r => r.json());
    return dataPromise;
  }

  /* ---- Material's search (only in a build made with DLH_SEARCH_MATERIAL=true) ---------------- */
  // Material sends the query to its worker as {type: 2, data: query}; lunr ORs the terms, so the
  // prepared variants are sent as one query holding all their terms.
  const material = document.querySelector("[data-md-component=search]") !== null;
  if (material) {
    const post = Worker.prototype.postMessage;
    let cached = null;
    loadData().then(d => { cached = d; });
    Worker.prototype.postMessage = function (message, ...rest) {
      if (cached && message && message.type === 2 && typeof message.data === "string" && message.data.trim())
        message = {...message, data: [...new Set(prepare(message.data, cached).join(" ").split(" "))].join(" ")};
      return post.call(this, message, ...rest);
    };
  }

  /* ---- Pagefind ------------------------------------------------------------------------------ */
  let pagefind = null;
  async function engine() {
    if (!pagefind) {
      pagefind = import(`${BASE}pagefind/pagefind.js`).then(async pf => {
        await pf.options({excerptLength: 24});
        await pf.init();
        return pf;
      });
    }
    return pagefind;
  }

  /* Run every variant, keep each page's best score; returns [{data, score}] best first. */
  async function search(raw, limit = 8) {
    const [pf, data] = await Promise.all([engine(), loadData()]);
    const variants = prepare(raw, data);
    if (!variants.length) return {variants, pages: [], missing: []};
    // Pagefind wants every term on a page. When a variant finds fewer than three pages (a term
    // the index segments differently, a word the page does not use), its terms are also searched
    // one by one and a page scores the sum over the terms it has; full matches stay ahead.
    const best = new Map();
    const keep = (hit, score) => {
      const prev = best.get(hit.id);
      if (!prev || score > prev.score) best.set(hit.id, {hit, score});
    };
    await Promise.all(variants.map(async v => {
      const full = await pf.search(v);
      for (const hit of full.results) keep(hit, 1000 + hit.score);
      const words = terms(v, data);
      if (full.results.length >= 3 || words.length < 2) return;
      const sums = new Map();
      for (const r of await Promise.all(words.map(t => pf.search(t))))
        for (const hit of r.results) {
          const s = sums.get(hit.id) || {hit, score: 0};
          s.score += hit.score;
          sums.set(hit.id, s);
        }
      for (const {hit, score} of sums.values()) keep(hit, score);
    }));
    // Re-rank the best candidates by how much of the query their title and question headings hold,
    // compared as plain strings: whatever the segmenters make of 「卷积核」, the heading 「卷积核大小与
    // 1x1 卷积」 holds it. Ties keep the engine's order. The best pages that matched only some terms
    // are kept apart from the full matches: otherwise every new page that happens to hold all terms
    // of some variant (「比」 and 「计算」) can push the answering page out of the re-ranked set.
    const ranked = [...best.values()].sort((a, b) => b.score - a.score);
    const candidates = [...ranked.filter(c => c.score >= 1000).slice(0, 4 * limit),
                        ...ranked.filter(c => c.score < 1000).slice(0, limit)];
    const loaded = await Promise.all(candidates.map(async ({hit, score}) => ({data: await hit.data(), score})));
    for (const c of loaded) c.cover = headingCover(c.data, variants, data);
    const pages = loaded.sort((a, b) => b.cover - a.cover || b.score - a.score).slice(0, limit);
    return {variants, pages, missing: unanswered(variants, data)};
  }

  function squash(s) {
    return fold(s)
      .replace(new RegExp(`[^a-z0-9${CJK}]+`, "g"), "");
  }

  /* A variant's terms: its space-separated words, Chinese runs cut into words as the browser's
   * segmenter cuts them (Pagefind cuts the query the same way), filler words left out. */
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", {granularity: "word"}) : null;
  function terms(variant, data) {
    const stop = new Set(data.stopwords);
    const out = [];
    for (const word of variant.split(" ").filter(Boolean)) {
      if (!segmenter || !new RegExp(`[${CJK}]`).test(word)) {
        out.push(word);
        continue;
      }
      for (const {segment, isWordLike} of segmenter.segment(word))
        if (isWordLike && !stop.has(segment)) out.push(segment);
    }
    return out;
  }

  /* The share of a variant's characters found in the page's title and h2 headings (best variant). */
  function headingCover(data, variants, stopData) {
    const heads = squash([data.meta.title || "", ...(data.anchors || []).filter(a => a.element === "h2").map(a => a.text)].join(" "));
    let best = 0;
    for (const v of variants) {
      const words = terms(v, stopData).map(squash).filter(Boolean);
      const total = words.reduce((n, t) => n + t.length, 0);
      const found = words.filter(t => heads.includes(t)).reduce((n, t) => n + t.length, 0);
      if (total) best = Math.max(best, found / total);
    }
    return Math.round(best * 20) / 20;
  }

  /* The question a sub-result belongs to: its own heading if it is a question (h2), otherwise the
   * nearest h2 above it, so 「详解」 reads 「为什么……？ · 详解」. */
  function subTitle(sub, anchors) {
    const clean = s => s.replace(/¶$/, "").trim();
    if (!sub.anchor || sub.anchor.element !== "h3") return clean(sub.title);
    const above = anchors.filter(a => a.element === "h2" && a.location <= sub.anchor.location);
    const q = above.length ? above[above.length - 1].text : "";
    return q ? `${clean(q)} · ${clean(sub.title)}` : clean(sub.title);
  }

  /* ---- The search box ------------------------------------------------------------------------ */
  const icon = () => {
    const svg = document.querySelector(".dlh-search-button svg");
    return svg ? svg.outerHTML : "";
  };
  let dialog = null;

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "dlh-search";
    dialog.setAttribute("aria-label", "搜索");
    dialog.innerHTML = `
      <form method="dialog" class="dlh-search__bar" role="search">
        ${icon()}
        <input type="search" name="q" placeholder="搜索题目，如 adam和sgd的区别" autocomplete="off"
               autocapitalize="off" spellcheck="false" enterkeyhint="search" aria-label="搜索">
        <button type="button" class="dlh-search__close" aria-label="关闭">关闭</button>
      </form>
      <p class="dlh-search__status" role="status"></p>
      <ol class="dlh-search__results"></ol>`;
    document.body.appendChild(dialog);
    const input = dialog.querySelector("input");
    const list = dialog.querySelector("ol");
    const status = dialog.querySelector(".dlh-search__status");
    let seq = 0;
    let timer = 0;

    async function run() {
      const raw = input.value;
      const mine = ++seq;
      if (!raw.trim()) {
        status.textContent = "";
        list.innerHTML = "";
        return;
      }
      status.textContent = "搜索中……";
      let result;
      try {
        result = await search(raw);
      } catch (err) {
        status.textContent = "搜索索引加载失败，请刷新页面后重试。";
        throw err;
      }
      if (mine !== seq) return;
      render(result, list, status);
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    dialog.querySelector(".dlh-search__close").addEventListener("click", () => dialog.close());
    dialog.querySelector("form").addEventListener("submit", ev => {
      const first = list.querySelector("a");
      if (first) {
        ev.preventDefault();
        first.click();
      }
    });
    dialog.addEventListener("click", ev => {
      if (ev.target === dialog) dialog.close(); // a tap on the backdrop
      const link = ev.target.closest("a");
      if (link) dialog.close(); // close first, so the page underneath can scroll to the section
    });
    dialog.addEventListener("keydown", ev => {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      const next = ev.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else if (links[next]) links[next].focus();
      ev.preventDefault();
    });
    dialog.dlhRun = run;
  }

  function render({pages, missing}, list, status) {
    const html = [];
    const row = u => `<li class="dlh-search__item dlh-search__item--missing">
        <a href="${BASE}${u.url}"><span class="dlh-search__badge">尚未收录</span>
        <span class="dlh-search__title">${escapeHtml(u.q)}</span>
        <span class="dlh-search__excerpt">题目索引中列出了这道题，本手册还没有写它的答案。</span></a></li>`;
    const shown = missing.slice(0, 3);
    const partial = shown.filter(u => u.cover < 1);
    for (const u of shown.filter(u => u.cover >= 1)) html.push(row(u));
    pages.forEach(({data}, i) => {
      const subs = (data.sub_results || []).slice(0, 3).map(sub => `
        <li><a href="${sub.url}"><span class="dlh-search__sub">${escapeHtml(subTitle(sub, data.anchors || []))}</span>
        <span class="dlh-search__excerpt">${sub.excerpt}</span></a></li>`).join("");
      html.push(`<li class="dlh-search__item">
        <a href="${data.url}"><span class="dlh-search__title">${escapeHtml((data.meta.title || "").replace(/¶$/, ""))}</span></a>
        <ol>${subs}</ol></li>`);
      if (i === 0) partial.forEach(u => html.push(row(u)));
    });
    if (!pages.length) partial.forEach(u => html.push(row(u)));
    list.innerHTML = html.join("");
    const n = pages.length + Math.min(missing.length, 3);
    status.textContent = n ? `${pages.length} 个页面${missing.length ? `，${Math.min(missing.length, 3)} 道尚未收录的题目` : ""}` : "没有找到。试试更短的词，例如“交叉熵”“感受野”。";
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
  }

  function open(query) {
    if (!dialog) buildDialog();
    if (!dialog.open) dialog.showModal();
    const input = dialog.querySelector("input");
    if (typeof query === "string") {
      input.value = query;
      dialog.dlhRun();
    }
    input.focus();
    input.select();
    engine().catch(() => {}); // start loading while the reader types
    loadData();
  }

  /* The header's button is in the HTML (hooks/search.py writes it); bind it once per page load. */
  function bindButton() {
    const button = document.querySelector(".dlh-search-button");
    if (!button || button.dataset.bound) return;
    button.dataset.bound = "1";
    button.addEventListener("click", () => open());
  }

  if (!material) {
    document.addEventListener("keydown", ev => {
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const t = ev.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      ev.preventDefault();
      open();
    });
    bindButton();
    if (window.document$) window.document$.subscribe(bindButton); // instant navigation
  }

  window.dlhSearch = {prepare, unanswered, loadData, search, open, fold};
})();

/* The question index: a filter box that narrows the list as the reader types (hooks/questions.py). */
(() => {
  "use strict";
  const norm = s => window.dlhSearch.fold(s).replace(/\s+/g, "");
  function setup() {
    const input = document.querySelector(".dlh-qfilter input");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    const count = document.querySelector(".dlh-qfilter__count");
    const items = [...document.querySelectorAll(".dlh-qlist > ul > li, ul.dlh-qlist > li")];
    // A question's title and first sentence, not the whole 速答 it unfolds or its status buttons.
    const shown = li => {
      const copy = li.cloneNode(true);
      copy.querySelectorAll("details, .dlh-status").forEach(e => e.remove());
      return copy.textContent;
    };
    items.forEach(li => { li.dataset.text = norm(shown(li)); });
    input.addEventListener("input", () => {
      const words = input.value.split(/\s+/).map(norm).filter(Boolean);
      let shown = 0;
      for (const li of items) {
        const hit = words.every(w => li.dataset.text.includes(w));
        li.hidden = !hit;
        shown += hit;
      }
      document.querySelectorAll(".dlh-qlist").forEach(list => {
        const empty = !list.querySelector("li:not([hidden])");
        list.hidden = empty;
        let h = list.previousElementSibling;
        while (h && !/^H[23]$/.test(h.tagName)) h = h.previousElementSibling;
        if (h) h.hidden = empty;
      });
      count.textContent = words.length ? `${shown} 道题` : "";
    });
  }
  setup();
  if (window.document$) window.document$.subscribe(setup);
})();
