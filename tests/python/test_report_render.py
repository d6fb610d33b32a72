"""The reports of the bundled Colombia scenarios as a reader sees them: rendered in headless
Chromium at 1366 x 900 px, every image fits its column and shows its text at least as large as the
body text, the answer is on the first screen, and codes have become names.

The sweeps are the bundled ones (governance, pitfall gallery, incentive stress) with fewer
replications, so that the test stays fast under a sanitizer build; the single run and the
``--baseline`` pair use the bundled scenario as it is. Chromium comes from scripts/setup; without
it the test fails, it does not skip.
"""
import json
import os
import re
import subprocess

import pytest

from p3sim_analysis import page as page_module
from p3sim_analysis.plotting import fit_to_column, layout_problems
from p3sim_analysis.report import build_report

SOURCE = os.environ["P3SIM_SOURCE_DIR"]
SCENARIO = os.path.join(SOURCE, "scenarios", "colombia_crop_substitution.json")
SWEEPS = os.path.join(SOURCE, "scenarios", "sweeps")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1366, 900
#: codes that must not reach the reader's eye (they may stay in the CSV downloads)
CODES = ("governance.mode", "half_width", "null_mean", "holm_p", "p_value", "goal_reached", "cost_per_outcome")

MEASURE = """
const body = parseFloat(getComputedStyle(document.body).fontSize);
const images = Array.from(document.images).map(img => {
  const parent = img.parentElement, style = getComputedStyle(parent);
  const column = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {alt: img.alt, natural: img.naturalWidth, shown: img.clientWidth, column: column,
          widthIn: parseFloat(img.dataset.widthIn), fontPt: parseFloat(img.dataset.fontPt),
          dpi: parseFloat(img.dataset.dpi), svg: img.src.startsWith('data:image/svg')};
});
const headline = document.querySelector('.brief .headline');
const prose = document.body.cloneNode(true);  // the text a reader reads; code to type may name codes
prose.querySelectorAll('code, a.csv').forEach(e => e.remove());
prose.querySelectorAll('details').forEach(d => { d.open = true; });
document.body.appendChild(prose); prose.style.display = 'block';
const text = prose.innerText; prose.remove();
return {body: body, images: images, scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        headline: headline ? headline.innerText : '',
        headlineBottom: headline ? headline.getBoundingClientRect().bottom + window.scrollY : 1e9,
        text: text, tables: document.querySelectorAll('table').length,
        csv: document.querySelectorAll('a.csv[download]').length,
        toc: document.querySelectorAll('nav.toc a').length, details: document.querySelectorAll('details').length};
"""


