"""The status page of `hub serve` in a real browser: Debian's chromium, headless, driven over
WebDriver (selenium with Debian's chromedriver) against the real `hub serve` process on a real
mosquitto, all on 127.0.0.1. A command typed in the page's box and sent reaches the broker; the
page's own script draws the wake-word graph from /api/wake_scores; a screenshot is kept in the
test's temporary folder (its path is printed).

Skipped, saying why, only where chromium or its driver is not installed (scripts/install.sh
--test and CI install both)."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest

from test_serve_timers import ServeProcess

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1400")
"""Headless on a machine with no display and no network but loopback: nothing is fetched from elsewhere."""


@pytest.fixture(scope="module")
def served(module_broker):
    hub = ServeProcess(ROOT / "config.yaml", module_broker)
    try:
        yield hub
    finally:
        hub.kill()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")  # a new, empty profile
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG file's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is no PNG"
    return struct.unpack(">II", head[16:24])


def test_a_command_typed_in_the_page_reaches_the_broker(served, browser, module_broker, collector, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    blinds = collector(module_broker, "zigbee2mqtt/living_blinds/set")
    browser.get(served.url + "/")
    assert browser.title == "Maple House Hub"
    assert "connected" in browser.find_element(By.ID, "hub-state").text
    # the page's script has fetched /api/wake_scores and said what it found
    WebDriverWait(browser, 30).until(lambda b: "no microphone" in b.find_element(By.ID, "wake-note").text)

    box = browser.find_element(By.NAME, "text")
    box.send_keys("close the blinds")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # the form posts to / and the hub answers 303 back to the page, which now lists the command
    WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.ID, "recent"))
    row = browser.find_element(By.CSS_SELECTOR, "#recent tr:nth-child(2)").text
    assert "close the blinds" in row and "zigbee2mqtt/living_blinds/set" in row and "page" in row, row
    assert json.loads(blinds.wait_for(1)[0].payload) == {"state": "CLOSE"}

    shot = tmp_path / "status_page.png"
    assert browser.save_screenshot(str(shot))
    width, height = png_size(shot)
    assert width >= 800 and height >= 600
    print(f"screenshot: {shot}")
