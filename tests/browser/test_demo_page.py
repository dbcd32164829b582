"""The demo page as a person sees it: Debian's headless Chromium, driven by Playwright, against real gunicorn
processes serving the shipped models (and, for the error messages, one whose models cannot load)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.server import GunicornServer, running_server
from tests.helpers import SHIPPED_NER, SHIPPED_STANCE, Pace, generous

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Debian's Chromium as Playwright's browser: no download, nothing reaching out of the machine on its own.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAX_TEXT_CHARS = 20_000
MAX_CONTENT_LENGTH = 100_000
API_KEY = "demo-test-key"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The sentence the API tests rely on for an immigration stance, in a short article.
STANCE_ARTICLE = (
    "Donald Trump sprak in Helsinki met Vladimir Poetin. Volgens Trump is de NAVO te zwak. "
    "De PVV en Rutte willen minder asielzoekers."
)


@pytest.fixture(scope="module")
def shipped_server(tmp_path_factory, pace: Pace) -> Iterator[GunicornServer]:
    """gunicorn with the shipped models, and limits low enough that the page can run into 413 and 422.

    Its request deadline comes from the machine (as long as a worker start): no test here is about it."""
    env = {
        "NER_MODEL": str(SHIPPED_NER),
        "STANCE_MODEL": str(SHIPPED_STANCE),
        "MAX_TEXT_CHARS": str(MAX_TEXT_CHARS),
        "MAX_CONTENT_LENGTH": str(MAX_CONTENT_LENGTH),
        "REQUEST_TIMEOUT": str(pace.start()),
        "WEB_CONCURRENCY": "1",
    }
    log_path = tmp_path_factory.mktemp("demo-gunicorn") / "server.log"
    with running_server(env, log_path, timeout=pace.start()) as server:
        yield server


@pytest.fixture(scope="module")
def analysis_timeout_ms(shipped_server, sample_text, pace: Pace) -> float:
    """How long the page may wait for an analysis: a generous multiple of one warm-up analysis of the sample
    article on the same server, measured here and now (the other texts the page sends are shorter)."""
    started = time.monotonic()
    response = httpx.post(f"{shipped_server.url}/v1/analyze", json={"text": sample_text}, timeout=pace.start())
    assert response.status_code == 200, response.text
    return 1000 * generous(time.monotonic() - started)


@pytest.fixture(scope="module")
def unready_server(tmp_path_factory, pace: Pace) -> Iterator[GunicornServer]:
    """gunicorn whose NER model does not exist (so /v1 answers 503) and that requires an API key."""
    folder = tmp_path_factory.mktemp("demo-unready")
    server = GunicornServer(
        {"NER_MODEL": str(folder / "missing.pt"), "STANCE_MODEL": str(SHIPPED_STANCE), "API_KEYS": API_KEY},
        folder / "server.log",
    )
    try:
        server.wait_until(
            lambda client: client.get("/readyz").json().get("status") == "failed",
            "model load failed",
            timeout=pace.start(),
        )
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(pace: Pace) -> Iterator[Browser]:
    """Chromium; Playwright's waits (5 s for an expectation, 30 s for an action by default) come from the
    machine instead: what the page does after an answer takes longer on a busy machine, and is no less right."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    expect.set_options(timeout=1000 * pace.request())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@dataclass