def p3sim(*args):
    done = subprocess.run([os.environ["P3SIM_BINARY"], *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if missing:
        pytest.fail(f"chromium missing ({', '.join(missing)}): run scripts/setup")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={WIDTH},{HEIGHT}", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(WIDTH, HEIGHT)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The bundled sweeps with fewer replications, a single run and a --baseline pair."""
    folder = tmp_path_factory.mktemp("render")
    made = {}
    for name, file, changes in (
            ("governance", "colombia_crop_substitution_governance.json", {"replications": 8}),
            ("gallery", "colombia_crop_substitution_pitfall_gallery.json", {"replications": 4}),
            ("stress", "colombia_incentive_stress.json", {"replications": 1, "design": {"type": "lhs", "samples": 60}})):
        with open(os.path.join(SWEEPS, file), encoding="utf-8") as handle:
            sweep = json.load(handle)
        sweep.update(changes, scenario=SCENARIO)
        path = folder / f"{name}.json"
        path.write_text(json.dumps(sweep), encoding="utf-8")
        made[name] = str(folder / f"{name}.h5")
        p3sim("sweep", str(path), "-o", made[name], "--no-progress", "--threads", "2")
    made["single"] = str(folder / "single.h5")
    p3sim("run", SCENARIO, "--seed", "3", "-o", made["single"], "--quiet")
    made["pair"] = str(folder / "pair.h5")
    p3sim("run", SCENARIO, "--seed", "3", "--pitfall", "payment_delays", "--baseline", "-o", made["pair"])
    return made


@pytest.fixture(scope="module")
def reports(files, tmp_path_factory):
    """Each report's HTML path and the layout problems of its figures (measured as drawn)."""
    folder = tmp_path_factory.mktemp("html")
    problems = {}
    original = page_module.Page.figure

    def checked(self, fig, alt):
        fit_to_column(fig)  # as the page embeds it
        problems.setdefault(self._report, []).extend(f"{alt}: {p}" for p in layout_problems(fig))
        return original(self, fig, alt)

    page_module.Page.figure = checked
    out = {}
    try:
        for name, path in files.items():
            page_module.Page._report = name
            out[name] = str(folder / f"{name}.html")
            build_report(path, out[name], argv=["test"], quiet=True)
    finally:
        page_module.Page.figure = original
    return out, problems


def render(browser, path):
    browser.get("file://" + path)
    return browser.execute_script(MEASURE)


@pytest.mark.parametrize("name", ["governance", "gallery", "stress", "single", "pair"])
def test_report_renders_for_a_reader(browser, reports, name):
    paths, problems = reports
    assert_readable(render(browser, paths[name]), problems.get(name))


#: the other bundled sweeps (not Colombia's): every scenario's governance comparison, and the Strive
#: pitfall gallery, at three replications
OTHER_SWEEPS = ("civil_military_hierarchy_governance", "collective_impact_city_governance",
                "collective_impact_city_pitfall_gallery", "connectivity_dialogue_governance",
                "partnering_hub_governance", "public_goods_classroom_governance")


@pytest.fixture(scope="module")
def other_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("other")
    out, problems = {}, {}
    original = page_module.Page.figure

    def checked(self, fig, alt):
        fit_to_column(fig)
        problems.setdefault(self._report, []).extend(f"{alt}: {p}" for p in layout_problems(fig))
        return original(self, fig, alt)

    page_module.Page.figure = checked
    try:
        for name in OTHER_SWEEPS:
            with open(os.path.join(SWEEPS, name + ".json"), encoding="utf-8") as handle:
                sweep = json.load(handle)
            sweep.update(replications=3, scenario=os.path.normpath(os.path.join(SWEEPS, sweep["scenario"])))
            (folder / f"{name}.json").write_text(json.dumps(sweep), encoding="utf-8")
            p3sim("sweep", str(folder / f"{name}.json"), "-o", str(folder / f"{name}.h5"), "--no-progress",
                  "--threads", "2")
            page_module.Page._report = name
            out[name] = str(folder / f"{name}.html")
            build_report(str(folder / f"{name}.h5"), out[name], argv=["test"], quiet=True)
    finally:
        page_module.Page.figure = original
    return out, problems


@pytest.mark.parametrize("name", OTHER_SWEEPS)
def test_every_bundled_sweeps_report_renders_for_a_reader(browser, other_reports, name):
    paths, problems = other_reports
    assert_readable(render(browser, paths[name]), problems.get(name))


def assert_readable(seen, problems):
    assert seen["images"], "the report has figures"
    assert seen["scroll"] <= seen["inner"], "the page scrolls sideways"
    for image in seen["images"]:
        assert image["shown"] <= image["column"] + 0.5, f"{image['alt']}: wider than its column"
        if not image["svg"]:
            assert abs(image["natural"] - image["widthIn"] * image["dpi"]) <= 2, image
        # text of f points on a figure W inches wide shown at S CSS px: f / 72 * S / W px
        font_px = image["fontPt"] / 72 * image["shown"] / image["widthIn"]
        assert font_px >= seen["body"] - 0.3, f"{image['alt']}: text {font_px:.1f} px, body {seen['body']} px"
    assert not problems, problems
    # the answer on the first screen, in names, with its uncertainty
    assert seen["headline"] and seen["headlineBottom"] <= HEIGHT, seen["headline"]
    for code in CODES:
        assert code not in seen["text"], f"{code!r} shown to the reader"
    assert seen["csv"] == seen["tables"], "every table has a CSV download"
    assert seen["toc"] >= 3


def test_governance_headline_names_modes_with_intervals(browser, reports):
    seen = render(browser, reports[0]["governance"])
    assert re.search(r"reaches the goal in \d+ of 8 runs \[\d+-\d+%\]", seen["headline"]), seen["headline"]
    for name in ("Collective Impact", "Innovation in Partnerships network", "unified hierarchy"):
        assert name in seen["text"]
    assert "Biggest paired differences" in seen["text"]
    assert "What the scenario's note says it shows" in seen["text"]  # its Governance: sentence


def test_gallery_folds_long_tables_and_names_pitfalls(browser, reports):
    seen = render(browser, reports[0]["gallery"])
    assert seen["details"] >= 1  # 15 pitfalls: the effects table is folded
    assert "payment delays" in seen["text"] and "payment_delays" not in seen["text"]
    assert "Without a pitfall the partnership reaches the goal in" in seen["headline"]


def test_single_run_and_pair_tell_verdict_and_story(browser, reports, files):
    single = render(browser, reports[0]["single"])
    told = json.loads(p3sim("run", SCENARIO, "--seed", "3", "--json").stdout)
    assert told["verdict"] in single["headline"]  # the verdict p3sim run prints
    for line in told["story"][:5]:
        assert line.split(": ", 1)[1] in single["text"]
    collapses = [line for line in told["story"] if "collapsed" in line]
    assert f"{len(collapses)} collapse" in single["text"]
    assert "final metrics" in single["text"].lower() and "retention" in single["text"]
    pair = render(browser, reports[0]["pair"])
    assert "without the pitfall" in pair["text"] and "with payment delays" in pair["text"]
    assert "differs" in pair["text"]  # the two stories side by side, differing months marked
