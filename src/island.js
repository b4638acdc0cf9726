// Broadsheet's first view: what a reader can do on a page press wrote before the app has
// started. The page is complete as it is, so this only works press's elements, never
// re-renders them: the "veryGood!" button (as `components/reaction.rs` does, with the same
// storage, calls and messages), counting the read, and the carousels' buttons (as
// `components/carousel.rs`). The whole app (`src/main.rs`) is fetched when the reader shows
// they mean to go on: a pointer over or down on a link of this site, focus on one, or the
// browser idle a while after the page arrived (not when the reader asked it to save data).
// The app then takes the page over, as it starts on any page, and navigates from there.
//
// Why JavaScript here, beside an app in Rust: this file is about 4 KB compressed, against
// about 45 KB for the same code as a wasm module of its own (measured with the app's own
// modules), and every reader who reads on pays for this and the app. The browser's own
// Intl, fetch and storage do the work either way.

const html = globalThis.document?.documentElement;
// Set once the first view works: tests and the benchmark wait for it. (The app, taking the
// page over, replaces the elements this works, so the two never work the same button.)
const READY = "data-island";
const COUNTED = "data-read-counted";
const READER_KEY = "broadsheet:reader-id";
const TIMEOUT_MS = 8000;
const IDLE_AFTER_MS = 4000;

/** The page's run-time configuration and words (press writes them into every page). */
function readConfig() {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content.trim() || null;
  const json = (id) => {
    try {
      return JSON.parse(document.getElementById(id)?.textContent ?? "null");
    } catch {
      return null; // the app reports a broken catalogue; the island leaves the words alone
    }
  };
  const lang = html.lang || "en-GB";
  // Made on first use: only a count that changes needs them.
  let plural = null;
  const pluralRules = () => {
    if (!plural) {
      try {
        plural = new Intl.PluralRules(lang);
      } catch {
        plural = new Intl.PluralRules("en-GB");
      }
    }
    return plural;
  };
  const shapes = json("broadsheet-numbers");
  return {
    reactions: meta("broadsheet:reactions"),
    words: json("broadsheet-messages"),
    category: (n) => pluralRules().select(n),
    number: (n) => formatNumber(n, shapes),
  };
}

/** A count as the site's language writes it, from the shapes press wrote into the page
 * (`press/src/first_view.rs`: the ten digits, a sixteen-digit number written out, and the
 * fewest digits that are grouped): the digits of `n` in the sample's last places. Not
 * `Intl.NumberFormat`, whose first use costs a phone about 50 ms, a long task on its own. */
export function formatNumber(n, shapes) {
  const plain = String(n);
  const digits = Array.from(shapes?.digits ?? "");
  const sample = Array.from(shapes?.sample ?? "");
  if (!Number.isSafeInteger(n) || n < 0 || digits.length !== 10) return plain;
  const localDigits = Array.from(plain, (d) => digits[d]);
  if (!shapes.min || plain.length < shapes.min) return localDigits.join("");
  // Walk the sample from its end, putting the number's digits where the sample's are.
  const out = [];
  let next = localDigits.length - 1;
  for (let i = sample.length - 1; i >= 0 && next >= 0; i--) {
    out.push(digits.includes(sample[i]) ? localDigits[next--] : sample[i]);
  }
  if (next >= 0) return plain; // longer than the sample: never for a count
  return out.reverse().join("");
}

/** A catalogue message in the plural form of `n` (`{ one, other }`), or as it is. */
export function wording(message, category) {
  if (typeof message === "string") return message;
  if (message && typeof message === "object") return message[category] ?? message.other ?? "";
  return "";
}

/** A message's pieces, as `messages::parts`: words, and `{name}` placeholders. */
export function parts(text) {
  const out = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf("{");
    const close = open < 0 ? -1 : rest.indexOf("}", open);
    if (close < 0) break;
    const name = rest.slice(open + 1, close);
    if (!/^[a-z_]+$/.test(name)) {
      out.push({ words: rest.slice(0, open + 1) });
      rest = rest.slice(open + 1);
      continue;
    }
    if (open > 0) out.push({ words: rest.slice(0, open) });
    out.push({ slot: name });
    rest = rest.slice(close + 1);
  }
  if (rest) out.push({ words: rest });
  return out;
}

