"""The Simulation tab (孵化链条) in a real browser: firms up the incubation ladder run in the page
and the same run asked of the JSON API, the carriers where the ladder jams ringed on the map, and a
last year the simulation cannot reach refused with the server's message. Few runs to a near year
(the sample's data are of 2021): each run takes a few seconds."""
import json
import re
import time
import urllib.error
import urllib.request

import pytest

from conftest import api, grouped, SAMPLE_URL, WAIT, needs, on_the_sample, screenshot, wait_for

STAGES = ["start_up", "growth", "scale_up", "mature"]  # the ladder's rungs, as simulation.js lists them
CHARTS = ["maps/ladder.svg", "maps/fan.svg", "maps/high-tech.svg"]
# The same seed and runs give the same figures: the page's run and the API's run are compared.
NO_JAM = "to=2024&runs=5&seed=3&scenario=rent-buy-convert-build.json"
# A run that jams on the sample with no new space: the mature rung (park, silicon_building) from
# 2024, at its fullest carriers (the test checks the API's run jams before it looks at the page).
JAM = "to=2025&runs=3&seed=3"


@pytest.fixture(scope="module", autouse=True)
def fresh_page_afterwards(driver):
    """The tests here leave the simulation tab open and the map framed on the jams: the next
    file's tests load the page afresh."""
    yield
    driver.get("about:blank")


def simulated(query):
    """The run POST /api/simulate?query starts, followed at GET /api/runs/{id} to its end (as the page does)."""
    status, run = api(f"/api/simulate?{query}", method="POST")
    assert status == 202, run
    began = time.time()
    while run["status"] == "running":
        assert time.time() - began < 120, f"simulate?{query} still running after 120 s"
        time.sleep(0.4)
        status, run = api(f"/api/runs/{run['id']}")
        assert status == 200, run
    return run


def percent(share, digits=1):
    """A share as the page shows it (pct())."""
    return f"{int(share * 100 * 10 ** digits + 0.5) / 10 ** digits:,.{digits}f} %"


def spread(s, form=grouped):
    """A P10/P50/P90 as the page shows it: the median, and the P10–P90 when they differ."""
    if not s:
        return "–"
    # A spread that rounds to one figure is written once.
    a, b, c = form(s["p10"]), form(s["p50"]), form(s["p90"])
    return b if a == c else f"{b} ({a}–{c})"


def year_row(y):
    """A row of the page's year table for one year of simulation.json."""
    return [str(y["year"]), grouped(y["added_m2"]),
            *[spread(y["occupancy_by_stage"].get(st), lambda x: percent(x, 0)) for st in STAGES],
            spread(y["firms"]), spread(y["queue"]),
            f"{grouped(y['graduates_housed']['p50'])} / {grouped(y['graduates_lost']['p50'])}", spread(y["high_tech_firms"])]


def jam_row(j):
    """A row of the page's jams table for one jam of simulation.json."""
    return [str(j["year"]), j["stage"], ", ".join(j["carrier_types"]), percent(j["occupancy"]), grouped(j["unmet_m2"]),
            grouped(j["graduates_lost"]), ", ".join(j["full_carriers"][:4]) or "new space"]


def simulate_in_the_page(driver, to, runs, seed, scenario=""):
    """The tab's form filled and run; returns once the page shows the headlines or an error."""
    from selenium.webdriver.support.ui import Select
    for field, value in [("simulation-to", to), ("simulation-runs", runs), ("simulation-seed", seed)]:
        box = driver.find_element("id", field)
        box.clear()
        box.send_keys(value)
    Select(driver.find_element("id", "simulation-scenario")).select_by_value(scenario)
    driver.find_element("id", "simulation-run").click()
    # The click clears the last result and disables the button until the run has ended.
    wait_for(driver, "return !document.getElementById('simulation-run').disabled"
                     " && !!(document.getElementById('simulation-jams') || document.querySelector('#simulation-status .error'))", timeout=120)


def open_the_tab(driver):
    on_the_sample(driver)
    driver.find_element("css selector", '#tabs button[data-tab="simulation"]').click()
    wait_for(driver, "return document.querySelectorAll('#simulation-scenario option').length > 1")


def shown_tables(driver):
    """The result's tables as the page shows them: for each, its rows' cells (the heading row left out)."""
    return driver.execute_script("""
        return [...document.querySelectorAll('#simulation table')].map((t) => ({ scrolls: !!t.closest('.scroll'),
          rows: [...t.querySelectorAll('tr')].slice(1).map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)) }));
    """)


