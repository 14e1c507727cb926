"""Shared set-up of the browser and GDAL tests: the servers scripts/browser-test.sh started,
and a headless Chromium driven by Debian's chromedriver. A test skips, saying why, when a
server address, chromium, chromedriver, selenium or GDAL is missing."""
import json
import os
import shutil
import urllib.error
import urllib.request

import pytest

CHROMEDRIVER = "/usr/bin/chromedriver"
SAMPLE_URL = os.environ.get("WORKBENCH_URL")
REAL_URL = os.environ.get("WORKBENCH_REAL_URL")
# A platform server (serve --store) with the people scripts/browser-test.sh adds.
PLATFORM_URL = os.environ.get("WORKBENCH_PLATFORM_URL")
SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS", "out/browser")


def needs(url, what="the sample district"):
    if not url:
        pytest.skip(f"no server for {what}: run scripts/browser-test.sh, which starts spaceplan serve")
    return url.rstrip("/")


def browser_or_skip():
    if not os.path.exists(CHROMEDRIVER):
        pytest.skip(f"{CHROMEDRIVER} is absent: apt-get install chromium-driver")
    if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
        pytest.skip("chromium is absent: apt-get install chromium")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is absent: pip install 'selenium==4.51.*'")


def new_driver():
    """A headless Chromium whose page is 1280×800 (skips when there is none)."""
    browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
                     "--hide-scrollbars", "--lang=zh-CN"]:
        options.add_argument(argument)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Headless Chromium counts its own frame in the window: make the page itself 1280×800.
    d.set_window_size(1280, 800)
    inner = d.execute_script("return [window.innerWidth, window.innerHeight]")
    d.set_window_size(1280 + 1280 - inner[0], 800 + 800 - inner[1])
    return d


@pytest.fixture(scope="session")
def driver():
    d = new_driver()
    yield d
    d.quit()


def screenshot(driver, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, name)
    driver.save_screenshot(path)
    print(f"screenshot: {path}")
    return path


WAIT = 60


def wait_for(driver, script, timeout=WAIT):
    """Waits until the page's script returns something true, and gives it."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script(script))


def on_the_sample(driver):
    """The sample's page, loaded once and drawn (each test may also run alone, with -k)."""
    url = needs(SAMPLE_URL)
    if not driver.current_url.startswith(url):
        driver.get(url + "/")
    return wait_for(driver, "const w = window.workbench; return !!(w && w.counts && w.layers.buildings) && w.counts.buildings")


def api(path, method="GET"):
    """The server's JSON answer, and its status (a 4xx answer is read, not raised)."""
    request = urllib.request.Request(needs(SAMPLE_URL) + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def grouped(x):
    """A number as the page shows it (num(): rounded half away from zero, grouped in thousands)."""
    return f"{int(x + 0.5):,}"
