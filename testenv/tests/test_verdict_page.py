"""The verdict page as people see it, end to end: four runs of a staging app through the real
binary (small changes, a fingerprint that changes, long check names, long Decimal128 sums and
text values, a warn-only check, fifteen checks), then the last run's verdict.html from S3 laid
out by headless Chromium at 1024 and 1440 px: nothing may leave the window or its table cell.
Also the fingerprint row's history, each row's rule, severity and change, and the links to the
reports, which must lead to objects that exist next to the page in the bucket.

The screenshots are kept in $TESTENV_RUN/screens/ for a person to look at."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import urllib.parse
import uuid
from decimal import Decimal, localcontext
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bson.decimal128 import Decimal128

from conftest import App

PROBE = Path(__file__).with_name("overflow_probe.js")
XHTML = "{http://www.w3.org/1999/xhtml}"
LONG_NAME = "paid-orders-placed-by-returning-customers-during-the-autumn-promotion-with-a-loyalty-discount"
UNBROKEN_NAME = "PaidOrdersTotalAmountIncludingTaxesTipsAndServiceChargesAcrossAllLocations"
LONG_EMAIL = "a-guest-who-registered-with-a-very-long-address-for-the-loyalty-programme@catering-and-events.example.com"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--no-first-run", "--metrics-recording-only", "--hide-scrollbars",
                  "--disable-features=Translate,MediaRouter,OptimizationHints"]


def checks_file(app: App, ledger: str) -> str:
    orders, registrations = app.orders.name, app.registrations.name
    return f"""checks:
  - name: {LONG_NAME}
    kind: count
    collection: {orders}
    filter: {{status: paid}}
    rule: no-decrease
  - name: revenue
    kind: sum
    collection: {orders}
    field: total
    rule: tolerance
    tolerance: 1%
  - name: {UNBROKEN_NAME}
    kind: sum
    collection: {orders}
    filter: {{status: paid}}
    field: total
    rule: no-decrease
  - name: open-orders
    kind: count
    collection: {orders}
    filter: {{status: open}}
    rule: no-increase
    severity: warn
  - name: orders-content
    kind: fingerprint
    collection: {orders}
    fields: [n, status, total]
  - name: statuses
    kind: distinct-count
    collection: {orders}
    field: status
  - name: largest-order
    kind: max
    collection: {orders}
    field: total
  - name: first-guest
    kind: min
    collection: {registrations}
    field: email
  - name: orders-estimate
    kind: estimated-count
    collection: {orders}
    severity: warn
  - name: ledger-balance
    kind: sum
    collection: {ledger}
    field: amount
  - name: ledger-entries
    kind: count
    collection: {ledger}
  - name: ledger-smallest-entry
    kind: min
    collection: {ledger}
    field: amount
"""


@pytest.fixture(scope="module")
def site(stack, tmp_path_factory):
    """Four runs r0..r3 of one app: r0 passes, r1 loses an order, r2 changes one, r3 adds an order
    and a tiny ledger entry. Yields the app and r3's page."""
    app = App(stack, "t-" + uuid.uuid4().hex[:8], tmp_path_factory.mktemp("page"))
    ledger = app.db[f"{app.name}-ledger-entries-archived-by-the-nightly-reconciliation-job"]
    try:
        ledger.insert_many([{"amount": Decimal128(f"1234567890123456789012{i:02d}.5678901")} for i in range(30)])
        app.registrations.insert_one({"email": LONG_EMAIL})
        app.checks(checks_file(app, ledger.name))
        app.env["TASTER_COLLECTIONS"] += "," + ledger.name
        changes = [
            lambda: None,
            lambda: app.orders.delete_one({"n": 5}),
            lambda: app.orders.update_one({"n": 6}, {"$set": {"status": "open"}}),
            lambda: (app.orders.insert_one({"n": 1000, "status": "paid", "total": Decimal128("0.10")}),
                     ledger.insert_one({"amount": Decimal128("0.0000001")})),
        ]
        for index, change in enumerate(changes):
            pre = app.run("pre-taste", env={"TASTER_RUN_ID": f"r{index}"})
            assert pre.returncode == 0, pre
            change()
            post = app.run("post-taste")
            assert post.returncode == (0 if index == 0 else 1), post
        page = app.objects()[f"{app.prefix}/runs/r3/verdict.html"].decode()
        yield app, page
        hits = app.scan()
        assert hits == [], f"secrets leaked: {hits}"
    finally:
        app.db.drop_collection(app.orders.name)
        app.db.drop_collection(app.registrations.name)
        app.db.drop_collection(ledger.name)
        app.control.reset(app.name)


def chromium(*args: str, profile: Path) -> str:
    binary = shutil.which("chromium")
    assert binary, "chromium is not installed (make test installs Debian's package)"
    done = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=180)
    return done.stdout


def probe(page: str, width: int, tmp: Path) -> dict:
    """Lays the page out at `width` px with the probe appended; returns the probe's report."""
    probed = tmp / f"probed-{width}.html"
    probed.write_text(page.replace("</body>", f"<script>{PROBE.read_text()}</script></body>"))
    dom = chromium(f"--window-size={width},900", "--dump-dom", probed.as_uri(), profile=tmp / "profile")
    found = re.findall(r'<pre id="overflow-probe">(.*?)</pre>', dom, re.S)
    assert found, f"the probe did not run: {dom[:2000]}"
    return json.loads(html.unescape(found[-1]))