def test_the_page_serves_its_simulation_module():
    # main.js imports ./simulation.js: were it not served, no module of the page would run.
    request = urllib.request.Request(needs(SAMPLE_URL) + "/simulation.js")
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            status, type = response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, type = error.code, error.headers.get("Content-Type", "")
    assert status == 200 and type.startswith("text/javascript"), f"GET /simulation.js: {status} {type}"


def test_the_simulation_tab_shows_the_run_the_api_returns(driver):
    open_the_tab(driver)
    _, config = api("/api/config")
    _, shipped = api("/api/supply/scenarios")
    if not driver.find_element("id", "simulation-status").text:  # the tab not yet run in this page
        assert driver.find_element("id", "simulation-to").get_attribute("value") == str(config["as_of_year"] + 9)
    options = [(o.get_attribute("value"), o.text) for o in driver.find_elements("css selector", "#simulation-scenario option")]
    assert options[0] == ("", "(no new space)")
    assert [v for v, _ in options[1:]] == [s["file"] for s in shipped["scenarios"]]

    simulate_in_the_page(driver, "2024", "5", "3", "rent-buy-convert-build.json")
    mine = simulated(NO_JAM)
    assert mine["status"] == "done" and mine["kind"] == "simulate"
    s = mine["result"]["simulation"]
    assert s["runs"] == 5 and s["seed"] == 3 and [y["year"] for y in s["years"]] == [2022, 2023, 2024]
    # The page's run (its charts are its files), as GET /api/runs/{id} gives it: the same figures.
    ladder = driver.find_element("css selector", 'img.chart[data-file="maps/ladder.svg"]').get_attribute("src")
    page_run = re.search(r"/api/runs/([^/]+)/files/maps/ladder\.svg$", ladder).group(1)
    status, theirs = api(f"/api/runs/{page_run}")
    assert status == 200 and theirs["status"] == "done" and page_run != mine["id"]
    assert theirs["result"]["simulation"] == s

    headlines = [p.text for p in driver.find_elements("css selector", "#simulation-status p")]
    assert headlines == theirs["result"]["headlines"]
    assert headlines[1:] == mine["result"]["headlines"][1:]  # the first says how long the run took
    assert headlines[0].startswith("5 runs, 2022–2024, in ")
    figure = driver.find_element("id", "simulation-jams")
    assert int(figure.get_attribute("data-jams")) == len(s["jams"]) == 0  # the new space keeps the ladder moving
    assert figure.text == "the ladder does not jam"
    assert "It does not jam" in driver.find_element("id", "simulation-no-jam").text

    tables = shown_tables(driver)
    assert [t["scrolls"] for t in tables] == [True]  # the year table, no jams table
    assert tables[0]["rows"] == [year_row(y) for y in s["years"]]
    panel = driver.find_element("id", "simulation").text
    assert f"Graduates kept over the years: {spread(s['graduates_housed'])}; lost for lack of space: {spread(s['graduates_lost'])}." in panel
    assert "Year by year (P50, P10–P90 over 5 runs)" in panel
    # The named links (the charts are links too, to open them at full size).
    links = driver.execute_script("return [...document.querySelectorAll('#simulation a')].filter((a) => !a.querySelector('img')).map((a) => a.textContent)")
    assert links == [f for f in theirs["files"] if not f.startswith("runs/")]
    assert "and 5 run files (runs/run-NNNN.csv)" in panel

    # The three charts load (an image the server did not give has no natural width).
    assert [i.get_attribute("data-file") for i in driver.find_elements("css selector", "img.chart")] == CHARTS
    wait_for(driver, "return [...document.querySelectorAll('img.chart')].every((i) => i.complete)")
    loaded = driver.execute_script("return [...document.querySelectorAll('img.chart')].map((i) => [i.dataset.file, i.naturalWidth])")
    assert all(width > 0 for _, width in loaded), loaded
    driver.execute_script("document.querySelector('img.chart').scrollIntoView()")
    screenshot(driver, "workbench-simulation.png")
    driver.execute_script("document.getElementById('right').scrollTop = 0")


