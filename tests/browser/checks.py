"""The checks the browser suite makes, as functions that the fault tests can aim at broken pages.

Each ``assert_*`` function fails with a message that names the page, what is wrong, where, and
what a reader loses. The functions that find problems (``axe_violations``, ``keyboard_walk``, ...)
return them, so a test can also check that a fault *is* found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# axe-core as shipped in axe-playwright-python==0.1.8 (requirements-test.txt): a pinned engine, so
# a new axe release cannot change the verdict without a change in this repository.
AXE_VERSION = "4.12.1"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
LOCAL_HOSTS = frozenset({"127.0.0.1"})


# ---------------------------------------------------------------------------------------------
# axe-core


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_SCRIPT)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return {version: axe.version, violations: r.violations};
        }""",
        list(AXE_TAGS),
    )
    assert result["version"] == AXE_VERSION, f"axe-core {result['version']} ran, the suite pins {AXE_VERSION}"
    return result["violations"]


def describe_axe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}  [{violation['helpUrl']}]")
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            message = next((c["message"] for key in ("any", "all", "none") for c in node.get(key, [])), "")
            lines.append(f"      at {target}: {message}")
            lines.append(f"         {' '.join(node['html'].split())[:160]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"ACCESSIBILITY: axe-core {AXE_VERSION} finds {len(violations)} WCAG 2.1 A/AA violation(s) on {where}:\n"
        + describe_axe(violations)
    )


# ---------------------------------------------------------------------------------------------
# Helpers installed in the page: how an element is described, whether it is visible, its styles.

_LIB = r"""
() => {
  if (window.__siteChecks) return;
  const describe = (el) => {
    const tag = el.tagName.toLowerCase();
    const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.getAttribute("title")
                  || el.getAttribute("alt") || "").replace(/\s+/g, " ").trim().slice(0, 60);
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).filter(c => c !== "focus-visible").join(".") : "";
    const href = el.getAttribute("href");
    const ref = href !== null ? ` href="${href}"` : (el.id ? ` id="${el.id}"` : "");
    return `<${tag}${cls === "." ? "" : cls}${ref}>` + (name ? ` «${name}»` : "");
  };
  // The elements that show focus for el: itself, its labels, and a label right after it
  // (Material's theme toggle is a hidden radio button followed by the visible label).
  const standIns = (el) => {
    const list = [el];
    for (const label of el.labels || []) if (!list.includes(label)) list.push(label);
    const next = el.nextElementSibling;
    if (next && next.tagName === "LABEL" && !list.includes(next)) list.push(next);
    return list;
  };
  const rendered = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  };
  // The part of el a reader can see: its box, cut by every ancestor that hides overflow and by the window.
  // With scrolled: true, a part above or below the window counts (the reader can scroll there).
  const visibleInViewport = (el, scrolled = false) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    if (getComputedStyle(el).position !== "fixed") {
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const cs = getComputedStyle(a);
        const ar = a.getBoundingClientRect();
        if (cs.overflowX !== "visible") { left = Math.max(left, ar.left); right = Math.min(right, ar.right); }
        if (cs.overflowY !== "visible") { top = Math.max(top, ar.top); bottom = Math.min(bottom, ar.bottom); }
        if (cs.position === "fixed") break;
      }
    }
    left = Math.max(left, 0); right = Math.min(right, window.innerWidth);
    if (!scrolled) { top = Math.max(top, 0); bottom = Math.min(bottom, window.innerHeight); }
    return right - left >= 1 && bottom - top >= 1;
  };
  const STYLE_PROPS = ["outlineStyle", "outlineWidth", "outlineColor", "outlineOffset", "boxShadow",
    "backgroundColor", "color", "borderTopColor", "borderRightColor", "borderBottomColor", "borderLeftColor",
    "borderTopWidth", "borderBottomWidth", "textDecorationLine", "textDecorationThickness"];
  const styleOf = (el) => {
    const cs = getComputedStyle(el);
    return Object.fromEntries(STYLE_PROPS.map(p => [p, cs[p]]));
  };
  const transparent = (color) => /rgba\(.*,\s*0\)$/.test(color) || color === "transparent";
  // What changed between el's unfocused and focused style, if a reader can see it.
  const indicator = (before, after) => {
    if (before.visible === false && after.visible) return "appears when focused";
    const outlined = after.outlineStyle !== "none" && parseFloat(after.outlineWidth) > 0
      && !transparent(after.outlineColor);
    if (outlined && (before.outlineStyle !== after.outlineStyle || before.outlineWidth !== after.outlineWidth
                     || before.outlineColor !== after.outlineColor || before.outlineStyle === "none")) {
      return `outline ${after.outlineStyle} ${after.outlineWidth} ${after.outlineColor}`;
    }
    if (after.boxShadow !== before.boxShadow && after.boxShadow !== "none") return `box-shadow ${after.boxShadow}`;
    for (const p of STYLE_PROPS.slice(5)) {
      if (before[p] !== after[p]) return `${p} ${before[p]} → ${after[p]}`;
    }
    return null;
  };
  const settle = async () => {
    await new Promise(r => requestAnimationFrame(r));  // scripts react to focus
    const running = document.getAnimations().map(a => a.finished.catch(() => null));
    await Promise.race([Promise.all(running), new Promise(r => setTimeout(r, 700))]);
  };
  window.__siteChecks = {describe, standIns, rendered, visibleInViewport, styleOf, indicator, settle};
}
"""