class PageRecord:
    """What a page did besides rendering: script errors and CSP violations, and every URL it requested."""

    problems: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def keep_csp_violation(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.problems.append(text)


@pytest.fixture()
def record() -> PageRecord:
    return PageRecord()


@pytest.fixture()
def page(browser: Browser, record: PageRecord, pace: Pace) -> Iterator[Page]:
    """A fresh page; the test fails if a script error or a CSP violation happened on it.

    Loading a page waits as long as a worker start may (it starts a renderer and fetches the page's scripts and
    styles from gunicorn): under another test suite on the same two cores one load took longer than 30 s."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(1000 * pace.request())
    context.set_default_navigation_timeout(1000 * pace.start())
    page = context.new_page()
    page.on("pageerror", lambda error: record.problems.append(str(error)))
    page.on("console", lambda message: record.keep_csp_violation(message.text))
    page.on("request", lambda request: record.requested.append(request.url))
    yield page
    context.close()
    assert record.problems == []


def _error_box(page: Page):
    return page.get_by_role("alert")


def test_sample_article_shows_entities_actors_and_stances(
    page: Page, record: PageRecord, shipped_server, sample_text, analysis_timeout_ms
):
    page.goto(f"{shipped_server.url}/")
    page.get_by_role("button", name="Load sample article").click()
    expect(page.get_by_role("status")).to_contain_text("Sample article loaded")
    expect(page.get_by_label("Article text (Dutch)")).to_have_value(sample_text)

    with page.expect_response("**/v1/analyze", timeout=analysis_timeout_ms) as analysis:
        page.get_by_role("button", name="Analyse").click()
    result = analysis.value.json()
    expect(page.get_by_role("status")).to_contain_text("Analysed in")

    text = page.locator("#annotated-text")
    assert text.text_content() == sample_text
    expect(text.locator("mark")).to_have_count(len(result["entities"]))
    trump = text.locator('mark[data-type="PER"]', has_text="Trump").first
    expect(trump).to_be_visible()
    expect(trump).to_have_attribute(
        "title", f"person (PER), confidence {_first_trump_confidence(result)}; name of Donald Trump"
    )

    rows = page.locator("#actor-table tbody tr.actor-row")
    expect(rows).to_have_count(len(result["actors"]))
    trump_row = rows.filter(has=page.locator(".actor-name", has_text="Trump")).first
    expect(trump_row).to_contain_text("PER")
    expect(page.locator("#run-info")).to_contain_text(result["models"]["ner"]["version"])
    expect(page.locator("#run-info")).to_contain_text(result["models"]["stance"]["version"])

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-sample.png"), full_page=True)

    page.get_by_text("All entities with their confidence").click()
    expect(page.locator("#entity-table tbody tr")).to_have_count(len(result["entities"]))
    person_rows = page.locator("#entity-table tbody tr").filter(has=page.locator("td:nth-child(2)", has_text="PER"))
    first_trump_row = person_rows.filter(has_text="Trump").first
    expect(first_trump_row).to_contain_text(_first_trump_confidence(result))

    stances = [stance for actor in result["actors"] for stance in actor["stances"]]
    expect(page.locator("#actor-table button.chip")).to_have_count(len(stances))
    expect(page.locator("#run-info")).to_contain_text("actor-stance-nl-compact")
    expect(page.locator("#run-info")).to_contain_text("Reference ranker")
    expect(page.locator("#run-info")).to_contain_text(result["models"]["coref"]["id"])
    _assert_actor_stances_shown(page, result)
    _assert_accessible(page)
    assert all(url.startswith(f"{shipped_server.url}/") for url in record.requested), record.requested


# A phone, where the two result columns become one and the actor table is wider than the screen.
NARROW_VIEWPORT = {"width": 400, "height": 800}
# Every element in the result that scrolls up and down inside the page: part of what it holds is out of sight.
VERTICAL_SCROLL_BOXES = """() => [...document.querySelectorAll("#results *")]
    .filter((node) => ["auto", "scroll"].includes(getComputedStyle(node).overflowY))
    .filter((node) => node.scrollHeight > node.clientHeight)
    .map((node) => `${node.tagName} ${node.id} ${node.className}: ${node.scrollHeight} px in ${node.clientHeight}`)"""
# Every text in the actor graph (names and arrow signs) that reaches past an edge of the graph, where it is cut.
CUT_GRAPH_TEXTS = """() => {
    const frame = document.querySelector("#actor-graph svg").getBoundingClientRect();
    return [...document.querySelectorAll("#actor-graph svg text")]
        .map((text) => [text.textContent, text.getBoundingClientRect()])
        .filter(([, box]) => box.left < frame.left || box.right > frame.right || box.top < frame.top
            || box.bottom > frame.bottom)
        .map(([name, box]) => `${name}: ${JSON.stringify(box)} in ${JSON.stringify(frame)}`);
}"""


def test_sample_result_shows_in_full_without_scroll_boxes(page: Page, shipped_server, sample_text, analysis_timeout_ms):
    """The page scrolls, not boxes inside it: the whole article and every actor are shown (a table wider than a
    phone may scroll sideways, never up and down), and every name in the actor graph is whole and inside it."""
    page.goto(f"{shipped_server.url}/")
    page.get_by_label("Article text (Dutch)").fill(sample_text)
    with page.expect_response("**/v1/analyze", timeout=analysis_timeout_ms) as analysis:
        page.get_by_role("button", name="Analyse").click()
    result = analysis.value.json()
    expect(page.get_by_role("status")).to_contain_text("Analysed in")
    page.get_by_text("All entities with their confidence").click()
    expect(page.locator("#entity-table tbody tr")).to_have_count(len(result["entities"]))
    related = {}  # actor id: name, of every actor in a relation (a graph node)
    for actor in result["actors"]:
        for stance in actor["stances"]:
            if stance["target"] and stance["position"] != "neutral":
                related.update({actor["id"]: actor["name"], stance["target"]: stance["target_name"]})
    assert related, "the shipped models give no actor in the sample a stance toward another actor"
    labels = page.locator("#actor-graph svg g.node text")
    expect(labels).to_have_count(len(related))
    assert sorted(labels.all_text_contents()) == sorted(related.values())  # whole names, none shortened

    for viewport in (page.viewport_size, NARROW_VIEWPORT):
        page.set_viewport_size(viewport)
        assert page.evaluate(VERTICAL_SCROLL_BOXES) == [], viewport
        article = page.locator("#annotated-text")
        assert article.evaluate("(node) => node.scrollHeight - node.clientHeight") == 0, viewport
        assert page.evaluate(CUT_GRAPH_TEXTS) == [], viewport
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-narrow.png"), full_page=True)


def _assert_actor_stances_shown(page: Page, result: dict) -> None:
    """Every stance toward another actor is a "→ name" chip with its evidence on hover, and every positive or
    negative one is an arrow in the graph (its evidence in the arrow's tooltip) and a sentence below it."""
    toward_actors = [(actor, stance) for actor in result["actors"] for stance in actor["stances"] if stance["target"]]
    assert toward_actors, "the shipped models give no actor in the sample a stance toward another actor"
    for actor, stance in toward_actors:
        row = page.locator(f'#actor-table tr.actor-row[data-actor-id="{actor["id"]}"]')
        chip = row.locator(f'button.chip[data-target="{stance["target"]}"]')
        expect(chip).to_contain_text(f"\u2192 {stance['target_name']} ")
        expect(chip).to_have_attribute("title", re.compile(re.escape(stance["evidence"]["text"])))
    relations = [(actor, stance) for actor, stance in toward_actors if stance["position"] != "neutral"]
    edges = page.locator("#actor-graph svg g.edge")
    expect(edges).to_have_count(len(relations))
    expect(page.locator("#relation-list li")).to_have_count(len(relations))
    actor, stance = relations[0]
    edge = page.locator(f'#actor-graph g.edge[data-source="{actor["id"]}"][data-target="{stance["target"]}"]')
    expect(edge.locator("title")).to_contain_text(stance["evidence"]["text"])
    expect(edge.locator("text")).to_have_text("+" if stance["position"] == "positive" else "\u2212")
    verb = "supports" if stance["position"] == "positive" else "criticises"
    expect(page.locator("#relation-list")).to_contain_text(f"{actor['name']} {verb} {stance['target_name']}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#actor-graph").screenshot(path=str(ARTIFACTS / "demo-actor-graph.png"))


def test_stance_chip_finds_its_evidence_sentence(page: Page, shipped_server, analysis_timeout_ms):
    page.goto(f"{shipped_server.url}/")
    page.get_by_label("Article text (Dutch)").fill(STANCE_ARTICLE)
    with page.expect_response("**/v1/analyze", timeout=analysis_timeout_ms) as analysis:
        page.get_by_role("button", name="Analyse").click()
    result = analysis.value.json()
    stances = [stance for actor in result["actors"] for stance in actor["stances"]]
    assert stances, f"the shipped models find no stance in {STANCE_ARTICLE!r}: {result}"

    chips = page.locator("#actor-table button.chip")
    expect(chips).to_have_count(len(stances))
    chips.first.focus()
    page.keyboard.press("Enter")
    evidence = page.locator("#annotated-text .sentence.is-evidence")
    expect(evidence).to_have_text(_first_stance_in_table_order(result)["evidence"]["text"])
    expect(evidence).to_be_in_viewport()
    expect(evidence).to_be_focused()
    expect(chips.first).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#evidence-note")).to_contain_text("Evidence:")
    _assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-stance-evidence.png"))


QUOTE_ARTICLE = STANCE_ARTICLE + ' ,,We hebben goed gepraat", aldus Trump. Hij vertrok daarna naar Washington.'


def test_quotes_under_actors_mentions_by_kind_and_speaker_on_hover(page: Page, shipped_server, analysis_timeout_ms):
    page.goto(f"{shipped_server.url}/")
    page.get_by_label("Article text (Dutch)").fill(QUOTE_ARTICLE)
    with page.expect_response("**/v1/analyze", timeout=analysis_timeout_ms) as analysis:
        page.get_by_role("button", name="Analyse").click()
    result = analysis.value.json()
    text = page.locator("#annotated-text")
    expect(page.get_by_role("status")).to_contain_text(f"{len(result['quotes'])} quotes")
    assert text.text_content() == QUOTE_ARTICLE
    expect(text.locator("mark")).to_have_count(len(result["entities"]))

    # every name mention of an actor is an entity mark naming that actor
    for actor in result["actors"]:
        for mention in (m for m in actor["mentions"] if m["kind"] == "name"):
            marked = text.locator(f'mark[data-span="{mention["start"]}-{mention["end"]}"]')
            expect(marked).to_have_attribute("data-actor", actor["id"])
            expect(marked).to_have_attribute("title", re.compile(f"; name of {actor['name']}$"))

    # every non-name mention is marked with its kind, on exactly its words
    others = [m for a in result["actors"] for m in a["mentions"] if m["kind"] != "name"]
    assert any(m["kind"] == "pronoun" for m in others), result["actors"]
    for mention in others:
        marked = text.locator(f'.mention[data-span="{mention["start"]}-{mention["end"]}"]')
        expect(marked).to_have_text(mention["text"])
        expect(marked).to_have_attribute("data-kind", mention["kind"])

    # hovering a quote names its speaker and marks the words that name the speaker
    said = next(q for q in result["quotes"] if q["text"] == "We hebben goed gepraat")
    index = result["quotes"].index(said)
    piece = text.locator(f'.quote[data-quote="{index}"]')
    expect(piece).to_have_text(said["text"])
    expect(piece).to_have_attribute("title", "Said by Donald Trump; cue \u201caldus\u201d")
    piece.hover()
    expect(text.locator(".is-speaker")).to_have_text(said["speaker_text"]["text"])

    # the actor's quotes are listed under it; pressing one (keyboard) highlights it in the text
    trump = next(a for a in result["actors"] if a["id"] == said["speaker"])
    quote_row = page.locator(f'#actor-table tbody tr.quote-row[data-actor-id="{trump["id"]}"]')
    expect(quote_row).to_contain_text("Donald Trump says:")
    buttons = quote_row.locator("button.quote-button")
    expect(buttons).to_have_count(len(trump["quotes"]))
    button = buttons.filter(has_text=said["text"])
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(text.locator(".quote.is-selected")).to_have_text(said["text"])
    expect(page.locator("#evidence-note")).to_contain_text("Donald Trump (direct quote, cue \u201caldus\u201d)")
    _assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-quotes.png"), full_page=True)


def _assert_accessible(page: Page) -> None:
    """axe-core's WCAG 2.1 A and AA rules (labels, contrast, keyboard access, ARIA) on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def _first_trump_confidence(result: dict) -> str:
    """The confidence the page shows for the first PER entity containing "Trump", as a rounded percentage."""
    trumps = [e for e in result["entities"] if e["type"] == "PER" and "Trump" in e["text"]]
    first = min(trumps, key=lambda entity: entity["start"])
    return f"{math.floor(first['confidence'] * 100 + 0.5)}%"  # JavaScript's Math.round


def _first_stance_in_table_order(result: dict) -> dict:
    """The table lists actors by salience (highest first), each with its stances in API order."""
    ordered = sorted(result["actors"], key=lambda actor: -actor["salience"])
    return next(stance for actor in ordered for stance in actor["stances"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("   \n  ", ["HTTP 422", "text: Text must contain something other than whitespace."]),
        ("woord " * 4_000, ["HTTP 422", f"the limit is {MAX_TEXT_CHARS}"]),
        ("a" * (MAX_CONTENT_LENGTH + 1), ["too large", "HTTP 413"]),
    ],
    ids=["blank", "too-many-characters", "body-too-large"],
)
def test_rejected_text_is_explained(page: Page, shipped_server, text, shown):
    page.goto(f"{shipped_server.url}/")
    page.get_by_label("Article text (Dutch)").fill(text)
    page.get_by_role("button", name="Analyse").click()
    for fragment in shown:
        expect(_error_box(page)).to_contain_text(fragment)
    expect(page.locator("#results")).to_be_hidden()


def test_missing_key_and_unready_models_are_explained(page: Page, unready_server):
    page.goto(f"{unready_server.url}/")
    expect(_error_box(page)).to_contain_text("The models failed to load")

    page.get_by_label("Article text (Dutch)").fill("Rutte sprak in Brussel met Macron.")
    page.get_by_role("button", name="Analyse").click()
    expect(_error_box(page)).to_contain_text("needs an API key (HTTP 401)")

    page.get_by_label("API key", exact=True).fill(API_KEY)
    page.get_by_label("Article text (Dutch)").press("Control+Enter")
    expect(_error_box(page)).to_contain_text("The models are not ready (HTTP 503)")
    expect(_error_box(page)).to_contain_text("Try again in 5 seconds.")
    _assert_accessible(page)
