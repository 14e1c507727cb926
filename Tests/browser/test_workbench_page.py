"""The workbench page in a real browser, as a planner uses it: the sample district's map,
a building clicked, a theme switched, an allocation run, the path-to-target programme."""
import json
import urllib.request

from conftest import api, grouped, REAL_URL, SAMPLE_URL, WAIT, needs, on_the_sample, screenshot, wait_for


def test_the_sample_map_draws_every_building(driver):
    drawn = on_the_sample(driver)
    assert drawn == 3000
    assert driver.execute_script("return window.workbench.data.buildings.generalised") is None
    count = driver.find_element("css selector", '#layer-list [data-layer="buildings"] .count').text
    assert count == "3,000"
    assert "2023 target 1,000,000 m²" in driver.find_element("id", "trajectory-text").text


def test_clicking_a_building_fills_the_inspector(driver):
    on_the_sample(driver)
    from selenium.webdriver.common.action_chains import ActionChains
    # The largest footprint in view, clicked at its centre on the map's canvas.
    target = driver.execute_script("""
        const w = window.workbench, map = w.map;
        let best = null, area = 0;
        w.layers.buildings.eachLayer((l) => {
          const b = l.getBounds(), p0 = map.latLngToContainerPoint(b.getSouthWest()), p1 = map.latLngToContainerPoint(b.getNorthEast());
          const a = Math.abs((p1.x - p0.x) * (p1.y - p0.y));
          if (a > area) { area = a; best = l; }
        });
        const p = map.latLngToContainerPoint(best.getCenter());
        const size = map.getSize();
        return { id: best.feature.properties.id, x: p.x - size.x / 2, y: p.y - size.y / 2 };
    """)
    map_element = driver.find_element("id", "map")
    ActionChains(driver).move_to_element_with_offset(map_element, int(target["x"]), int(target["y"])).click().perform()
    wait_for(driver, "const h = document.getElementById('inspected-building'); return h && h.textContent")
    inspector = driver.find_element("id", "inspector").text
    assert target["id"] in inspector
    assert "Parcel 地块" in inspector or "On no parcel" in inspector
    assert "floor area 建筑面积" in inspector and "vacant 空置" in inspector
    answer = driver.execute_script("return window.workbench.inspected.building")
    assert answer["id"] == target["id"]
    screenshot(driver, "workbench-sample.png")


def test_switching_the_theme_recolours_the_sub_districts(driver):
    on_the_sample(driver)
    driver.find_element("css selector", 'input[name="theme"][value="vacancy"]').click()
    wait_for(driver, "const t = window.workbench.themeInfo; return !!(t && t.theme === 'vacancy' && window.workbench.layers['zone-fills'])")
    legend = driver.find_element("id", "legend").text
    assert "Vacancy rate of floor area by sub-district 空置率" in legend
    assert legend.count(" %") >= 5
    fills = driver.execute_script("""
        const out = new Set();
        window.workbench.layers['zone-fills'].eachLayer((l) => { if (l.feature.properties.kind === 'subdistrict') out.add(l.options.fillColor); });
        return [...out];
    """)
    legend_colours = driver.execute_script("return window.workbench.themeInfo.legend.map((e) => e.colour)")
    assert len(fills) >= 3 and set(fills) <= set(legend_colours)
    driver.find_element("css selector", 'input[name="theme"][value="space"]').click()
    wait_for(driver, "return window.workbench.themeInfo.theme === 'space'")


