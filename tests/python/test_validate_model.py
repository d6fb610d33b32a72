"""The model-validation report (analysis/validate_model.py, scripts/validate-model) on a few cheap cases
with few seeds: verdicts come from the numbers, every outcome has the fields the report prints, and
the markdown names its sources and how it was made. The full report is not part of the test run."""
import dataclasses
import math
import os
import subprocess
import sys

import pytest

import validate_model as vm

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ.get("P3SIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CHEAP = ["trust_asymmetry", "pg_first_round"]


def by_id(case_id):
    return next(c for c in vm.CASES if c.id == case_id)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return vm.Context(BINARY, SOURCE, str(tmp_path_factory.mktemp("validate")), threads=2, quick=True)


def test_verdict_is_computed_from_the_interval():
    t = vm.Target(0.4, 0.6)
    est = lambda v, lo, hi: vm.Estimate(v, lo, hi, "test", 10)
    assert vm.verdict(est(0.5, 0.45, 0.55), t) == "reproduced"
    assert vm.verdict(est(0.58, 0.55, 0.65), t) == "partly"         # the interval straddles 0.6
    assert vm.verdict(est(0.8, 0.75, 0.85), t) == "missed"
    assert vm.verdict(est(0.8, 0.75, 0.85), vm.Target(None, 0.5), partial=vm.Target(None, 1.0)) == "partly"
    assert vm.verdict(est(1.2, 1.1, 1.3), vm.Target(None, 0.5), partial=vm.Target(None, 1.0)) == "missed"
    assert vm.verdict(est(math.nan, math.nan, math.nan), t) == "error"
    strict = vm.Target(1.0, None, lo_open=True)
    assert vm.verdict(est(1.0, 1.0, 1.0), strict) == "missed"          # "> 1" excludes 1 itself
    assert vm.verdict(est(2.0, 1.5, 2.5), strict) == "reproduced"


def test_intervals_fit_their_statistics():
    w = vm.wilson(40, 40)
    assert w.value == 1 and 0.9 < w.lo < 1 and w.hi == 1                # 40 of 40: the upper limit is 1
    assert vm.wilson(0, 40).lo == 0 and 0 < vm.wilson(0, 40).hi < 0.1
    m = vm.mean_t([0.0, 1.0, 1.0, 1.0], bounds=(0, 1))
    assert 0 <= m.lo < m.value < m.hi <= 1
    r = vm.bootstrap_ratio([1, 2, 3, 4], [2, 4, 6, 8])
    assert r.value == pytest.approx(0.5) and r.lo <= 0.5 <= r.hi
    assert math.isnan(vm.mean_t([]).value)


def test_cheap_cases_run_and_have_every_field(ctx):
    outcomes = vm.run_report(ctx, [by_id(i) for i in CHEAP], echo=lambda m: None)
    assert [o.case.id for o in outcomes] == CHEAP
    for o in outcomes:
        assert o.verdict in vm.VERDICTS and o.verdict != "error", o.reason
        e = o.estimate
        assert math.isfinite(e.value) and e.lo <= e.value <= e.hi and e.n > 0 and e.method
        assert o.verdict == vm.verdict(e, o.case.target, o.case.partial)
        assert o.setup and o.case.target_text and all(s in vm.REFERENCES for s in o.case.sources)
        if o.verdict != "reproduced":
            assert o.reason
    # the first round of a public-goods game is a share of the endowment
    assert 0 <= outcomes[1].estimate.value <= 1
    text = vm.table(outcomes)
    assert text.splitlines()[0].split() == ["case", "target", "p3sim", "[95%", "CI]", "verdict"]
    assert all(i in text for i in CHEAP)


def test_an_impossible_target_is_missed(ctx):
    # a first-round contribution is a share of the endowment; [2, 3] cannot be met whatever p3sim does
    impossible = dataclasses.replace(by_id("pg_first_round"), id="impossible", target=vm.Target(2.0, 3.0),
                                     partial=None)
    outcome = vm.run_case(ctx, impossible)
    assert outcome.verdict == "missed"
    assert outcome.estimate.value < 2 and outcome.reason


def test_a_missing_mechanism_is_not_expressible(ctx):
    assert ctx.has("/agenda/epsilon") and ctx.has("/organizations/*/cooperation")
    assert not ctx.has("/no_such_block/at_all")
    needs = dataclasses.replace(by_id("trust_asymmetry"), id="needs_missing",
                                requires=lambda c: None if c.has("/no_such_block") else "no such block")
    outcome = vm.run_case(ctx, needs)
    assert outcome.verdict == "not expressible" and outcome.reason == "no such block" and outcome.estimate is None


def test_case_ids_are_unique_and_sources_resolve():
    ids = [c.id for c in vm.CASES]
    assert len(ids) == len(set(ids))
    for c in vm.CASES:
        assert c.sources and all(s in vm.REFERENCES for s in c.sources), c.id
        assert c.kind in {"stylized fact", "field figure", "calibration check", "model property",
                          "bundled scenario"}, c.id


def test_markdown_report_names_sources_command_and_commit(ctx, tmp_path):
    out = tmp_path / "validation.md"
    done = subprocess.run([sys.executable, os.path.join(SOURCE, "analysis", "validate_model.py"), "--binary", BINARY,
                           "--source", SOURCE, "--quick", "--only", "trust_asymmetry,colombia_paso_reach",
                           "--output", str(out), "--invoked-as", "scripts/validate-model --quick"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "trust_asymmetry" in done.stdout and "not expressible" in done.stdout
    md = out.read_text(encoding="utf-8")
    assert "| case | kind | target | p3sim [95% CI] | verdict |" in md
    assert "### trust_asymmetry" in md and "Slovic, P. (1993)" in md
    assert "Generated on " in md and "scripts/validate-model --quick" in md and "git commit" in md
    assert vm.Context(BINARY, SOURCE, str(tmp_path)).version().split()[0] in md


def test_unknown_case_is_refused():
    done = subprocess.run([sys.executable, os.path.join(SOURCE, "analysis", "validate_model.py"), "--binary", BINARY,
                           "--only", "no_such_case", "--no-write"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no_such_case" in done.stderr
