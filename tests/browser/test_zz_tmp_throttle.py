import re
import pytest
from playwright.sync_api import expect
from tests.browser.test_login import sign_in
from tests.factories import PASSWORD
from tests.browser.test_map import map_world, map_day  # noqa

pytestmark = [pytest.mark.browser]

INIT = """
window.__log = [];
const t0 = performance.now();
function log(m){ window.__log.push(Math.round(performance.now()-t0) + ' ' + m); }
new MutationObserver(ms => ms.forEach(m => {
  if (m.type === 'attributes' && m.attributeName === 'class' && m.target.classList &&
      (m.target.id === 'checkin-map' || m.target.classList.contains('leaflet-map-pane')))
    log((m.target.id || 'pane') + ' class=' + m.target.className);
  if (m.type === 'attributes' && m.attributeName === 'data-map-loaded') log('loaded=' + m.target.dataset.mapLoaded);
  if (m.type === 'childList') { m.addedNodes.forEach(n => n.classList && n.classList.contains('leaflet-marker-icon') && log('+ ' + n.className));
                               m.removedNodes.forEach(n => n.classList && n.classList.contains('leaflet-marker-icon') && log('- ' + n.className)); }
})).observe(document, {subtree: true, attributes: true, childList: true, attributeFilter: ['class', 'data-map-loaded']});
['mousedown','mouseup','click','pointerdown'].forEach(t => document.addEventListener(t, e => log(t + ' ' + e.clientX + ',' + e.clientY + ' on ' + (e.target.className && e.target.className.baseVal === undefined ? e.target.className : e.target.tagName)), true));
document.addEventListener('DOMContentLoaded', () => {
  const pin = () => document.querySelector('.map-pin-accepted');
  (function f(){ const p = pin(); if (p) { const r = p.getBoundingClientRect(); log('pin ' + Math.round(r.x) + ',' + Math.round(r.y)); } if (performance.now()-t0 < 3000) requestAnimationFrame(f); })();
});
"""

@pytest.mark.parametrize("n", range(12))
def test_click(n, new_page, live_server, map_day, settings):
    settings.SIGAP_MAP_TILE_URL = ""
    page = new_page()
    page.add_init_script(INIT)
    sign_in(page, map_day.hr_user.username, PASSWORD)
    page.goto("/peta/")
    expect(page.locator("body[data-map-loaded='4']")).to_have_count(1)
    expect(page.locator("#checkin-map .map-pin")).to_have_count(1)
    page.locator("#checkin-map .map-pin-accepted").first.click()
    try:
        expect(page.locator(".leaflet-popup-content")).to_contain_text("Staf B")
    except AssertionError:
        print("\n".join(page.evaluate("window.__log")))
        raise

def test_timeline(new_page, live_server, map_day, settings):
    settings.SIGAP_MAP_TILE_URL = ""
    page = new_page()
    page.add_init_script(INIT)
    sign_in(page, map_day.hr_user.username, PASSWORD)
    page.goto("/peta/")
    expect(page.locator("body[data-map-loaded='4']")).to_have_count(1)
    page.wait_for_timeout(1500)
    print("\n".join(page.evaluate("window.__log")))
