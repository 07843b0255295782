"""The web explorer at /, driven in Debian's Chromium by Playwright over the tiny corpus.

The app runs in-process under uvicorn on a free port; every test saves a screenshot into
tests/screenshots/ (git-ignored) so a person can look at what the browser saw.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.live_server import live_server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed here (Debian: apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the Python playwright package is not installed")
expect = sync_api.expect

SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def base_url(model_tiny_data: Path, model_encoder) -> Iterator[str]:
    from api.app import create_app

    app = create_app(make_settings(model_tiny_data, reload_interval=0), encoder=model_encoder)
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, viewport: dict) -> Iterator:
    """A fresh page at `viewport`; fails the test if the page raised a JavaScript error."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser) -> Iterator:
    yield from open_page(browser, WIDE)


@pytest.fixture
def narrow_page(browser) -> Iterator:
    yield from open_page(browser, NARROW)


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def search(page, base_url: str, words: str) -> None:
    page.goto(f"{base_url}/")
    page.locator("#q").fill(words)
    expect(page.locator(".result").first).to_be_visible()


def test_results_appear_as_you_type_with_highlights(page, base_url):
    page.goto(f"{base_url}/")
    expect(page.locator(".intro")).to_be_visible()
    page.locator("#q").press_sequentially("garbage collector pauses", delay=15)
    result = page.locator(".result", has=page.get_by_role("link", name="Rewriting a Go Service in Rust"))
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_be_visible()
    expect(result.locator(".badge")).to_have_text("Real-world")
    expect(result.locator(".chip").first).to_be_visible()
    expect(page.locator("#result-status")).to_contain_text("garbage collector pauses")
    expect(page).to_have_url(re.compile(r"\?q=garbage%20collector%20pauses$"))
    expect(page.locator(".weak-match")).to_have_count(0)
    shot(page, "search-results")


def test_go_deeper_shows_the_course_beside_the_studies_and_opens_its_lesson(page, base_url):
    search(page, base_url, "replication keeps copies of data on several machines")
    panel = page.locator(".go-deeper")
    expect(panel.get_by_role("heading", name="Go deeper")).to_be_visible()
    course = panel.locator(".course", has=page.get_by_role("link", name="Databases 101"))
    expect(course.locator(".course-why")).to_contain_text("teaches")
    expect(page.locator(".result", has=page.get_by_role("link", name="Databases 101"))).to_have_count(0)
    shot(page, "go-deeper")
    course.locator(".course-lesson a").click()
    expect(page.locator("h1")).to_have_text("Databases 101")
    expect(page).to_have_url(re.compile(r"\?study=databases-101#sec-lesson-1-replication$"))


def test_a_course_seeking_search_puts_the_course_first(page, base_url):
    search(page, base_url, "a course on replication")
    expect(page.locator(".result-link").first).to_have_text("Databases 101")
    expect(page.locator(".course-seeking")).to_be_visible()
    expect(page.locator(".go-deeper")).to_have_count(0)


def test_an_off_topic_search_says_nothing_is_close(page, base_url):
    search(page, base_url, "how do I bake banana bread")
    expect(page.locator(".weak-match")).to_contain_text("No study is close")
    shot(page, "weak-match")


def test_open_a_study_from_a_result_and_come_back(page, base_url):
    search(page, base_url, "choosing a shard key")
    page.get_by_role("link", name="Sharding the Shop Database").click()
    expect(page.locator("h1")).to_have_text("Sharding the Shop Database")
    expect(page).to_have_url(re.compile(r"\?study=shop-shards$"))
    expect(page.locator(".headline")).to_have_text("Sixteen shards")
    expect(page.locator(".study-section h2", has_text="Choosing a Shard Key")).to_be_visible()
    expect(page.locator(".sources")).to_contain_text("Another test post")
    expect(page.locator(".concepts .chip", has_text="Consistent hashing")).to_be_visible()
    recommendation = page.locator(".rec").first
    expect(recommendation.locator(".rec-title")).to_have_text("Design a URL Shortener")
    expect(recommendation.locator(".why")).to_contain_text("Why:")
    shot(page, "study", full_page=True)
    page.go_back()
    expect(page.locator("#q")).to_have_value("choosing a shard key")
    expect(page.get_by_role("link", name="Sharding the Shop Database")).to_be_visible()


def test_concept_from_a_chip_with_graph_and_related(page, base_url):
    search(page, base_url, "sharding keys")
    page.locator(".result .chip", has_text="Sharding").first.click()
    expect(page.locator("h1")).to_have_text("Sharding")
    expect(page).to_have_url(re.compile(r"\?concept=sharding$"))
    expect(page.locator(".description")).to_contain_text("Splitting one dataset")
    expect(page.locator(".aka")).to_contain_text("horizontal partitioning")
    expect(page.locator(".evidence li").first).to_be_visible()
    nodes = page.locator("svg.graph .node")
    expect(nodes.nth(1)).to_be_visible()
    assert nodes.count() >= 2
    assert page.locator("svg.graph .edge").count() >= 1
    expect(page.locator(".graph-legend")).to_contain_text("Study")
    expect(page.locator(".learning-path .step").first).to_be_visible()
    shot(page, "concept", full_page=True)

    related = page.locator(".related-list .chip").first
    name = related.get_attribute("title").split(": ", 1)[1]
    related.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("svg.graph .node").nth(1)).to_be_visible()
    shot(page, "related-concept")