def _install(page: Page) -> None:
    page.evaluate(_LIB)


# Transitions end at once, so a style is read as it ends up, without waiting for each fade.
_NO_TRANSITIONS = "*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important; }"


def _without_transitions(page: Page) -> None:
    page.add_style_tag(content=_NO_TRANSITIONS)


# ---------------------------------------------------------------------------------------------
# Keyboard


@dataclass
class FocusStop:
    key: str
    description: str
    visible: bool
    indicator: str | None


@dataclass
class KeyboardReport:
    stops: list[FocusStop] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = [f"  cannot be reached with Tab: {d}" for d in self.unreachable]
        for stop in self.stops:
            if not stop.visible:
                found.append(f"  Tab stop a reader cannot see (outside the window, hidden or 0 px): {stop.description}")
            elif not stop.indicator:
                found.append(f"  no visible focus indicator: {stop.description}")
        return found


_KB_PREPARE = r"""
() => {
  const L = window.__siteChecks;
  const SELECTOR = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, '
    + 'object, embed, audio[controls], video[controls], [contenteditable]:not([contenteditable="false"]), [tabindex]';
  window.__kbBefore = new Map();
  const out = [];
  let n = 0;
  for (const el of document.querySelectorAll(SELECTOR)) {
    const key = "k" + (n++);
    el.setAttribute("data-kb", key);
    // Expected to be reached: focusable (not display: none, not visibility: hidden) and shown to the
    // reader, itself or through its label. Elements faded out on purpose (opacity 0: the skip link and
    // Material's back-to-top button) are not expected, but are judged if they get focus.
    const tabbable = el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
      && el.checkVisibility({visibilityProperty: true});
    const shown = L.standIns(el).some(L.rendered);
    window.__kbBefore.set(key, L.standIns(el).map(n => ({...L.styleOf(n), visible: L.visibleInViewport(n, true)})));
    out.push({key, description: L.describe(el), expected: tabbable && shown,
              group: el.type === "radio" && el.name ? el.name : null});
  }
  return out;
}
"""

