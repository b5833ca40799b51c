"""Property-based: any front matter and body is accepted or rejected with a message; nothing raises."""

from __future__ import annotations

import resource
import time

from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from storysite import vocabulary
from storysite.problems import Problem
from storysite.story import load

INTERNAL_ERROR = "Sjekk filen mot malen i stories/_mal.md, og si fra til nettredaksjonen."
CHECK_FAILED = "teksten kunne ikke kontrolleres"
VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
KEYS = ["title", "description", "date", "authors", "tags", "place", "focus", "image", "image_alt",
        "image_credit", "consent", "featured", "draft", "titel", "x"]
SCALARS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["raushet", "Bærekraft", "no", "yes", "true", "~", "2015-02-30", "2015-06-12", "1.10", "42",
                     "&a x", "*a", "!!python/object:os.system", "[a, b", "{a: 1}", "'x", '"y', ": z", "- q"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"))
FRONT = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=12)
BODY = st.text(max_size=200) | st.sampled_from(["<script>x</script>", "<a onclick=x>", "[x](javascript:y)",
                                                "```\n<script>\n```", "<iframe>", "![b](data:x)"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=FRONT, body=BODY, raw=st.binary(max_size=60), mode=st.integers(0, 3))
def test_any_input_is_accepted_or_rejected_with_a_message(tmp_path_factory, front, body, raw, mode):
    folder = tmp_path_factory.mktemp("prop") / "stories"
    folder.mkdir()
    path = folder / "historie.md"
    text = "---\n" + "\n".join(f"{k}: {v}" for k, v in front) + "\n---\n" + body
    if mode == 0:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    elif mode == 1:
        path.write_bytes(raw)
    elif mode == 2:
        path.write_bytes(text.encode("utf-8", "surrogatepass")[: len(text) // 2])
    else:
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8", "surrogatepass"))
    story, problems = load("historie", path, folder, folder.parent, VOCABULARY)
    assert (story is None) == bool(problems)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.suggestion != INTERNAL_ERROR, str(problem)  # an exception turned into a problem
        assert not problem.message.startswith(CHECK_FAILED), str(problem)  # an exception in the sanitiser
        assert problem.path == "stories/historie.md" and problem.field and problem.message
        assert str(problem).startswith("stories/historie.md")


# Pieces of hostile HTML and Markdown, mixed at random with text: whatever comes out of the
# sanitiser carries no handler, no script, no style and nothing loaded from elsewhere.
HOSTILE = st.sampled_from([
    "<", ">", '"', "'", "`", "\n", "\n\n", "    ", "<img", " src=x", " onerror=alert(1)", " onload=", "<script>",
    "</script>", "<svg", "<math>", "<style>", "<a href=\"", "javascript:", "java\nscript:", "&#106;", "data:",
    "https://evil.example/x.png", "//evil.example", "<iframe", "<details open ontoggle=x>", " style=\"", "url(",
    "![x](", "[x](", ")", "]", "[", "<!--", "-->", "<![CDATA[", "```", "~~~", "{: onclick=x}", "<noscript>",
    "<p title=\"", "</noscript>", "<base href=", "<form", " srcset=\"", "<object data=", "<x-y>", "\u202e",
])
FRAGMENTS = st.lists(st.one_of(HOSTILE, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(body=FRAGMENTS)
def test_sanitised_body_never_carries_a_handler_script_or_foreign_resource(body):
    from bs4 import BeautifulSoup
    from storysite.body import PictureRefused, render

    def picture(name: str) -> str:
        raise PictureRefused(f"finner ikke bildefilen «{name}».")

    rendered = render(body, "stories/x.md", 10, picture)
    for element in BeautifulSoup(rendered.html, "html.parser").find_all(True):
        assert element.name not in ("script", "style", "svg", "math", "iframe", "object", "base", "form", "noscript")
        for name, value in element.attrs.items():
            text = (" ".join(value) if isinstance(value, list) else value).lower()
            assert not name.startswith("on") and name not in ("style", "srcset", "id", "class"), element
            if name == "href":
                assert text.startswith(("https:", "mailto:", "tel:", "#")), element
            if name == "src":
                raise AssertionError(f"no picture was allowed, yet {element} loads one")


# Misnesting and repetition: a head of tags (formatting left open, closed in the wrong order, blocks,
# attributes), then a tail repeated up to the body's length. Whatever the mix, reading it is linear:
# a body of 60,000 characters takes well under a second, so a few seconds and a few hundred MB only
# fail if the work grows as the square of the length (as the copies of open formatting elements did).
TAGS = st.sampled_from([
    "<b>", "</b>", "<i>", "</i>", "<s>", "<u>", "</u>", "<em>", "</em>", "<strong>", "<code>", "<small>", "<a>",
    "</a>", '<a href="https://ok.example">', '<b title="1">', '<i title="2">', '<b class="x">', "<span>", "</span>",
    "<abbr>", "<p>", "</p>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<table>", "<tr>", "<td>", "</td>", "<caption>",
    "<details>", "<summary>", "<blockquote>", "<h2>", "<br>", "<hr>", "<big>", "<nobr>", "<font>", "x", " ", "\n",
    "\n\n", "- ", "1. ", "> ", "*", "**", "_", "`", "[", "]", "(", ")", "[r]", "[r]: https://ok.example\n", "|", "&",
    "<!--", "-->", "<!x>", "<?", "![x](", "    ",
])
PIECES = st.lists(TAGS, min_size=1, max_size=10).map("".join)
# Heads that leave elements open ({i} is the repetition's number, so copies differ as attacks make
# them), and tails of paragraphs and blocks, each of which would receive a copy of every open one.
OPENING = st.lists(st.sampled_from([
    "<b>", "<i>", "<s>", "<u>", "<em>", "<strong>", "<code>", "<small>", "<a>", '<b title="{i}">', '<i title="{i}">',
    '<a href="https://ok.example/{i}">', '<code title="{i}">', "<span>", "<div>", "<blockquote>",
]), min_size=1, max_size=4).map("".join)
BLOCKS = st.lists(st.sampled_from(["<p>x", "</p>", "- x\n", "<li>x", "\n\nx", "<div>x</div>", "> x\n", "<td>x"]),
                  min_size=1, max_size=3).map("".join)
MAX_SECONDS = 5.0
MAX_EXTRA_MB = 400


@settings(max_examples=40, deadline=None)
@example(head='<b title="{i}">', head_times=500, tail="<p>x", tail_times=5000)  # distinct copies: the square
@example(head="<b><i><s><u><em><strong><code><small><a>", head_times=3, tail="<p>x", tail_times=15_000)  # 3.9 MB
@given(head=OPENING | PIECES, head_times=st.integers(1, 3000), tail=BLOCKS | PIECES, tail_times=st.integers(1, 30_000))
def test_misnested_and_repeated_html_is_read_in_bounded_time_and_memory(head, head_times, tail, tail_times):
    from storysite.body import MAX_HTML, PictureRefused, render

    def picture(name: str) -> str:
        raise PictureRefused(f"finner ikke bildefilen «{name}».")

    body = "".join(head.replace("{i}", str(i)) for i in range(head_times))[:30_000]
    body = (body + tail * tail_times)[:60_000]
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()  # CPU time: steady however busy the machine is
    rendered = render(body, "stories/x.md", 10, picture)
    elapsed = time.process_time() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before) / 1024
    assert elapsed < MAX_SECONDS, f"{len(body)} characters took {elapsed:.1f} s of CPU: {body[:200]!r}"
    assert grown < MAX_EXTRA_MB, f"{len(body)} characters took {grown:.0f} MB more: {body[:200]!r}"
    assert len(rendered.html) <= MAX_HTML
    assert len(rendered.problems) <= 21  # one for each kind, at most 20 and a count of the rest
    assert len({p.message for p in rendered.problems}) == len(rendered.problems)
    assert not any(p.message.startswith(CHECK_FAILED) for p in rendered.problems)


@settings(max_examples=500, deadline=None)
@example(body="<h3><code>x</h2>y</code>")  # found by a longer run: </h2> ends the <h3> and the <code> in it
@example(body="<span><i>x</span>y</i>")
@given(body=st.lists(TAGS, max_size=60).map("".join))
def test_the_parser_never_copies_a_formatting_element_in_a_body_the_shape_check_accepts(body):
    """The shape check's model and the sanitiser's parser read the HTML alike: in every body the check
    accepts, each formatting element is published at most as often as it was written (a copy would
    mean the parser reconstructed it, the work that grows as the square of the length)."""
    from bs4 import BeautifulSoup
    from storysite import body_shape
    from storysite.body import _MARKDOWN, PictureRefused, render

    def picture(name: str) -> str:
        raise PictureRefused(f"finner ikke bildefilen «{name}».")

    rendered = render(body, "stories/x.md", 10, picture)
    if rendered.problems:
        return
    written = [token.name for token in body_shape.tokens(_MARKDOWN.render(body)) if token.kind == "start"]
    published = BeautifulSoup(rendered.html, "html.parser")
    for name in body_shape.FORMATTING:
        assert len(published.find_all(name)) <= written.count(name), (name, body, rendered.html)
