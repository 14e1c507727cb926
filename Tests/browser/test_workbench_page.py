"""The workbench page in a real browser, as a planner uses it: the sample district's map,
a building clicked, a theme switched, an allocation run."""
from conftest import REAL_URL, SAMPLE_URL, needs, screenshot

WAIT = 60


def wait_for(driver, script, timeout=WAIT):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script(script))


def on_the_sample(driver):
    """The sample's page, loaded once and drawn (each test may also run alone, with -k)."""
    url = needs(SAMPLE_URL)
    if not driver.current_url.startswith(url):
        driver.get(url + "/")
    return wait_for(driver, "const w = window.workbench; return !!(w && w.counts && w.layers.buildings) && w.counts.buildings")


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