_KB_STEP = r"""
async () => {
  const L = window.__siteChecks;
  await L.settle();
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  let key = el.getAttribute("data-kb");
  if (!key) { key = "late-" + Math.random().toString(36).slice(2); el.setAttribute("data-kb", key); }
  const nodes = L.standIns(el);
  const before = window.__kbBefore.get(key);
  const judge = () => {
    const after = nodes.map(n => ({...L.styleOf(n), visible: L.visibleInViewport(n)}));
    let indicator = null;
    for (let i = 0; i < nodes.length && !indicator; i++) {
      if (!after[i].visible) continue;
      indicator = before ? L.indicator(before[i], after[i])
                         : (after[i].outlineStyle !== "none" ? `outline ${after[i].outlineStyle}` : null);
    }
    return {key, description: L.describe(el), visible: after.some(a => a.visible), indicator};
  };
  let verdict = judge();
  // Scripts may react to focus a little later (Material opens its search box): look again for up to 600 ms.
  const deadline = performance.now() + 600;
  while ((!verdict.visible || !verdict.indicator) && performance.now() < deadline) {
    await new Promise(r => setTimeout(r, 30));
    await L.settle();
    verdict = judge();
  }
  return verdict;
}
"""


_FOCUS_TO_TOP = """() => {
  // Put the keyboard's starting point at the top of the page, as on a fresh load: focus a stand-in at the
  // start of <body> and remove it (the next Tab goes to the first Tab stop).
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  start.remove();
  window.scrollTo(0, 0);
}"""


def focus_to_top(page: Page) -> None:
    page.evaluate(_FOCUS_TO_TOP)


def keyboard_walk(page: Page, *, extra_steps: int = 25) -> KeyboardReport:
    """Press Tab from the top of the page until focus leaves the page or comes round again.

    Records every element that got focus, whether a reader could see it and what showed the focus;
    then lists the visible links and controls that Tab never reached.
    """
    _install(page)
    _without_transitions(page)
    focus_to_top(page)
    candidates = page.evaluate(_KB_PREPARE)
    report = KeyboardReport()
    seen: set[str] = set()
    for _ in range(len(candidates) + extra_steps):
        page.keyboard.press("Tab")
        stop = page.evaluate(_KB_STEP)
        if stop is None:
            if report.stops:
                break
            continue
        if stop["key"] in seen:
            break
        seen.add(stop["key"])
        report.stops.append(FocusStop(**stop))
    reached_groups = {c["group"] for c in candidates if c["key"] in seen and c["group"]}
    report.unreachable = [
        c["description"]
        for c in candidates
        if c["expected"] and c["key"] not in seen and not (c["group"] and c["group"] in reached_groups)
    ]
    return report


def assert_keyboard_works(page: Page, where: str) -> KeyboardReport:
    report = keyboard_walk(page)
    problems = report.problems()
    assert not problems, (
        f"KEYBOARD: on {where}, {len(report.stops)} Tab stops, {len(problems)} problem(s) (WCAG 2.1.1, 2.4.7):\n"
        + "\n".join(problems)
    )
    return report


_SKIP_FIRST = r"""
async () => {
  const L = window.__siteChecks;
  await L.settle();
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const href = el.getAttribute("href") || "";
  return {description: L.describe(el), href, text: el.innerText.trim(), visible: L.visibleInViewport(el)};
}
"""


