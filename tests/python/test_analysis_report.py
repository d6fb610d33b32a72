"""The HTML report and the command line, on result files written by p3sim."""
import base64
import os
import re
import shutil
import subprocess
import sys

import h5py

from p3sim_analysis.cli import main
from p3sim_analysis.report import build_report

ANALYSIS = os.path.join(os.environ["P3SIM_SOURCE_DIR"], "analysis")


def cli(*args):
    env = dict(os.environ, PYTHONPATH=ANALYSIS)
    return subprocess.run([sys.executable, "-m", "p3sim_analysis", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def embedded_images(page: str, mime: str):
    return re.findall(rf'src="data:{re.escape(mime)};base64,([A-Za-z0-9+/=]+)"', page)


def test_single_run_report_has_story_series_and_network(single_run_file, tmp_path):
    out = tmp_path / "single.html"
    build_report(single_run_file, out, argv=["test"], quiet=True)
    page = out.read_text(encoding="utf-8")
    for anchor in ("provenance", "story", "series", "trust"):
        assert f'id="{anchor}"' in page
    assert "comparison" not in page and 'id="pitfalls"' not in page
    assert "All 1 runs are done; none is excluded." in page
    assert "Ministry of Water" in page and "git commit" in page and "master seed" in page
    assert "Pairwise trust is exact" in page and "Limitation: the result file" not in page  # re-simulated
    images = embedded_images(page, "image/png")
    assert len(images) == 2
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert "http://" not in page and "https://" not in page  # self-contained


def test_sweep_report_compares_modes_shows_pitfalls_and_exclusions(modes_file, tmp_path):
    partial = tmp_path / "partial.h5"
    shutil.copy(modes_file, partial)
    with h5py.File(partial, "r+") as f:
        f["runs/status"][11] = 2
    out = tmp_path / "sweep.html"
    done = cli("report", str(partial), "-o", str(out), "--svg")
    assert done.returncode == 0, done.stderr
    assert "report: comparison by governance.mode" in done.stderr  # progress on stderr
    page = out.read_text(encoding="utf-8")
    for anchor in ("comparison", "pitfalls", "series", "trust"):
        assert f'id="{anchor}"' in page
    assert 'id="story"' not in page
    assert "1 of 12 runs are not done (1 failed) and are excluded from all statistics." in page
    assert "Paired differences to the baseline" in page and "hidden incentives" in page  # pitfalls by name
    svgs = embedded_images(page, "image/svg+xml")
    assert len(svgs) >= 4 and all(b"<svg" in base64.b64decode(s)[:2000] for s in svgs)


def test_cli_help_summary_and_clear_errors(modes_file, tmp_path, capsys):
    help_text = cli("--help")
    assert help_text.returncode == 0 and "report" in help_text.stdout and "summary" in help_text.stdout
    missing = cli("report", str(tmp_path / "nope.h5"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    # The rest in-process (main returns the exit code), which saves interpreter start-ups.
    assert main(["summary", modes_file, "--by", "governance.mode", "--metric", "outcome"]) == 0
    printed = capsys.readouterr().out
    assert "All 12 runs are done" in printed and "constellation" in printed
    text = tmp_path / "text.h5"
    text.write_text("hello")
    assert main(["summary", str(text)]) == 2
    assert "not an HDF5 file" in capsys.readouterr().err
    newer = tmp_path / "newer.h5"
    shutil.copy(modes_file, newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = 7
    assert main(["report", str(newer), "-o", str(tmp_path / "x.html")]) == 2
    assert "format_version 7 is newer" in capsys.readouterr().err
    assert main(["summary", modes_file, "--by", "nonsense"]) == 2
    assert "governance.mode" in capsys.readouterr().err


def test_report_of_sampled_sweep_has_sensitivity_and_prim(run_sweep, tmp_path):
    sweep = {"scenario": os.path.join(os.environ["P3SIM_SOURCE_DIR"], "scenarios", "tiny_partnership.json"),
             "replications": 1, "seed": 3, "steps": 36, "design": {"type": "sobol", "samples": 32},
             "parameters": {"/goal/target": {"min": 600, "max": 1400}, "/trust/gain": {"min": 0.05, "max": 0.5}},
             "record": {"series": ["outcome", "trust"], "every": 4, "events": False}}
    path = run_sweep(sweep, "sampled")
    with h5py.File(path, "r") as f:
        reached = f["final/goal_reached"][:]
    out = tmp_path / "sampled.html"
    build_report(path, out, metric="outcome", quiet=True)
    page = out.read_text(encoding="utf-8")
    assert 'id="sensitivity"' in page and "First-order indices" in page
    if 0 < reached.sum() < len(reached):  # goal_reached varies: PRIM section with the target as a box edge
        assert 'id="prim"' in page and "goal target" in page  # the parameter by name, not dataset code