def test_the_vacancy_legend_the_page_draws_is_the_servers(driver):
    on_the_sample(driver)
    driver.find_element("css selector", 'input[name="theme"][value="vacancy"]').click()
    wait_for(driver, "const t = window.workbench.themeInfo; return !!(t && t.theme === 'vacancy')"
                     " && !!document.querySelector('#legend .legend-section[data-layer=\"choropleth\"]')")
    query = driver.execute_script(
        "return `classification=${document.getElementById('classification').value}&classes=${document.getElementById('classes').value}`")
    assert query == "classification=fisher-jenks&classes=5"
    with urllib.request.urlopen(f"{SAMPLE_URL.rstrip('/')}/api/themes/vacancy?{query}") as answer:
        served = json.load(answer)
    drawn = driver.execute_script("""
        return [...document.querySelectorAll('#legend .legend-section')].map((s) => ({
          layer: s.dataset.layer, title: s.querySelector('h4').textContent,
          entries: [...s.querySelectorAll('.legend-entry')].map((e) => ({
            label: e.textContent, colour: e.dataset.colour, painted: getComputedStyle(e.querySelector('.swatch')).backgroundColor })) }));
    """)
    assert [(s["layer"], s["title"], [(e["label"], e["colour"]) for e in s["entries"]]) for s in drawn] == \
        [(s["layer"], s["title"], [(e["label"], e["colour"]) for e in s["entries"]]) for s in served["sections"]]
    # The choropleth's five classes in ColorBrewer's YlOrRd, each swatch painted in its colour.
    classes = drawn[0]["entries"]
    assert [e["colour"] for e in classes] == ["#FFFFB2", "#FEB24C", "#FD8D3C", "#E31A1C", "#B10026"]
    rgb = lambda h: "rgb(%d, %d, %d)" % tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
    assert [e["painted"] for e in classes] == [rgb(e["colour"]) for e in classes]
    assert drawn[-1]["title"] == "Zones 分区" and drawn[0]["title"] == "Vacant / gross floor area (fisher-jenks, 5 classes)"
    driver.find_element("css selector", 'input[name="theme"][value="space"]').click()
    wait_for(driver, "return window.workbench.themeInfo.theme === 'space'")


def test_an_allocation_places_the_firms_the_command_line_places(driver):
    on_the_sample(driver)
    from selenium.webdriver.support.ui import Select
    driver.find_element("css selector", '#tabs button[data-tab="allocation"]').click()
    Select(driver.find_element("id", "solver")).select_by_value("heuristic")
    driver.find_element("id", "allocation-run").click()
    wait_for(driver, "return document.getElementById('placed-count')", timeout=120)
    placed = driver.find_element("id", "placed-count")
    assert placed.get_attribute("data-placed") == "240" and placed.get_attribute("data-firms") == "400"
    assert "Placed 240 of 400 firms" in placed.text
    assert "no_capacity" in driver.find_element("id", "allocation").text
    assert driver.execute_script("return window.workbench.counts.allocation") > 0
    screenshot(driver, "workbench-allocation.png")


