from pathlib import Path

from ingest.linker import Linker
from ingest.records import Concept
from ingest.surface import normalise, surface_key

from .test_resolver import BUNDLED

CONCEPTS = [
    Concept("consistent-hashing", "Consistent hashing", "pattern", aliases=("hash ring",)),
    Concept("hashing", "Hashing", "pattern"),
    Concept("fan-out-on-write", "Fan-out on write", "pattern"),
    Concept("b-tree", "B-tree", "pattern"),
    Concept("cap-theorem", "CAP theorem", "pattern", aliases=("CAP", "Brewer's theorem")),
    Concept("go", "Go", "technology", aliases=("Golang",)),
    Concept("cache", "Cache", "pattern"),
    Concept("query", "Query", "pattern"),
    Concept("a-star", "A* search", "pattern", aliases=("A*", "A")),
    Concept("cpp", "C++", "technology"),
]


def found(text: str) -> list[tuple[str, str]]:
    return [(m.concept_id, m.surface) for m in Linker(CONCEPTS).find(text, "s#1")]


def test_case_hyphen_and_plural_insensitive():
    assert found("CONSISTENT-HASHING and fan out on write, B-Trees") == [
        ("consistent-hashing", "CONSISTENT-HASHING"), ("fan-out-on-write", "fan out on write"),
        ("b-tree", "B-Trees")]
    assert found("two caches, many queries") == [("cache", "caches"), ("query", "queries")]


def test_longest_match_wins_and_spans_are_exact():
    text = "We used consistent hashing, not plain hashing."
    mentions = Linker(CONCEPTS).find(text, "s#1")
    assert [(m.concept_id, text[m.start:m.end]) for m in mentions] == [
        ("consistent-hashing", "consistent hashing"), ("hashing", "hashing")]


def test_capitalised_single_words_match_with_their_case_only():
    assert found("Go and Golang; go home; the CAP theorem; a rate cap; CAP") == [
        ("go", "Go"), ("go", "Golang"), ("cap-theorem", "CAP theorem"), ("cap-theorem", "CAP")]


def test_word_boundaries_and_apostrophes():
    assert found("hashings? rehashing! Brewer's theorem") == [
        ("hashing", "hashings"), ("cap-theorem", "Brewer's theorem")]


def test_normalise_and_surface_key():
    assert normalise("indexes") == normalise("index")
    assert normalise("Caches") == normalise("cache")
    assert surface_key("B-Trees") == surface_key("b tree")
    assert surface_key("Fan-out") == surface_key("fan out")


def test_symbols_stay_part_of_names_and_lone_letters_never_match():
    assert found("a plan: A* finds a path; C++ or C") == [("a-star", "A*"), ("cpp", "C++")]
    assert found("Use A* search here") == [("a-star", "A* search")]


DERIVED = [
    Concept("trie", "Trie (prefix tree)", "pattern"),
    Concept("websockets", "WebSockets", "pattern"),
    Concept("dynamodb", "Amazon DynamoDB", "technology", aliases=("DynamoDB",)),
    Concept("quadtree", "Quadtree", "pattern"),
    Concept("retries-with-backoff", "Retries with exponential backoff and jitter", "pattern",
            aliases=("exponential backoff",)),
    Concept("unique-id-generation", "Unique ID generation (Snowflake IDs)", "pattern"),
    Concept("mvcc", "Multi-version concurrency control (MVCC)", "pattern"),
    Concept("uber", "Uber", "company"),
    Concept("meta", "Meta (Facebook)", "company"),
]


def derived(text: str) -> list[tuple[str, str]]:
    return [(m.concept_id, m.surface) for m in Linker(DERIVED).find(text, "s#1")]


def test_names_are_linked_without_their_parenthetical_and_ids_as_words():
    assert derived("A trie, or prefix tree; it tries") == [("trie", "trie"), ("trie", "prefix tree")]
    assert derived("unique ID generation with Snowflake IDs") == [
        ("unique-id-generation", "unique ID generation"), ("unique-id-generation", "Snowflake IDs")]
    assert derived("Meta, formerly Facebook") == [("meta", "Meta"), ("meta", "Facebook")]


def test_compounds_are_linked_in_any_split():
    assert derived("web sockets, Web-Sockets and a WebSocket") == [
        ("websockets", "web sockets"), ("websockets", "Web-Sockets"), ("websockets", "WebSocket")]
    assert derived("quad-trees and quad trees") == [("quadtree", "quad-trees"),
                                                    ("quadtree", "quad trees")]
    assert derived("exponential back-off") == [("retries-with-backoff", "exponential back-off")]
    assert derived("multiversion concurrency control") == [
        ("mvcc", "multiversion concurrency control")]


def test_product_and_company_names_keep_their_case_in_any_split_and_possessive():
    assert derived("Dynamo DB; dynamo db; Uber's drivers; uber cool; Meta's MVCC; meta data") == [
        ("dynamodb", "Dynamo DB"), ("uber", "Uber's"), ("meta", "Meta's"), ("mvcc", "MVCC")]


def test_trie_is_linked_in_the_autocomplete_study():
    text = (Path(__file__).parents[1] / "corpus" / "studies" / "search-autocomplete.md").read_text()
    mentions = [m for m in Linker(BUNDLED.values()).find(text, "s") if m.concept_id == "trie"]
    assert sum(m.surface.lower() == "trie" for m in mentions) == 16