def test_a_jammed_ladder_rings_its_full_carriers_on_the_map(driver):
    open_the_tab(driver)
    mine = simulated(JAM)
    jams = mine["result"]["simulation"]["jams"]
    full = {c for j in jams for c in j["full_carriers"]}
    carriers = driver.execute_script(
        "return Object.fromEntries(window.workbench.data.carriers.features.filter((f) => f.geometry).map((f) => [f.properties.id, f.properties.name]))")
    assert jams and full and full <= set(carriers), (jams, sorted(carriers))

    simulate_in_the_page(driver, "2025", "3", "3")
    figure = driver.find_element("id", "simulation-jams")
    assert int(figure.get_attribute("data-jams")) == len(jams)
    assert figure.text == mine["result"]["headlines"][1] and figure.text.startswith("the ladder jams: ")
    assert not driver.find_elements("id", "simulation-no-jam")
    tables = shown_tables(driver)
    assert [t["scrolls"] for t in tables] == [False, True]
    assert tables[0]["rows"] == [jam_row(j) for j in jams]
    assert tables[1]["rows"] == [year_row(y) for y in mine["result"]["simulation"]["years"]]

    # On the map: a ring round each full carrier, in the style's jam outline, its tooltip its years.
    wait_for(driver, "const w = window.workbench; return !!w.layers.jams && w.counts.jams === %d" % len(full))
    drawn = driver.execute_script("""
        const out = [];
        window.workbench.layers.jams.eachLayer((l) => out.push({ name: l.getTooltip().getContent(), className: l.options.className,
          colour: l.options.color, weight: l.options.weight, fill: l.options.fill }));
        return out;
    """)
    outline = driver.execute_script("return window.workbench.style.time_chart.jam_outline")
    assert all(d["className"] == "jam" and d["colour"] == outline["colour"] and d["weight"] == outline["width"] and not d["fill"] for d in drawn)
    years = lambda c: ", ".join(f"{j['year']} ({j['stage']})" for j in jams if c in j["full_carriers"])
    assert sorted(d["name"] for d in drawn) == sorted(f"{carriers[c]}: full when its rung jams, {years(c)}" for c in full)
    layer = driver.find_element("css selector", '#layer-list [data-layer="jams"]')
    assert layer.find_element("css selector", "input").is_selected()
    assert layer.find_element("css selector", ".count").text == f"{len(full):,}"

    # The map framed on the rings: the canvas shows each ring's colour on its outline, left, right, top and bottom.
    driver.execute_script("""
        const w = window.workbench;
        w.map.fitBounds(L.featureGroup(w.layers.jams.getLayers()).getBounds(), { padding: [60, 60], maxZoom: w.fitZoom + 1, animate: false });
    """)
    jam = tuple(int(outline["colour"][i:i + 2], 16) for i in (1, 3, 5))
    painted = wait_for(driver, """
        const w = window.workbench, canvas = w.renderer._container, ratio = canvas.width / canvas.getBoundingClientRect().width;
        if (!w.layers.jams || !w.map.hasLayer(w.layers.jams)) return false;
        const map = w.map.getContainer().getBoundingClientRect(), box = canvas.getBoundingClientRect(), context = canvas.getContext('2d');
        const wanted = %s, rings = [];
        w.layers.jams.eachLayer((l) => {
          const p = w.map.latLngToContainerPoint(l.getLatLng()), r = l.getRadius();
          rings.push([[r, 0], [-r, 0], [0, r], [0, -r]].map(([dx, dy]) =>
            [...context.getImageData(Math.floor((p.x + dx + map.left - box.left) * ratio), Math.floor((p.y + dy + map.top - box.top) * ratio), 1, 1).data]));
        });
        const near = (c) => c.slice(0, 3).every((v, k) => Math.abs(v - wanted[k]) <= 24);
        return rings.length && rings.every((ring) => ring.every(near)) && rings;
    """ % json.dumps(jam), timeout=20)
    assert len(painted) == len(full)
    screenshot(driver, "workbench-simulation-jams.png")


def test_a_last_year_not_after_the_datas_shows_the_servers_message(driver):
    open_the_tab(driver)
    mine = simulated("to=2021&runs=5&seed=1")
    assert mine["status"] == "failed" and "is not after the year the simulation starts from" in mine["error"]
    simulate_in_the_page(driver, "2021", "5", "1")
    shown = driver.find_element("css selector", "#simulation-status .error").text
    assert shown == mine["error"]
    assert driver.find_element("id", "simulation").text == ""
    assert not driver.find_elements("id", "simulation-jams")
    assert driver.find_element("id", "simulation-run").is_enabled()
