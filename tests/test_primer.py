"""A real corpus nobody here wrote: the System Design Primer (CC BY 4.0), when it is beside us."""

import pytest

from api.service import open_service
from snapshot.build import build_snapshot

from .conftest import PRIMER, make_settings

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not PRIMER.is_dir(), reason="../shared/corpora is not beside us")]


@pytest.fixture(scope="module")
def primer(tmp_path_factory, model_encoder):
    data = tmp_path_factory.mktemp("primer")
    report = build_snapshot(PRIMER, make_settings(data), model_encoder)
    return report, open_service(make_settings(data), model_encoder)


def test_primer_ingests_without_problems(primer):
    report, service = primer
    assert report.manifest.problems == ()
    assert report.manifest.counts.studies == 9
    assert service.study("system-design-primer").title == "The System Design Primer"
    assert service.study("solutions-twitter").title == "Design the Twitter timeline and search"


def test_primer_finds_its_consistent_hashing_section(primer):
    _, service = primer
    sections = [s.id for r in service.search("consistent hashing", k=3).results
                for s in r.sections]
    assert "system-design-primer#sharding" in sections


def test_primer_is_linked_to_the_bundled_taxonomy(primer):
    _, service = primer
    studies = {s.id for s in service.concept("consistent-hashing").studies}
    assert {"system-design-primer", "solutions-query-cache"} <= studies
