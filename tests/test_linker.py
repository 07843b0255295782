from ingest.linker import Linker, normalise, surface_key
from ingest.records import Concept

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