def screenshot(page: str, width: int, height: int, tmp: Path) -> Path:
    """A PNG of the whole page at `width` px, kept in $TESTENV_RUN/screens/ for people to look at."""
    source = tmp / f"page-{width}.html"
    source.write_text(page)
    folder = Path(os.environ.get("TESTENV_RUN", tmp)) / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"verdict-{width}.png"
    png.unlink(missing_ok=True)
    chromium(f"--window-size={width},{height}", f"--screenshot={png}", source.as_uri(), profile=tmp / "profile")
    assert png.exists() and png.stat().st_size > 0, "chromium wrote no screenshot"
    return png


@pytest.mark.parametrize("width", [1024, 1440])
def test_the_page_fits_the_window(site, width, tmp_path):
    _, page = site
    report = probe(page, width, tmp_path)
    screenshot(page, width, report["scrollHeight"] + 40, tmp_path)
    assert report["viewport"] == width, f"the layout viewport is not the window's width: {report}"
    assert report["problems"] == [], "\n".join(report["problems"])
    assert report["scrollWidth"] <= width, report
    assert report["charts"] >= 15 and report["narrowestChart"] >= 40, f"a chart was squeezed: {report}"


def rows(page: str) -> dict[str, ET.Element]:
    """The comparison table's rows by check name (the page is well-formed XML)."""
    table = ET.fromstring(page).find(f".//{XHTML}table[@id='comparison']")
    assert table is not None
    found = {}
    for row in table.iter(f"{XHTML}tr"):
        if row.get("data-check") is not None:
            found[row.get("data-check")] = row
    return found


def cell(row: ET.Element, name: str) -> ET.Element:
    found = [td for td in row.iter(f"{XHTML}td") if name in (td.get("class") or "").split()]
    assert len(found) == 1, f"no single {name} cell in {ET.tostring(row)[:400]!r}"
    return found[0]


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_every_check_has_a_history_even_a_fingerprint(site):
    _, page = site
    table = rows(page)
    assert len(table) == 15, sorted(table)
    assert "3 earlier runs" in page
    for name, row in table.items():
        history = cell(row, "history")
        assert "no history" not in text(history), f"{name}: {text(history)}"
        marks = [mark for mark in history.iter() if "mark" in (mark.get("class") or "").split()]
        assert len(marks) == 4, f"{name}: a mark for each of the 3 earlier runs and this one, got {len(marks)}"
    fingerprint = [mark.get("class") for mark in cell(table["orders-content"], "history").iter() if "mark" in (mark.get("class") or "")]
    assert fingerprint == ["mark pass", "mark fail", "mark fail", "mark fail"], "each run's own result for this check"


def test_each_row_shows_rule_severity_and_a_readable_change(site):
    app, page = site
    table = rows(page)
    assert text(cell(table["open-orders"], "severity")) == "warn"
    assert text(cell(table["revenue"], "severity")) == "fail"
    assert text(cell(table["revenue"], "rule")) == "tolerance 1%"
    # Small changes are stated, not drawn as two bars a pixel apart.
    assert "+0.50 %" in text(cell(table[app.orders.name], "change"))
    assert "+1" in text(cell(table[app.orders.name], "change"))
    ledger = text(cell(table["ledger-balance"], "change"))
    assert "+0.0000001" in ledger and "<0.01 %" in ledger, ledger
    assert text(cell(table["orders-content"], "change")) == "changed"
    # Long values are shown whole.
    with localcontext() as exact:
        exact.prec = 34
        balance = sum(Decimal(f"1234567890123456789012{i:02d}.5678901") for i in range(30)) + Decimal("0.0000001")
    assert text(cell(table["ledger-balance"], "post")) == str(balance), "a 33-digit Decimal128 sum, exact"
    assert LONG_EMAIL in text(cell(table["first-guest"], "post"))


def test_report_keys_are_links_to_objects_next_to_the_page(site):
    app, page = site
    page_key = f"{app.prefix}/runs/r3/verdict.html"
    links = {}
    for anchor in ET.fromstring(page).iter():
        href = anchor.get("href")
        if anchor.tag in (f"{XHTML}a", "{http://www.w3.org/2000/svg}a") and href:
            base = "https://bucket.invalid/" + urllib.parse.quote(page_key)
            resolved = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
            assert resolved.netloc == "bucket.invalid", f"{href} leaves the bucket"
            links[href] = urllib.parse.unquote(resolved.path[1:])
    keys = set(links.values())
    expected = {f"{app.prefix}/runs/r3/{name}" for name in ("pre.json", "post.json", "verdict.json")}
    expected |= {f"{app.prefix}/runs/r{run}/verdict.html" for run in range(3)}
    assert expected <= keys, f"missing links: {sorted(expected - keys)}"
    stored = app.objects()
    assert [key for key in keys if key not in stored] == [], f"links to objects that do not exist: {links}"