/** The count to show: the saved count with the reader's unsaved wish (`shown_count`). */
export function shownCount(count, savedMine, pressed) {
  if (!savedMine && pressed) return count + 1;
  if (savedMine && !pressed) return Math.max(0, count - 1);
  return count;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // blocked (private mode, sandboxed frames)
  }
}

/** The reader id, as `api::reactions`: made only when the reader first reacts. */
function readerId(create) {
  const s = storage();
  let id = s?.getItem(READER_KEY);
  if (id && /^[A-Za-z0-9-]{1,64}$/.test(id)) return id;
  if (!create) return null;
  id = crypto.randomUUID?.() ?? `r${Math.floor(Math.random() * 1e16)}`;
  s?.setItem(READER_KEY, id);
  return id;
}

/** One call to the reactions service; the answer if it keeps the contract, else throws. */
async function callReactions(base, articleId, method) {
  const id = encodeURIComponent(articleId);
  const url = `${base.replace(/\/+$/, "")}/articles/${id}/reactions${method === "GET" ? "" : "/very_good"}`;
  const reader = readerId(method !== "GET");
  const response = await fetch(url, {
    method,
    headers: reader ? { "X-Reader-Id": reader } : {},
    signal: AbortSignal.timeout?.(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${response.status}`);
  const answer = await response.json();
  const count = answer?.counts?.very_good;
  if (!Number.isSafeInteger(count) || count < 0) throw new Error("not a reactions answer");
  const views = Number.isSafeInteger(answer.views) && answer.views >= 0 ? answer.views : null;
  const mine = Array.isArray(answer.mine) && answer.mine.includes("very_good");
  return { count, mine, views };
}

/** Counts the story's read once the page is really shown, as `api::count_read`. */
function countRead(base, articleId) {
  if (html.getAttribute(COUNTED) === articleId) return;
  html.setAttribute(COUNTED, articleId);
  const send = () => {
    const url = `${base.replace(/\/+$/, "")}/articles/${encodeURIComponent(articleId)}/views`;
    fetch(url, { method: "POST", body: readerId(false) ?? undefined }).catch(() => {});
  };
  const shown = () => document.visibilityState === "visible" && !document.prerendering;
  if (shown()) return send();
  const check = () => {
    if (!shown()) return;
    document.removeEventListener("visibilitychange", check);
    document.removeEventListener("prerenderingchange", check);
    send();
  };
  document.addEventListener("visibilitychange", check);
  document.addEventListener("prerenderingchange", check);
}

/** The story's "veryGood!" button. */
function reaction(config) {
  const root = document.querySelector(".reaction[data-article-id]");
  const button = root?.querySelector(".reaction__button");
  const countEl = root?.querySelector(".reaction__count");
  const messageEl = root?.querySelector(".reaction__message");
  if (!button || !countEl || !messageEl || !config.words) return;
  const id = root.getAttribute("data-article-id");
  const key = `broadsheet:very-good:${id}`;
  const base = config.reactions;
  const viewsEl = document.querySelector(".story-meta__views");
  const state = {
    pressed: !base && storage()?.getItem(key) != null,
    confirmed: [Number(root.getAttribute("data-count")) || 0, false],
    syncing: false,
    touched: false,
    failed: false,
  };
  let painted = { pressed: false, n: state.confirmed[0], failed: false };

  const paint = () => {
    const n = shownCount(state.confirmed[0], state.confirmed[1], state.pressed);
    if (state.pressed !== painted.pressed) button.setAttribute("aria-pressed", String(state.pressed));
    if (n !== painted.n) {
      const text = wording(config.words.reaction_count, config.category(n));
      countEl.replaceChildren(...parts(text).map((part) => {
        const span = document.createElement("span");
        span.className = part.slot ? "reaction__number" : "visually-hidden";
        span.textContent = part.slot ? config.number(n) : part.words;
        return span;
      }));
    }
    if (state.failed !== painted.failed) messageEl.textContent = state.failed ? wording(config.words.reaction_failed, "other") : "";
    painted = { pressed: state.pressed, n, failed: state.failed };
  };
  const showViews = (views) => {
    if (viewsEl && views != null) {
      const text = wording(config.words.views, config.category(views));
      viewsEl.textContent = parts(text).map((p) => (p.slot === "count" ? config.number(views) : p.words ?? "")).join("");
    }
  };
  // One request at a time, always the reader's latest wish; a failure goes back to the
  // last saved state and says so.
  const sync = async () => {
    if (!base || state.syncing) return;
    state.syncing = true;
    while (state.pressed !== state.confirmed[1]) {
      const saved = state.confirmed[1];
      try {
        const answer = await callReactions(base, id, state.pressed ? "PUT" : "DELETE");
        showViews(answer.views);
        state.confirmed = [answer.count, answer.mine];
      } catch {
        state.pressed = saved;
        state.failed = true;
        break;
      }
      paint();
    }
    state.syncing = false;
    paint();
  };
  paint();
  button.addEventListener("click", (event) => {
    // The second click of a double click is not a second reaction.
    if (event.detail > 1) return;
    state.pressed = !state.pressed;
    state.touched = true;
    state.failed = false;
    paint();
    if (!base) {
      if (state.pressed) storage()?.setItem(key, "1");
      else storage()?.removeItem(key);
    } else {
      sync();
    }
  });
  if (base) {
    countRead(base, id);
    state.syncing = true;
    callReactions(base, id, "GET")
      .then((answer) => {
        showViews(answer.views);
        state.confirmed = [answer.count, answer.mine];
        if (!state.touched) state.pressed = answer.mine;
      })
      .catch(() => {})
      .finally(() => {
        state.syncing = false;
        paint();
        // A press made while the counts were loading is sent now.
        if (state.touched) sync();
      });
  }
}

/** The carousels' previous and next buttons: a page is 85% of the row; right to left, next
 * goes leftwards; a button at its end is `aria-disabled`, never `disabled`. */
function carousels(rtl) {
  for (const carousel of document.querySelectorAll("section.carousel")) {
    const viewport = carousel.querySelector(".carousel__viewport");
    const [previous, next] = carousel.querySelectorAll(".carousel__button");
    if (!viewport || !previous || !next) continue;
    const update = () => {
      const left = Math.abs(viewport.scrollLeft);
      const max = viewport.scrollWidth - viewport.clientWidth;
      previous.setAttribute("aria-disabled", String(left <= 1));
      next.setAttribute("aria-disabled", String(left >= max - 1));
    };
    update();
    for (const [button, direction] of [[previous, -1], [next, 1]]) {
      button.addEventListener("click", () => {
        viewport.scrollBy({ left: (rtl ? -1 : 1) * direction * viewport.clientWidth * 0.85 });
      });
    }
    viewport.addEventListener("scroll", update, { passive: true });
    addEventListener("resize", update, { passive: true });
  }
}

/** Fetches the app on the first sign that the reader means to go on. */
function intent() {
  let started = false;
  const events = ["pointerover", "pointerdown", "focusin", "touchstart"];
  const listen = (on) => {
    for (const name of events) {
      if (on) document.addEventListener(name, onEvent, { capture: true, passive: true });
      else document.removeEventListener(name, onEvent, { capture: true });
    }
  };
  const startApp = () => {
    if (started) return;
    started = true;
    listen(false);
    // The app did not arrive (offline, a host that failed): the page keeps working as it is,
    // its links are plain links, and the next sign of intent tries again.
    Promise.resolve()
      .then(() => window.__broadsheetApp?.())
      .catch(() => {
        started = false;
        listen(true);
      });
  };
  const onEvent = (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const link = target?.closest("a[href]");
    if (link && link.origin === location.origin && !link.target && !link.hasAttribute("download")) startApp();
    // The header's search field: the app answers the search in place.
    else if (target?.closest("form[role=search]")) startApp();
  };
  listen(true);
  if (!navigator.connection?.saveData) {
    setTimeout(() => (window.requestIdleCallback ?? setTimeout)(startApp), IDLE_AFTER_MS);
  }
}

function start() {
  // Only on a page press wrote to start this way (it defines the app's loader), once.
  if (typeof window.__broadsheetApp !== "function" || html.hasAttribute(READY) || !document.getElementById("app")) return;
  const config = readConfig();
  html.setAttribute(READY, "");
  reaction(config);
  carousels(html.dir === "rtl");
  intent();
}

if (html) start();