def skip_link_problems(page: Page) -> list[str]:
    """Tab once from the top: a visible «Gå til innhold» link; Enter moves focus into the content."""
    _install(page)
    _without_transitions(page)
    focus_to_top(page)
    page.keyboard.press("Tab")
    first = page.evaluate(_SKIP_FIRST)
    if first is None:
        return ["  the first Tab reaches nothing on the page"]
    if not first["href"].startswith("#") or len(first["href"]) < 2:
        return [f"  the first Tab stop is {first['description']}, not a skip link to the content"]
    problems = []
    if not first["visible"]:
        problems.append(f"  the skip link {first['description']} cannot be seen when it has focus")
    if first["text"] != "Gå til innhold":
        problems.append(f"  the skip link says «{first['text']}», expected «Gå til innhold»")
    target_id = first["href"][1:]
    target = page.evaluate(
        """(id) => { const t = document.getElementById(id); if (!t) return null;
                    return {inContent: !!t.closest('.md-content'), hasHeading: !!t.querySelector('h1')}; }""",
        target_id,
    )
    if target is None:
        return [*problems, f"  the skip link points at #{target_id}, which is not on the page"]
    if not target["inContent"]:
        problems.append(f"  the skip link's target #{target_id} is not in the content area")
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id", arg=target_id,
                               timeout=2000)
    except PlaywrightTimeout:
        active = page.evaluate("() => window.__siteChecks.describe(document.activeElement)")
        return [*problems, f"  Enter on the skip link leaves focus on {active}, not on #{target_id}"]
    page.keyboard.press("Tab")
    after = page.evaluate(
        """(id) => { const t = document.getElementById(id), a = document.activeElement;
                    if (!a || a === document.body) return 'nothing';
                    const following = t.contains(a)
                      || (t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
                    return following ? null : window.__siteChecks.describe(a); }""",
        target_id,
    )
    if after:
        problems.append(f"  after the skip link, the next Tab goes back to {after} instead of on into the content")
    # Material closes its search and menu 125 ms after the address's #fragment changes; let that pass, so
    # a check that follows on this page does not see the search box close under it.
    page.wait_for_timeout(250)
    return problems


def assert_skip_link_works(page: Page, where: str) -> None:
    problems = skip_link_problems(page)
    assert not problems, f"SKIP LINK: on {where} (WCAG 2.4.1):\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Reflow and text size

_SIDEWAYS = r"""
() => {
  const L = window.__siteChecks;
  const width = document.documentElement.clientWidth;
  const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const scrolls = (el) => {
    const x = getComputedStyle(el).overflowX;
    return (x === "auto" || x === "scroll") && el.getBoundingClientRect().right <= width + 1;
  };
  const offenders = [];
  outer: for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= width + 1) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (scrolls(a) || offenders.includes(a)) continue outer;
    }
    offenders.push(el);
  }
  return {width, scrollWidth,
          offenders: offenders.map(e => `${L.describe(e)} reaches ${Math.round(e.getBoundingClientRect().right)} px`)};
}
"""

_CLIPPED = r"""
() => {
  const L = window.__siteChecks;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    const clipX = cs.overflowX === "hidden" || cs.overflowX === "clip";
    const clipY = cs.overflowY === "hidden" || cs.overflowY === "clip";
    if (!clipX && !clipY) continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;  // hidden, or visually hidden on purpose
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (el.getBoundingClientRect().right <= 0) continue;         // a closed drawer outside the window
    if (!(el.innerText || "").trim()) continue;
    if (clipX && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${L.describe(el)} shows ${el.clientWidth} of ${el.scrollWidth} px of its width`);
    } else if (clipY && el.scrollHeight > el.clientHeight + 1) {
      out.push(`${L.describe(el)} shows ${el.clientHeight} of ${el.scrollHeight} px of its height`);
    }
  }
  return out;
}
"""


def sideways_overflow(page: Page) -> dict:
    """How wide the page is against the window, and the outermost elements that stick out on the right."""
    _install(page)
    return page.evaluate(_SIDEWAYS)


def clipped_text(page: Page) -> list[str]:
    """Elements whose text is cut off by their own box (overflow hidden or clip)."""
    _install(page)
    return page.evaluate(_CLIPPED)


def assert_reflows(page: Page, where: str) -> None:
    found = sideways_overflow(page)
    problems = [f"  {o}" for o in found["offenders"]]
    if found["scrollWidth"] > found["width"]:
        problems.insert(0, f"  the page is {found['scrollWidth']} px wide in a {found['width']} px window")
    problems += [f"  cut off: {c}" for c in clipped_text(page)]
    assert not problems, f"REFLOW: on {where} (WCAG 1.4.10), content scrolls sideways or is cut off:\n" + "\n".join(
        problems
    )


