"""Benchmark of the story site against plain Material: ``python bench/run.py`` from the repository root.

For each size N it generates N synthetic stories (``storygen``), builds them with the project's
hooks and as plain Material pages (``projects``), each build in a fresh process (``buildproc``),
builds our site a second time in the same folder (the cache folder kept), measures what a reader
downloads (``measure``) and, at one size, how fast ``mkdocs serve`` shows an edit (``preview``).
It prints a table per N and a table of the budgets, and writes ``results.json`` and
``report.txt`` to the output folder. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import measure
import preview
import projects
import storygen

DEFAULT_SIZES = (500, 1000, 5000)
QUICK_SIZES = (50, 100)
BUILD_TIMEOUT = 1800  # seconds; a build that takes longer counts as failed
REPEAT_UP_TO = 1000  # sizes up to this are built --repeat times (min taken), bigger ones --repeat-large times

# Budgets of the issue.
TIME_RATIO = 1.1
MEMORY_RATIO = 1.3
SCALING_RATIO = 1.2
PREVIEW_S = 1.0
PAGE_KB = 65
INDEX_KB = 100
SEARCH_KB = 300
SIZE_FOR_RATIOS = 1000
SIZE_FOR_SEARCH = 1000
SIZE_FOR_INDEXES = 5000
SCALING_SIZES = (500, 5000)


@dataclass
class Build:
    """One build in a fresh process."""

    wall_s: float
    ok: bool
    peak_mb: float
    cpu_s: float = 0.0
    hook_events_s: float = 0.0
    hook_sampled_s: float = 0.0
    hook_any_thread_s: float = 0.0
    hook_thread_s: float = 0.0
    hook_events: dict = field(default_factory=dict)
    error: str = ""
    warnings: int = 0


def run_build(project: Path, log: Path) -> Build:
    """``mkdocs build`` of ``project`` in its own process: wall time from start to exit, its own peak memory."""
    result_file = project / ".bench-result.json"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", XDG_CACHE_HOME=str(project / ".bench-xdg-cache"))
    started = time.perf_counter()
    command = [sys.executable, str(BENCH / "buildproc.py"), str(project / "mkdocs.yml"), str(result_file)]
    try:
        done = subprocess.run(command, check=False, cwd=project, env=env, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return Build(wall_s=BUILD_TIMEOUT, ok=False, peak_mb=0.0, error=f"no result within {BUILD_TIMEOUT} s")
    wall = time.perf_counter() - started
    with open(log, "a", encoding="utf-8") as file:
        file.write(f"== {project} ({wall:.2f} s, exit {done.returncode})\n{done.stdout}{done.stderr}\n")
    try:
        data = json.loads(result_file.read_text(encoding="utf-8"))
        result_file.unlink()
    except (OSError, ValueError):
        data = {"ok": False, "error": (done.stderr or "no result")[-2000:]}
    peak_kb = data.get("maxrss_kb", 0) + data.get("children_maxrss_kb", 0)
    return Build(
        wall_s=wall, ok=bool(data.get("ok")) and done.returncode == 0, peak_mb=peak_kb / 1024,
        cpu_s=data.get("cpu_s", 0.0),
        hook_events_s=sum(data.get("hook_events", {}).values()), hook_sampled_s=data.get("hook_sampled_s", 0.0),
        hook_any_thread_s=data.get("hook_any_thread_s", 0.0), hook_thread_s=data.get("hook_thread_s", 0.0),
        hook_events=data.get("hook_events", {}), error=data.get("error", ""),
        warnings=sum(1 for line in done.stderr.splitlines() if line.startswith("WARNING")),
    )


# One size --------------------------------------------------------------------------------------------

def bench_size(n: int, args, work: Path, log: Path, vocabulary, fixed: dict) -> dict:
    say(f"\n[N={n}] generating {n} stories …")
    source = work / "stories"
    stories = storygen.generate(source, n, vocabulary, seed=args.seed)
    repeat = args.repeat if n <= REPEAT_UP_TO else args.repeat_large
    ours: list[Build] = []
    base: list[Build] = []
    warm: list[Build] = []
    for attempt in range(1, repeat + 1):
        last = attempt == repeat
        our_project = projects.make_our_project(ROOT, work / f"ours-{attempt}", source)
        base_project = projects.make_baseline_project(our_project, work / f"baseline-{attempt}")
        say(f"[N={n}] run {attempt}/{repeat}: baseline …", end=" ")
        base.append(check(run_build(base_project, log), "baseline", n))
        say(f"{base[-1].wall_s:.2f} s; ours …", end=" ")
        before = {p.name for p in our_project.iterdir()}
        ours.append(check(run_build(our_project, log), "ours", n))
        say(f"{ours[-1].wall_s:.2f} s; ours again (same folder) …", end=" ")
        if last:
            cache = sorted({p.name for p in our_project.iterdir()} - before - {"site", ".bench-xdg-cache"})
            if (our_project / ".bench-xdg-cache").exists():
                cache.append(".bench-xdg-cache (XDG_CACHE_HOME)")
            base_path = _base_path(our_project)
            our_site = measure.Site(our_project / "site", base_path)
            base_site = measure.Site(base_project / "site", base_path)
            figures = {"ours": site_figures(our_site, stories), "baseline": site_figures(base_site, stories)}
            cold_print = measure.fingerprint(our_site)
        warm.append(check(run_build(our_project, log), "ours (second build)", n))
        say(f"{warm[-1].wall_s:.2f} s")
        if not last and not args.keep:
            shutil.rmtree(our_project)
            shutil.rmtree(base_project)
    same_output = measure.fingerprint(our_site) == cold_print
    result = {
        "n": n,
        "pictures_in_stories": sum(1 for s in stories if s.picture),
        "ours": [asdict(b) for b in ours],
        "baseline": [asdict(b) for b in base],
        "second": [asdict(b) for b in warm],
        "second_same_output": same_output,
        "sources": projects.sources_fingerprint(our_project),
        "cache_entries": cache,
        "cache_mb": sum(_size(our_project / c.split(" ")[0]) for c in cache) / 1e6,
        "figures": figures,
    }
    for who, runs in (("ours", ours), ("baseline", base)):
        fastest = min(runs, key=lambda b: b.wall_s)
        result.setdefault("per_story_ms", {})[who] = (fastest.wall_s - fixed[who]) / n * 1000
        result.setdefault("per_story_cpu_ms", {})[who] = (min(b.cpu_s for b in runs) - fixed[f"{who}_cpu"]) / n * 1000
    if n == args.preview_size and not args.no_preview:
        result["preview"] = run_preview(our_project, our_site, stories, work, args)
    if not args.keep:
        for path in (our_project, base_project, source):
            shutil.rmtree(path, ignore_errors=True)
    return result


def check(build: Build, who: str, n: int) -> Build:
    if not build.ok:
        raise SystemExit(f"\nThe {who} build failed at N={n}: {build.error}\n(see the build log in the output folder)")
    return build


def site_figures(site: measure.Site, stories) -> dict:
    pages = [site.page(s.url) for s in stories]
    page_set = set(pages)
    sample = next((p for p in pages if p.is_file()), site.page(""))
    return {
        "output": measure.output_size(site),
        "story_pages": sum(1 for p in pages if p.is_file()),
        "page_weight": measure.story_weights(site, pages),
        "index_pages": measure.index_pages(site, page_set),
        "search": measure.search_data(site, sample),
        "pictures": measure.pictures(site, pages + [p for p in site.dir.rglob("index.html") if p not in page_set]),
    }


def run_preview(project: Path, site: measure.Site, stories, work: Path, args) -> list[dict]:
    """``mkdocs serve`` and ``mkdocs serve --dirty`` on copies of the project; time two edits in each."""
    n = len(stories)
    ordered = sorted(stories, key=lambda s: (s.date, s.title))
    chosen = [ordered[len(ordered) // 2], ordered[len(ordered) // 4]]
    story_pages = {site.page(s.url) for s in stories}
    shown = {s.slug: measure.pages_showing(site, site.page(s.url), s.title) for s in chosen}
    results = []
    for dirty in (False, True):
        mode = "mkdocs serve --dirty" if dirty else "mkdocs serve"
        say(f"[N={n}] preview: starting {mode} …")
        serve = work / ("serve-dirty" if dirty else "serve")
        projects.clone_tree(project, serve, exclude=("site", ".bench-result.json"))
        edits = []
        for story in chosen:
            urls = {page: page.relative_to(site.dir).as_posix().removesuffix("index.html") for page in shown[story.slug]}
            edits.append(preview.Edit(
                path=serve / "stories" / story.path.relative_to(work / "stories"),
                story=story.url,
                indexes=[url for page, url in urls.items() if page not in story_pages],
                others=[url for page, url in urls.items() if page in story_pages],
            ))
        log_name = f"serve{'-dirty' if dirty else ''}-{n}.log"
        result = preview.measure(serve, _base_path(project), edits, dirty=dirty, timeout=args.preview_timeout,
                                 log_file=args.out / log_name)
        say(f"[N={n}] preview ({mode}): worst {fmt_s(result.get('worst_s'))} "
            f"(first build {fmt_s(result.get('first_build_s'))})")
        results.append(result)
        if not args.keep:
            shutil.rmtree(serve, ignore_errors=True)
    return results


def _base_path(project: Path) -> str:
    from urllib.parse import urlsplit

    site_url = projects.plain(projects.load_yaml(project / "mkdocs.yml").get("site_url")) or ""
    return urlsplit(str(site_url)).path


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


# Report ----------------------------------------------------------------------------------------------

def kb(size: float | None) -> str:
    return "–" if size is None else f"{size / 1000:.1f} KB"


def fmt_s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f} s"


def best(builds: list[dict], key: str = "wall_s") -> float:
    return min(b[key] for b in builds)


def size_table(r: dict) -> list[str]:
    ours, base = r["figures"]["ours"], r["figures"]["baseline"]
    o_best = min(r["ours"], key=lambda b: b["wall_s"])
    w_best = min(r["second"], key=lambda b: b["wall_s"])
    b_best = min(r["baseline"], key=lambda b: b["wall_s"])
    any_thread = (f"{o_best['hook_any_thread_s']:.2f} s ({o_best['hook_any_thread_s'] / o_best['wall_s']:.0%}); "
                  f"{o_best['hook_thread_s']:.2f} thread-s")
    o_wall, b_wall = o_best["wall_s"], best(r["baseline"])
    o_mem, b_mem = max(b["peak_mb"] for b in r["ours"]), max(b["peak_mb"] for b in r["baseline"])
    runs = len(r["ours"])
    rows = [
        ("wall time, first build" + (f" (min of {runs})" if runs > 1 else ""), fmt_s(o_wall), fmt_s(b_wall),
         f"{o_wall / b_wall:.2f}"),
        ("  all runs", " ".join(f"{b['wall_s']:.2f}" for b in r["ours"]),
         " ".join(f"{b['wall_s']:.2f}" for b in r["baseline"]), ""),
        ("CPU time (user+sys) of the fastest run", fmt_s(o_best["cpu_s"]), fmt_s(b_best["cpu_s"]),
         _ratio(o_best["cpu_s"], b_best["cpu_s"])),
        ("wall time, second build (same folder)" + (f" (min of {runs})" if runs > 1 else ""),
         f"{fmt_s(best(r['second']))} (CPU {w_best['cpu_s']:.2f} s)", "", ""),
        ("  all runs", " ".join(f"{b['wall_s']:.2f}" for b in r["second"]), "", ""),
        ("hooks' share: event functions", f"{o_best['hook_events_s']:.2f} s ({o_best['hook_events_s'] / o_wall:.0%})",
         "", ""),
        ("  by event", _events(o_best["hook_events"]), "", ""),
        ("hooks' share: sampled, main thread",
         f"{o_best['hook_sampled_s']:.2f} s ({o_best['hook_sampled_s'] / o_wall:.0%})", "", ""),
        ("hooks' share: sampled, any thread", any_thread, "", ""),
        ("hooks' share of the second build", f"{w_best['hook_events_s']:.2f} s ({_events(w_best['hook_events'])})",
         "", ""),
        ("peak memory (RSS)", f"{o_mem:.0f} MB", f"{b_mem:.0f} MB", f"{o_mem / b_mem:.2f}"),
    ]
    per, cpu = r["per_story_ms"], r["per_story_cpu_ms"]
    rows.append(("per-story cost (fixed cost subtracted)", f"{per['ours']:.2f} ms (CPU {cpu['ours']:.2f} ms)",
                 f"{per['baseline']:.2f} ms (CPU {cpu['baseline']:.2f} ms)", _ratio(per["ours"], per["baseline"])))
    rows += [
        ("output size", f"{ours['output']['bytes'] / 1e6:.1f} MB, {ours['output']['files']} files",
         f"{base['output']['bytes'] / 1e6:.1f} MB, {base['output']['files']} files",
         f"{ours['output']['bytes'] / base['output']['bytes']:.2f}"),
        ("search data (all a reader fetches)", kb(ours["search"]["total"]), kb(base["search"]["total"]),
         _ratio(ours["search"]["total"], base["search"]["total"])),
        ("  index / worker + languages", f"{kb(ours['search']['index'])} / {kb(ours['search']['code'])}",
         f"{kb(base['search']['index'])} / {kb(base['search']['code'])}", ""),
        ("  index entries / pages / body-text share", _docs(ours["search"]), _docs(base["search"]), ""),
        ("story page weight, max (HTML+CSS+JS)", kb(ours["page_weight"].get("max")),
         kb(base["page_weight"].get("max")), _ratio(ours["page_weight"].get("max"), base["page_weight"].get("max"))),
        ("  median", kb(ours["page_weight"].get("median")), kb(base["page_weight"].get("median")), ""),
        ("  heaviest: HTML / CSS / JS", _parts(ours["page_weight"]), _parts(base["page_weight"]), ""),
        ("largest index page (HTML)", kb(ours["index_pages"].get("max")), kb(base["index_pages"].get("max")), ""),
        ("  which / index pages", f"{ours['index_pages'].get('largest', '–')} / {ours['index_pages']['pages']}",
         f"{base['index_pages'].get('largest', '–')} / {base['index_pages']['pages']}", ""),
        ("pictures OK / checked", f"{ours['pictures']['ok']} / {ours['pictures']['checked']}",
         f"{base['pictures']['ok']} / {base['pictures']['checked']}", ""),
        ("  worst picture: widest file offered", _widest(ours["pictures"]), _widest(base["pictures"]), ""),
        ("story pages built", str(ours["story_pages"]), str(base["story_pages"]), ""),
        ("build warnings (most in one run)", str(max(b["warnings"] for b in r["ours"] + r["second"])),
         str(max(b["warnings"] for b in r["baseline"])), ""),
    ]
    if r.get("cache_entries"):
        rows.append(("cache left by the first build", f"{', '.join(r['cache_entries'])} ({r['cache_mb']:.1f} MB)",
                     "", ""))
    rows.append(("second build wrote the same site", "yes" if r["second_same_output"] else "NO", "", ""))
    for p in r.get("preview", []):
        mode = p.get("mode", "mkdocs serve")
        rows.append((f"preview ({mode}): first build", fmt_s(p.get("first_build_s")), "", ""))
        for edit in p.get("edits", []):
            rows.append((f"  edit → story + {edit['indexes']} index pages fresh", _fresh(edit["worst_s"], p), "", ""))
            if edit["others"]:
                rows.append((f"  … and {edit['others']} other story pages showing it", _fresh(edit["others_worst_s"], p),
                             "", ""))
        if p.get("rebuilds_s"):
            rows.append(("  rebuild times MkDocs logged", ", ".join(f"{x:.2f} s" for x in p["rebuilds_s"]), "", ""))
        if "error" in p:
            rows.append((f"preview ({mode})", p["error"], "", ""))
    title = f"N = {r['n']} stories ({r['pictures_in_stories']} with pictures)"
    return table(title, ("", "ours", "baseline", "ours/baseline"), rows)


def _fresh(seconds: float | None, preview_result: dict) -> str:
    return fmt_s(seconds) if seconds is not None else f"not fresh within {preview_result['timeout_s']:.0f} s"


def _events(events: dict) -> str:
    top = sorted(events.items(), key=lambda item: -item[1])[:3]
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in top if seconds >= 0.005) or "–"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}" if a and b else ""


def _docs(search: dict) -> str:
    d = search.get("documents") or {}
    return f"{d['entries']} / {d['pages']} / {d['text_share']:.0%}" if d else "–"


def _parts(weight: dict) -> str:
    h = weight.get("heaviest")
    return f"{h['html'] / 1000:.1f} / {h['css'] / 1000:.1f} / {h['js'] / 1000:.1f} KB" if h else "–"


def _widest(pictures: dict) -> str:
    w = pictures.get("worst")
    if not w:
        return "no pictures"
    offered = f"srcset {'/'.join(map(str, w['srcset']))}" if w["srcset"] else "no srcset"
    return f"{w['widest']} px ({offered})"


def budgets(results: list[dict]) -> list[tuple[str, str, str, str]]:
    by_n = {r["n"]: r for r in results}
    rows = []

    def near(target: int) -> dict:
        return by_n[min(by_n, key=lambda n: (abs(n - target), -n))]

    def at(r: dict, target: int) -> str:
        return "" if r["n"] == target else f" [at N={r['n']}, not {target}]"

    r = near(SIZE_FOR_RATIOS)
    o, b = best(r["ours"]), best(r["baseline"])
    cpu = min(r["ours"], key=lambda x: x["wall_s"])["cpu_s"] / min(r["baseline"], key=lambda x: x["wall_s"])["cpu_s"]
    rows.append((f"full build time, N={SIZE_FOR_RATIOS}{at(r, SIZE_FOR_RATIOS)}", f"≤ {TIME_RATIO}× baseline",
                 f"{o / b:.2f}× ({o:.2f} s vs {b:.2f} s; CPU time {cpu:.2f}×)", yes(o <= TIME_RATIO * b)))
    om, bm = max(x["peak_mb"] for x in r["ours"]), max(x["peak_mb"] for x in r["baseline"])
    rows.append((f"peak memory, N={SIZE_FOR_RATIOS}{at(r, SIZE_FOR_RATIOS)}", f"≤ {MEMORY_RATIO}× baseline",
                 f"{om / bm:.2f}× ({om:.0f} MB vs {bm:.0f} MB)", yes(om <= MEMORY_RATIO * bm)))
    small, large = (by_n.get(SCALING_SIZES[0]) or by_n[min(by_n)]), (by_n.get(SCALING_SIZES[1]) or by_n[max(by_n)])
    if small is not large:
        s, l_ = small["per_story_ms"]["ours"], large["per_story_ms"]["ours"]
        cs, cl = small["per_story_cpu_ms"]["ours"], large["per_story_cpu_ms"]["ours"]
        rows.append((f"per-story cost N={large['n']} vs N={small['n']}", f"≤ {SCALING_RATIO}×",
                     f"{l_ / s:.2f}× ({l_:.2f} vs {s:.2f} ms/story; CPU time {cl / cs:.2f}×)",
                     yes(l_ <= SCALING_RATIO * s)))
    else:
        rows.append(("per-story cost, large vs small N", f"≤ {SCALING_RATIO}×", "needs two sizes", "n/a"))
    faster = all(best(x["second"]) < best(x["ours"]) for x in results)
    rows.append(("second build of an unchanged site", "faster than the first",
                 "; ".join(f"N={x['n']}: {best(x['ours']):.2f} → {best(x['second']):.2f} s "
                           f"(CPU {best(x['ours'], 'cpu_s'):.1f} → {best(x['second'], 'cpu_s'):.1f} s)"
                           for x in results),
                 yes(faster)))
    previews = [x for x in results if x.get("preview")]
    for p in previews[0]["preview"] if previews else []:
        worst = p.get("worst_s")
        measured = fmt_s(worst) if worst is not None else p.get("error") or f"not fresh within {p['timeout_s']:.0f} s"
        rows.append((f"preview ({p['mode']}), N={previews[0]['n']}", f"≤ {PREVIEW_S:g} s", measured,
                     yes(worst is not None and worst <= PREVIEW_S)))
    if not previews:
        rows.append(("preview: edit fresh on its pages", f"≤ {PREVIEW_S:g} s", "not run", "n/a"))
    heaviest = max(results, key=lambda x: x["figures"]["ours"]["page_weight"]["max"])
    pw = heaviest["figures"]["ours"]["page_weight"]
    rows.append(("story page weight (HTML+CSS+JS), every N", f"≤ {PAGE_KB} KB gz",
                 f"{kb(pw['max'])} (N={heaviest['n']}: {_parts(pw)})", yes(pw["max"] <= PAGE_KB * 1000)))
    checked = sum(x["figures"]["ours"]["pictures"]["checked"] for x in results)
    ok = sum(x["figures"]["ours"]["pictures"]["ok"] for x in results)
    worst_pic = max((x["figures"]["ours"]["pictures"]["worst"] for x in results
                     if x["figures"]["ours"]["pictures"]["worst"]),
                    key=lambda w: (not w["ok"], w["widest"]), default=None)
    measured = f"{ok}/{checked} OK"
    if worst_pic:
        measured += f"; worst: {_widest({'worst': worst_pic})}" + ("" if worst_pic["ok"] else f" on {worst_pic['page']}")
    rows.append(("no picture sent wider than shown", "rule below", measured,
                 yes(ok == checked) if checked else "n/a"))
    r = near(SIZE_FOR_INDEXES)
    ip = r["figures"]["ours"]["index_pages"]
    rows.append((f"largest index page, N={SIZE_FOR_INDEXES}{at(r, SIZE_FOR_INDEXES)}", f"≤ {INDEX_KB} KB gz",
                 f"{kb(ip.get('max'))} ({ip.get('largest', '–')})", yes((ip.get("max") or 0) <= INDEX_KB * 1000)))
    r = near(SIZE_FOR_SEARCH)
    sd = r["figures"]["ours"]["search"]
    rows.append((f"search download, N={SIZE_FOR_SEARCH}{at(r, SIZE_FOR_SEARCH)}", f"≤ {SEARCH_KB} KB gz",
                 f"{kb(sd['total'])} (index {kb(sd['index'])} + worker/languages {kb(sd['code'])})",
                 yes(sd["total"] <= SEARCH_KB * 1000)))
    return rows


def yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def table(title: str, header: tuple, rows: list[tuple]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = [title, line, "  ".join(str(h).ljust(w) for h, w in zip(header, widths)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append(line)
    return out


HOW = (
    "How: every build runs in a fresh process (bench/buildproc.py: load_config, on_startup, build), timed from "
    "process start to exit (CPU time, user + system over all threads, is shown too: it is less disturbed by other "
    "work on the machine); peak memory is that process's ru_maxrss (plus its largest child, if any). Baseline: the "
    "same stories as plain Material pages (same theme settings and search plugin, no hooks, not in the nav). "
    "Second build: ours again in the same folder (its cache kept), right after each first build. Per-story cost: "
    "(best wall time - wall time of the same project with no stories) / N. Hooks' share: time inside the event "
    "functions of files under hooks/, and the share of 4 ms stack samples with a hooks/ frame on the main thread "
    "and on any thread (hooks that work in threads of their own), also summed over threads (thread-seconds). "
    "Sizes are gzip level 6, per file, 1 KB = 1,000 bytes. Page weight: a story page's HTML plus every stylesheet "
    "(<link rel=stylesheet>) and script (<script src>) it references, nothing cached. Index pages: every page other "
    "than a story page that links to a story (HTML only). Search: everything under search/, the search worker named "
    "in Material's __config, the lunr language files the worker imports for the index's languages, and any .json "
    "file the site's own scripts name."
)


def report(results: list[dict], fixed: dict, args, elapsed: float) -> str:
    sizes = ", ".join(str(r["n"]) for r in results)
    machine = f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}"
    fixed_text = f"ours {fixed['ours']:.2f} s, baseline {fixed['baseline']:.2f} s"
    lines = [
        f"Story site benchmark: sizes {sizes}; seed {args.seed}; {machine}",
        f"Fixed cost (empty site, subtracted for per-story cost): {fixed_text}",
        "",
    ]
    sources = {r["sources"] for r in results}
    lines.insert(2, f"Site sources (mkdocs.yml, docs/, hooks/, overrides/, data/ …, as copied): {', '.join(sources)}"
                 + ("" if len(sources) == 1 else " – THEY CHANGED DURING THE RUN: sizes measured different code"))
    for r in results:
        lines += size_table(r) + [""]
    lines += table("Budgets", ("budget", "limit", "measured", "met"), budgets(results))
    lines += [""] + textwrap.wrap(HOW, 110) + [""] + textwrap.wrap(f"Picture rule: {measure.PICTURE_RULE}", 110)
    lines += ["", f"Whole run: {elapsed / 60:.1f} min."]
    return "\n".join(lines)


# Main ------------------------------------------------------------------------------------------------

def say(text: str, end: str = "\n") -> None:
    print(text, end=end, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated story counts (default 500,1000,5000)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes 50,100, one build each")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"builds per size up to N={REPEAT_UP_TO}, the fastest counts (default 3)")
    parser.add_argument("--repeat-large", type=int, default=2, help="builds per bigger size (default 2)")
    parser.add_argument("--seed", type=int, default=storygen.SEED, help="seed of the story generator")
    parser.add_argument("--preview-size", type=int, help="the size at which to time mkdocs serve (default 1000)")
    parser.add_argument("--preview-timeout", type=float, default=120.0, help="seconds to wait for a fresh page")
    parser.add_argument("--no-preview", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--out", type=Path, default=BENCH / "output", help="output folder (default bench/output)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and built sites")
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    else:
        args.sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.quick:
        args.repeat = args.repeat_large = 1
    if args.preview_size is None:
        args.preview_size = min(args.sizes, key=lambda n: (abs(n - SIZE_FOR_RATIOS), -n))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    work_root = args.out / "work"
    shutil.rmtree(work_root, ignore_errors=True)
    log = args.out / "builds.log"
    log.write_text("", encoding="utf-8")
    vocabulary = storygen.load_vocabulary(ROOT / "data" / "vocabulary.yml")

    say("[fixed cost] building an empty site, ours and baseline …")
    empty = work_root / "empty"
    (empty / "stories").mkdir(parents=True)
    builds: dict[str, list[Build]] = {"ours": [], "baseline": []}
    for attempt in range(args.repeat):
        our_empty = projects.make_our_project(ROOT, empty / f"ours-{attempt}", empty / "stories")
        base_empty = projects.make_baseline_project(our_empty, empty / f"baseline-{attempt}")
        builds["baseline"].append(check(run_build(base_empty, log), "baseline (empty)", 0))
        builds["ours"].append(check(run_build(our_empty, log), "ours (empty)", 0))
    fixed = {who: min(b.wall_s for b in runs) for who, runs in builds.items()}
    fixed.update({f"{who}_cpu": min(b.cpu_s for b in runs) for who, runs in builds.items()})

    results = []
    for n in args.sizes:
        results.append(bench_size(n, args, work_root / str(n), log, vocabulary, fixed))
    if not args.keep:
        shutil.rmtree(work_root, ignore_errors=True)
    text = report(results, fixed, args, time.perf_counter() - started)
    print(text)
    (args.out / "report.txt").write_text(text + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({"fixed": fixed, "results": results}, indent=1, default=str),
                                           encoding="utf-8")
    say(f"\nWrote {args.out / 'report.txt'} and {args.out / 'results.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
