from pathlib import Path

from ingest.problems import ProblemLog
from ingest.taxonomy import load_taxonomy


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    (folder / "t.yaml").write_text(text)
    return folder


def load(tmp_path: Path, text: str):
    log = ProblemLog()
    taxonomy = load_taxonomy(write(tmp_path, text), log, shown_root=tmp_path)
    return taxonomy, [str(p) for p in log.problems]


def test_valid_taxonomy(tmp_path):
    taxonomy, problems = load(tmp_path, """concepts:
  - {id: a, name: Alpha, type: pattern, aliases: [AL], relations: {prerequisite: [b]}}
  - {id: b, name: Beta, type: technology}
""")
    assert problems == []
    assert taxonomy.concepts["a"].aliases == ("AL",)
    assert [(r.source, r.type, r.target) for r in taxonomy.relations] == [("a", "prerequisite", "b")]


def test_unknown_reference_names_file_and_line(tmp_path):
    taxonomy, problems = load(tmp_path, """concepts:
  - id: a
    name: Alpha
    type: pattern
    relations:
      related_to: [ghost]
""")
    assert problems == ["taxonomy/t.yaml:5: concept 'a' has a related_to relation to unknown "
                        "concept 'ghost'; define it or fix the id"]
    assert taxonomy.relations == []


def test_alias_collision_is_reported_and_dropped(tmp_path):
    taxonomy, problems = load(tmp_path, """concepts:
  - id: a
    name: Alpha
    type: pattern
    aliases: [shared-name]
  - id: b
    name: Beta
    type: pattern
    aliases: [Shared Names]
""")
    assert len(problems) == 1
    assert problems[0].startswith("taxonomy/t.yaml:9: 'Shared Names' of concept 'b' is already")
    assert "taxonomy/t.yaml:2" in problems[0]
    assert taxonomy.concepts["b"].aliases == ()


def test_prerequisite_cycle_is_reported_and_broken(tmp_path):
    taxonomy, problems = load(tmp_path, """concepts:
  - {id: a, name: A, type: pattern, relations: {prerequisite: [b]}}
  - {id: b, name: B, type: pattern, relations: {prerequisite: [c]}}
  - {id: c, name: C, type: pattern, relations: {prerequisite: [a]}}
""")
    assert len(problems) == 1 and "prerequisite cycle" in problems[0]
    assert problems[0].startswith("taxonomy/t.yaml:")
    assert sum(r.type == "prerequisite" for r in taxonomy.relations) == 2


def test_bad_entries_are_skipped_with_field_names(tmp_path):
    taxonomy, problems = load(tmp_path, """concepts:
  - {id: Bad Id, name: X, type: pattern}
  - {id: ok, name: OK, type: gadget}
  - {id: fine, name: Fine, type: pattern, colour: red}
  - {id: good, name: Good, type: pattern}
""")
    assert list(taxonomy.concepts) == ["good"]
    assert any("field 'id'" in p for p in problems)
    assert any("field 'type'" in p for p in problems)
    assert any("field 'colour'" in p for p in problems)
    assert all(p.startswith("taxonomy/t.yaml:") for p in problems)


def test_duplicate_id_and_broken_yaml(tmp_path):
    _, problems = load(tmp_path, "concepts:\n  - {id: a, name: A, type: pattern}\n"
                                 "  - {id: a, name: A2, type: pattern}\n")
    assert problems == ["taxonomy/t.yaml:3: concept id 'a' is already defined at taxonomy/t.yaml:2"]
    other = tmp_path / "other"
    other.mkdir()
    _, problems = load(other, "concepts: [\n")
    assert problems and "not valid YAML" in problems[0]