def assert_nothing_cut_off(page: Page, where: str) -> None:
    found = sideways_overflow(page)
    problems = [f"  cut off: {c}" for c in clipped_text(page)]
    problems += [f"  outside the window: {o}" for o in found["offenders"]]
    assert not problems, f"TEXT SIZE: on {where} at 200 % text (WCAG 1.4.4), text is cut off:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Privacy: requests, cookies and storage


class NetworkGuard:
    """Lets requests to 127.0.0.1 through; blocks every other one and records it."""

    def __init__(self, context: BrowserContext) -> None:
        self.offsite: list[str] = []
        context.route("**/*", self._route)
        context.on("request", self._seen)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if _offsite(url):
            self._record(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _seen(self, request) -> None:
        if _offsite(request.url):
            self._record(request.url)

    def _record(self, url: str) -> None:
        if url not in self.offsite:
            self.offsite.append(url)

    def mark(self) -> int:
        return len(self.offsite)

    def since(self, mark: int) -> list[str]:
        return self.offsite[mark:]


def _offsite(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss", "ftp") and parts.hostname not in LOCAL_HOSTS


_STORAGE = r"""
async () => {
  const dump = (s) => Object.fromEntries(Array.from({length: s.length}, (_, i) => [s.key(i), s.getItem(s.key(i))]));
  const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  const caches_ = window.caches ? await caches.keys() : [];
  return {localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), cookie: document.cookie,
          indexedDB: databases, cacheStorage: caches_};
}
"""


def stored_data(page: Page) -> dict:
    """Everything the site has stored in the reader's browser: storage, cookies, databases, caches."""
    found = page.evaluate(_STORAGE)
    found["cookies"] = [f"{c['name']} ({c['domain']})" for c in page.context.cookies()]
    return found


def privacy_problems(
    stored: dict, offsite: list[str], *, allowed_local_keys: frozenset[str] = frozenset()
) -> list[str]:
    problems = [f"  request to another host: {url}" for url in offsite]
    problems += [f"  cookie set: {c}" for c in stored["cookies"]]
    if stored["cookie"]:
        problems.append(f"  document.cookie: {stored['cookie']}")
    problems += [
        f"  localStorage written: {key} = {value[:80]}"
        for key, value in stored["localStorage"].items()
        if not any(key.endswith(allowed) for allowed in allowed_local_keys)
    ]
    problems += [f"  sessionStorage written: {key} = {value[:80]}" for key, value in stored["sessionStorage"].items()]
    problems += [f"  IndexedDB database: {name}" for name in stored["indexedDB"]]
    problems += [f"  Cache Storage: {name}" for name in stored["cacheStorage"]]
    return problems


def assert_private(page: Page, offsite: list[str], where: str, *, allowed_local_keys=frozenset()) -> None:
    problems = privacy_problems(stored_data(page), offsite, allowed_local_keys=allowed_local_keys)
    assert not problems, (
        f"PRIVACY: on {where}, the site contacts other hosts or stores data the reader did not ask for "
        "(ekomloven § 3-15; /personvern/ promises neither):\n" + "\n".join(problems)
    )


# ---------------------------------------------------------------------------------------------
# Static scan: assets from other hosts in the built files

# Tags and attributes that make a browser fetch something as the page loads.
_ASSET_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
_FETCHING_RELS = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "manifest", "preload", "modulepreload", "prefetch",
     "preconnect", "dns-prefetch", "prerender"}
)

# Addresses in Material's JavaScript that the site never fetches, and why. The scan fails on any other
# address in a script: a new one must be read and explained here first.
KNOWN_JS_ADDRESSES = {
    "https://unpkg.com/mermaid@": "Mermaid, fetched only for a page with a Mermaid diagram (the site has none;"
    " test_no_page_wakes_material_s_downloads checks)",
    "https://unpkg.com/resize-observer-polyfill": "fetched only by browsers without ResizeObserver (from before"
    " 2020); stated on /personvern/",
    "https://api.github.com/": "repository facts, fetched only when mkdocs.yml sets repo_url (it does not;"
    " test_no_page_wakes_material_s_downloads checks)",
    "https://${e}/api/v4/projects/": "GitLab repository facts, as above",
}