def test_the_target_tab_shows_the_programme_the_api_returns_and_highlights_its_sites(driver):
    on_the_sample(driver)
    driver.find_element("css selector", '#tabs button[data-tab="target"]').click()
    driver.find_element("id", "target-budget").clear()
    driver.find_element("id", "target-run").click()
    wait_for(driver, "return document.getElementById('target-progress') || document.getElementById('target-reached')")
    wait_for(driver, "return document.getElementById('target-reached') || document.querySelector('#target-status .error')", timeout=600)
    # The run the page started, as GET /api/runs/{id} gives it (the result of its POST /api/target).
    run_id = driver.execute_script("return window.workbench.target.run.id")
    status, run = api(f"/api/runs/{run_id}")
    assert status == 200 and run["kind"] == "target" and run["status"] == "done"
    target = run["result"]["target"]
    projects = target["projects"]
    last = target["milestones"][-1]
    assert projects and target["reaches_every_target"]  # the sample reaches every target at buildout.json's budget

    figure = driver.find_element("id", "target-reached")
    assert float(figure.get_attribute("data-reached")) == last["stock_m2"]
    assert float(figure.get_attribute("data-target")) == last["target_m2"]
    assert int(figure.get_attribute("data-projects")) == len(projects)
    assert f"{last['year']}: {grouped(last['stock_m2'])} m² of the {grouped(last['target_m2'])} m² target" in figure.text
    assert "reached" in figure.text
    chosen = driver.find_element("id", "target-projects").text
    assert chosen.startswith(f"{len(projects):,} of {target['candidates']:,} candidates")
    # The command line's headline says the same count (Headlines.target, as `spaceplan target` prints it).
    assert f"{len(projects)} projects of {target['candidates']}" in run["result"]["headlines"][0]
    assert grouped(target["discounted_cost_yuan"]) + " yuan" in driver.find_element("id", "target-cost").text
    panel = driver.find_element("id", "target").text
    for m in target["milestones"]:
        assert f"{m['year']} {grouped(m['target_m2'])} {grouped(m['stock_m2'])}" in panel
    for variant in target["sensitivity"]:
        assert variant["label"] in panel

    rows = driver.find_elements("css selector", "#target-projects-table tr[data-project]")
    assert len(rows) == len(projects)
    by_space = sorted(projects, key=lambda p: (-p["tech_m2"], p["id"]))
    assert rows[0].get_attribute("data-project") == by_space[0]["id"]  # ranked by the space added
    driver.find_element("css selector", '#target-projects-table th[data-sort="discounted_cost_yuan"]').click()
    first = driver.find_element("css selector", "#target-projects-table tr[data-project]")
    dearest = max(projects, key=lambda p: p["discounted_cost_yuan"])
    assert first.get_attribute("data-project") == dearest["id"] and grouped(dearest["discounted_cost_yuan"]) in first.text
    modes = {m["id"]: m["label"] for m in run["result"]["modes"]}
    legend = driver.find_element("id", "legend").text
    assert all(modes[p["mode"]] in legend for p in projects)

    # The page framed the district: every chosen building is drawn, outlined in its mode's colour.
    buildings = {b for p in projects for b in p["building_ids"]}
    wait_for(driver, "return window.workbench.counts.target === %d" % len(buildings))
    drawn = driver.execute_script("""
        const ids = [];
        window.workbench.layers.target.eachLayer((l) => ids.push(l.feature.properties.id));
        return ids;
    """)
    assert len(drawn) == len(buildings) and set(drawn) == buildings
    assert driver.find_element("css selector", '#layer-list [data-layer="target"] .count').text == f"{len(buildings):,}"

    # A row clicked frames its project: the map zooms in and outlines its buildings.
    allocation = driver.find_element("css selector", '#layer-list [data-layer="allocation"] input')
    if allocation.is_selected():
        allocation.click()  # the allocation's carriers (an earlier test) would cover the sites
    top = by_space[0]
    driver.find_element("css selector", f'#target-projects-table tr[data-project="{top["id"]}"]').click()
    wait_for(driver, """
        const w = window.workbench, wanted = new Set(%s);
        let outlined = 0;
        if (w.layers.target) w.layers.target.eachLayer((l) => { if (wanted.has(l.feature.properties.id) && l.options.weight === 3) outlined++; });
        return outlined === wanted.size && w.map.getZoom() > w.fitZoom;
    """ % json.dumps(top["building_ids"]))
    assert "selected" in driver.find_element("css selector", f'#target-projects-table tr[data-project="{top["id"]}"]').get_attribute("class")
    driver.execute_script("document.getElementById('right').scrollTop = 0")
    screenshot(driver, "workbench-target.png")


def test_a_bad_budget_shows_the_servers_message(driver):
    on_the_sample(driver)
    driver.find_element("css selector", '#tabs button[data-tab="target"]').click()
    for budget in ["-5", "lots"]:
        status, answer = api(f"/api/target?budget={budget}", method="POST")
        assert status == 400 and "budget must be a non-negative number" in answer["error"]
        field = driver.find_element("id", "target-budget")
        field.clear()
        field.send_keys(budget)
        driver.find_element("id", "target-run").click()
        shown = wait_for(driver, "const e = document.querySelector('#target-status .error'); return e && e.textContent.includes(%s) && e.textContent"
                         % json.dumps(f"'{budget}'"))
        assert shown == answer["error"]
        assert driver.find_element("id", "target").text == ""
    driver.find_element("id", "target-budget").clear()