def test_graph_nodes_open_with_the_keyboard(page, base_url):
    page.goto(f"{base_url}/?concept=sharding")
    study = page.locator('svg.graph .node-study[role="link"]').first
    expect(study).to_be_visible()
    label = study.get_attribute("aria-label")
    assert label and "study" in label and study.get_attribute("tabindex") == "0"
    study.focus()
    shot(page, "graph-focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?study="))
    expect(page.locator("h1")).to_have_text(label.rsplit(", study.", 1)[0])


def test_a_shared_search_url_loads_its_results(page, base_url):
    page.goto(f"{base_url}/?q=hash%20ring")
    expect(page.locator("#q")).to_have_value("hash ring")
    expect(page.locator(".result").first).to_be_visible()
    expect(page.locator(".result mark").first).to_be_visible()
    expect(page.locator(".query-concepts .chip")).to_contain_text("Consistent hashing")
    shot(page, "shared-url")


def test_a_short_page_says_how_many_were_found_and_offers_more(page, base_url):
    page.goto(f"{base_url}/?q=sharding%20keys&k=1")
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator("#result-status")).to_contain_text(re.compile(r"^1 of \d+ results"))
    page.get_by_role("button", name="Show more results").click()
    expect(page.locator(".result").nth(1)).to_be_visible()


def test_escape_clears_the_search(page, base_url):
    search(page, base_url, "consistent hashing")
    page.locator("#q").press("Escape")
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator(".result")).to_have_count(0)
    expect(page.locator(".intro")).to_be_visible()
    expect(page).to_have_url(f"{base_url}/")
    shot(page, "escape-cleared")


def test_filters_with_no_results_say_so(page, base_url):
    page.goto(f"{base_url}/?q=sharding&company=Acme&kind=interview")
    expect(page.locator("#filter-company")).to_have_value("Acme")
    expect(page.locator("#filter-kind")).to_have_value("interview")
    empty = page.locator(".state-empty")
    expect(empty).to_contain_text("Nothing matches")
    expect(empty).to_contain_text("clear the filters")
    shot(page, "no-results")
    empty.get_by_role("button", name="Clear filters").click()
    expect(page.locator(".result").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=sharding$"))


def test_unknown_concept_shows_not_found_with_suggestions(page, base_url):
    page.goto(f"{base_url}/?concept=shard")
    notfound = page.locator(".state-notfound")
    expect(notfound.locator("h1")).to_contain_text("No concept called “shard”")
    suggestion = notfound.get_by_role("link", name="Sharding", exact=True)
    expect(suggestion).to_be_visible()
    shot(page, "concept-not-found")
    suggestion.click()
    expect(page.locator("h1")).to_have_text("Sharding")


def test_a_misspelt_concept_resolves_to_the_concept(page, base_url):
    page.goto(f"{base_url}/?concept=shardng")
    expect(page.locator("h1")).to_have_text("Sharding")


def test_a_discovered_concept_page_shows_its_origin_and_evidence(page, base_url):
    page.goto(f"{base_url}/?concept=collisions")  # "Collisions", a heading of url-design.md
    expect(page.locator("h1")).to_have_text("Collisions")
    expect(page.locator(".origin-badge")).to_have_text("discovered")
    expect(page.locator(".origin-note")).to_contain_text("discovered in the text")
    evidence = page.locator(".evidence li").first
    expect(evidence).to_be_visible()
    expect(evidence.locator("mark")).to_contain_text("ollision")
    expect(page.locator("svg.graph .node").nth(1)).to_be_visible()
    shot(page, "discovered-concept", full_page=True)


def test_server_error_offers_retry(page, base_url):
    page.route("**/search?*", lambda route: route.fulfill(
        status=500, content_type="application/json",
        body='{"error": {"code": "internal_error", "message": "the server failed", "details": {}}}'))
    page.goto(f"{base_url}/?q=replication")
    error = page.locator(".state-error")
    expect(error).to_contain_text("The search failed")
    shot(page, "server-error")
    page.unroute("**/search?*")
    error.get_by_role("button", name="Retry").click()
    expect(page.locator(".result").first).to_be_visible()


def test_themes_page(page, base_url):
    page.goto(f"{base_url}/?view=themes")
    expect(page.locator("h1")).to_have_text("Themes")
    expect(page.locator('nav a[aria-current="page"]')).to_have_text("Themes")
    expect(page.locator(".theme, .state-empty").first).to_be_visible()
    shot(page, "themes")


def test_narrow_screen_has_no_horizontal_scroll(narrow_page, base_url):
    page = narrow_page
    checks = [("search", "/?q=consistent%20hashing", ".result"),
              ("study", "/?study=url-design", ".rec"),
              ("concept", "/?concept=sharding", "svg.graph .node >> nth=1"),
              ("themes", "/?view=themes", ".theme")]
    for name, path, ready in checks:
        page.goto(f"{base_url}{path}")
        expect(page.locator(ready).first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
        shot(page, f"narrow-{name}", full_page=True)