# An address at the start of a string literal: what a script hands to fetch(), import() or a <script>.
# Addresses in comments (licence headers) and in prose are not loads.
_JS_ADDRESS = re.compile(
    r"""(?<=["'`])(?:https?://[^\s"'`)<>\\]+|//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)<>\\]*)""", re.IGNORECASE
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class OffsiteReference:
    file: str
    what: str
    url: str

    def __str__(self) -> str:
        return f"  {self.file}: {self.what} loads {self.url}"


def offsite_references(site_dir: Path) -> list[OffsiteReference]:
    """Every place in the built HTML, SVG, CSS and JS that would make a browser fetch from another host."""
    site_dir = Path(site_dir)
    found: list[OffsiteReference] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site_dir).as_posix()
        if path.suffix in (".html", ".htm", ".svg"):
            found += _scan_markup(name, path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".css":
            found += _scan_css(name, path.read_text(encoding="utf-8", errors="replace"), "stylesheet")
        elif path.suffix in (".js", ".mjs"):
            found += _scan_js(name, path.read_text(encoding="utf-8", errors="replace"), "script")
    return found


def _scan_markup(name: str, text: str) -> list[OffsiteReference]:
    soup = BeautifulSoup(text, "html.parser")
    found = []
    for tag in soup.find_all(True):
        attributes = _ASSET_ATTRIBUTES.get(tag.name, ())
        if tag.name == "link" and _FETCHING_RELS & {r.lower() for r in (tag.get("rel") or [])}:
            attributes = ("href", "imagesrcset")
        for attribute in attributes:
            for url in _urls_in(attribute, tag.get(attribute)):
                if _is_offsite(url):
                    found.append(OffsiteReference(name, f"<{tag.name} {attribute}>", url))
        if tag.get("style"):
            found += _scan_css(name, tag["style"], f"<{tag.name} style>")
        if tag.name == "style":
            found += _scan_css(name, tag.get_text(), "<style>")
        if tag.name == "script" and not tag.get("src") and _runs(tag):
            found += _scan_js(name, tag.get_text(), "inline <script>")
    return found


def _runs(script) -> bool:
    """Whether a <script> is code (JSON-LD and other data blocks are never run)."""
    kind = (script.get("type") or "").strip().lower()
    return kind in ("", "module", "text/javascript", "application/javascript", "text/ecmascript")


def _urls_in(attribute: str, value) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        value = " ".join(value)
    if attribute.endswith("srcset"):
        return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value.strip()]


def _scan_css(name: str, text: str, what: str) -> list[OffsiteReference]:
    found = []
    for match in _CSS_URL.finditer(_CSS_COMMENT.sub("", text)):
        url = (match.group(2) if match.group(2) is not None else match.group(4) or "").strip()
        if _is_offsite(url):
            found.append(OffsiteReference(name, f"{what} url()", url))
    return found


def _scan_js(name: str, text: str, what: str) -> list[OffsiteReference]:
    return [
        OffsiteReference(name, what, url)
        for url in _JS_ADDRESS.findall(text)
        if not any(url.startswith(known) for known in KNOWN_JS_ADDRESSES)
    ]


def _is_offsite(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    return bool(parts.scheme) and parts.scheme not in ("data", "blob", "about", "javascript", "mailto", "tel") and bool(
        parts.netloc
    )


def assert_no_offsite_assets(site_dir: Path) -> None:
    found = offsite_references(site_dir)
    assert not found, (
        f"OFFLINE/PRIVACY: {len(found)} reference(s) in the built site load something from another host "
        "(fonts, scripts, styles, pictures and frames must be served from the site itself):\n"
        + "\n".join(str(f) for f in found)
    )
