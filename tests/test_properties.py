"""Property-based: any front matter and body is accepted or rejected with a message; nothing raises."""

from __future__ import annotations

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storysite import vocabulary
from storysite.problems import Problem
from storysite.story import load

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
        assert problem.path == "stories/historie.md" and problem.field and problem.message
        assert str(problem).startswith("stories/historie.md")