def test_the_renewal_tab_ranks_the_shipped_proposals_with_each_check(driver):
    on_the_sample(driver)
    driver.find_element("css selector", '#tabs button[data-tab="renewal"]').click()
    wait_for(driver, "return document.querySelectorAll('#renewal details[data-proposal]').length === 5")
    ranked = [e.get_attribute("data-proposal") for e in driver.find_elements("css selector", "#renewal details[data-proposal]")]
    assert ranked == ["BGL-03", "CGM-02", "ML-05", "HT-01", "HQB-04"]
    tower = driver.find_element("css selector", '#renewal details[data-proposal="HQB-04"]')
    tower.find_element("tag name", "summary").click()
    checks = tower.find_element("css selector", ".units table").text
    assert "fails checks" in tower.text and "far_cap 6.500 5.000 fail" in checks
    assert len(tower.find_elements("css selector", "img")) == 2  # the unit before and after
    assert driver.execute_script("return window.workbench.counts['renewal-units']") == 7


def test_a_scenario_edited_in_the_form_reruns_with_its_edit(driver):
    on_the_sample(driver)
    driver.find_element("css selector", '#tabs button[data-tab="supply"]').click()
    wait_for(driver, "return document.querySelectorAll('#scenario-list input[type=checkbox]').length === 3")
    driver.find_element("id", "supply-run").click()
    wait_for(driver, "return window.workbench.supply && window.workbench.supply.scenarios.length === 3")
    before = driver.execute_script("return window.workbench.supply.scenarios.map((s) => s.milestones[1].stock_m2)")
    files = driver.execute_script("return window.workbench.scenarios.map((s) => s.file)")
    k = files.index("rent-buy-convert-build.json")
    driver.find_elements("css selector", "#scenario-list button")[k].click()
    editor = driver.find_element("id", "scenario-editor")
    event = [e for e in editor.find_elements("css selector", "details.scenario-event") if "buy-2022" in e.text][0]
    area = event.find_element("css selector", 'input[data-field="floor_area_m2"]')
    area.clear()
    area.send_keys("160000\t")
    [b for b in editor.find_elements("tag name", "button") if "rerun" in b.text][0].click()
    wait_for(driver, "return window.workbench.supply && window.workbench.supply !== null && document.querySelector('#scenario-list label').textContent.length > 0"
                     " && document.querySelectorAll('#scenario-list label')[%d].textContent.includes('(edited)')" % k)
    wait_for(driver, "return window.workbench.supply.scenarios[%d].milestones[1].stock_m2 !== %r" % (k, before[k]))
    after = driver.execute_script("return window.workbench.supply.scenarios.map((s) => s.milestones[1].stock_m2)")
    assert abs(after[k] - before[k] - 80000) < 1  # the 2022 purchase doubled
    assert [a for i, a in enumerate(after) if i != k] == [b for i, b in enumerate(before) if i != k]
    assert "gap" in driver.find_element("id", "supply").text
    screenshot(driver, "workbench-supply.png")


def test_the_real_futian_layers_draw_without_buildings(driver):
    url = needs(REAL_URL, "GIS/futian-real")
    driver.get(url + "/")
    wait_for(driver, "const w = window.workbench; return !!(w && w.counts && w.layers.roads && w.layers.parcels) && w.counts.parcels")
    counts = driver.execute_script("return window.workbench.counts")
    assert counts["parcels"] == 611 and counts["roads"] > 1000
    assert "Futian District" in driver.find_element("id", "district").text
    screenshot(driver, "workbench-futian-real.png")
