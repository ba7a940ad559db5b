"""Issue 8: the small benchmark runs in the test suite so it cannot rot. It checks that
every figure is measured and written, never how fast anything is."""

import json

import pytest
from django.core.management import call_command

from hmis.bench import CHECKS


@pytest.mark.django_db(transaction=True)
def test_make_bench_small_measures_every_figure_and_writes_the_results(tmp_path, monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    monkeypatch.setenv("BENCH_CLIENTS", "300")
    monkeypatch.setenv("HTTPS", "false")
    call_command("bench", "--size", "small", "--out", str(tmp_path))
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["clients"] >= 300
    assert {c["key"] for c in results["checks"]} == {key for _, key, _, _ in CHECKS}
    assert all(results[key] is not None for _, key, _, _ in CHECKS)
    assert results["search_failed_requests"] == 0 and results["client_page_failed_requests"] == 0
    # 20 case workers ran whole intakes (consent, client, enrollment) through gunicorn
    assert results["intake_failed_requests"] == 0 and results["intakes_per_minute"] > 0
    assert results["stays_of_the_200_client"] == 200
    assert "| Client search p95 (ms) |" in (tmp_path / "results.md").read_text()


def test_synthetic_data_same_seed_same_rows():
    """Issue 8: generate_synthetic plans its rows from the seed alone."""
    import random
    from datetime import date

    from hmis.synthetic import ROI_COLUMNS, STAY_COLUMNS, Setting, plan_batch

    def plan(seed):
        setting = Setting(agencies=[(1, 1), (2, 2)], projects={1: [(1, 0, "MO-500", False)], 2: [(2, 3, "MO-500", True)]},
                          workers={1: 1, 2: 2}, warning_days={1: 30, 2: 14}, today=date(2026, 11, 21))
        return plan_batch(random.Random(seed), 200, setting)

    first, again, other = plan(1), plan(1), plan(2)
    assert first.clients == again.clients and first.stays == again.stays and first.rois == again.rois
    assert first.clients != other.clients
    assert len(first.clients) == 200 and len({c[0] for c in first.clients}) == 200  # Client IDs never repeat
    assert all(len(stay) == len(STAY_COLUMNS) for stay in first.stays)
    assert all(len(roi) == len(ROI_COLUMNS) for roi in first.rois)
    assert {c[16] for c in first.clients} == {"full", "limited", "none"}  # every sharing state
