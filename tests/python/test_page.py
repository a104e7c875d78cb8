"""The page of `cosmodrome serve` in a real browser: Debian's Chromium driven by Playwright for
Python (its own browser download cannot work here, so the browser is named by path).

    python test_page.py BASE_URL EXPECTED_PAYLOAD_KG EXPECTED_GSO_KG SCREENSHOT_DIR CHROMIUM GSO_PARKING

GSO_PARKING: the parking orbit the core resolves for GSO from Plesetsk, "perigee_km,apogee_km,inclination_deg".

Loads the page, picks Soyuz-2.1b from Vostochny to 97.5°, asks for the largest payload and checks
the figure shown is the core's (EXPECTED_PAYLOAD_KG, rounded to the kg), that the five plots and
the ground track are drawn, that the page fits a 390 px phone without scrolling sideways, that a
number field the browser cannot read and an empty payload for a flight are refused on the page
naming the field (no request sent), that the run's files download (trajectory.csv arrives with its header); starts a
Monte Carlo of 100 000 falls per body, sees its progress, sees the other job button held while it
runs (one job at a time: Enter in its field starts nothing) and cancels it; computes the drop zones
(ellipses, dropzones.geojson downloads, the card naming the payload of the ascent they fall from,
the answer card marked as an earlier run); flies 5 t to the orbit and an open-loop ascent; shows designated zones on the map;
then pastes a broken vehicle file and checks the inline error names its line, uploads one and sees the same;
flies the catalog file from the editor and sees the same payload, then a file whose solid stage's coast
the ascent chooses and sees the chosen coast; flies Angara-A5/Briz-M from Plesetsk to the
named orbit GSO and sees the core's payload (EXPECTED_GSO_KG) through a parking orbit; computes the drop zones of
that mission (the request carries the orbit, the card names the parking orbit GSO_PARKING and the bodies left in
orbit, the map draws the footprints of those that come down only); asks for the drop zones of an escape and sees
the API's answer (an error naming `orbit` in the error box, or the report); asks for Vega-C's largest payload to
a 600 km SSO and sees the elliptic profile named; draws Soyuz-2.1b's payload chart over altitudes and
inclinations (a sweep job) and checks its table against its CSV, then the chart of the editor's file flown
instead, and over two values of one parameter of that file (Vary); holds Ariane 5 ECA's argument of perigee on the
standard GTO and sees a circular orbit's refused, naming the member; computes LOX/RP-1's performance at one mixture
ratio and over a sweep (the API's figures, the chart with the optimum) and sees an unreadable ratio refused; runs the
validation and sees a row per published case and the flown flights' events; asks for Electron's payload trade
factors and sees the API's rows. Saves screenshots. Exits non-zero with the reason on the first failure.
"""
import json
import os
import shutil
import sys

from playwright.sync_api import sync_playwright

# The flags the probe of this machine found Chromium needs in a closed network, as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path(given):
    for candidate in [given, os.environ.get("COSMODROME_CHROMIUM"), "/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                      shutil.which("chromium-headless-shell"), shutil.which("chromium")]:
        if candidate and os.path.exists(candidate):
            return candidate
    sys.exit("test_page: no chromium found (apt-get install chromium)")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def answer_of(page, button, path):
    """Clicks `button` and returns the response to the request whose URL holds `path`."""
    with page.expect_response(lambda r: path in r.url) as response:
        page.click(button)
    return response.value


def set_mission(page, vehicle, site, perigee_km, inclination_deg, apogee_km=""):
    """Fills the mission inputs: vehicle, site, perigee, apogee (empty: circular), inclination."""
    page.select_option("#vehicle", vehicle)
    page.select_option("#site", site)
    page.fill("#perigee-km", perigee_km)
    page.fill("#apogee-km", apogee_km)
    page.fill("#inclination-deg", inclination_deg)


def wait_or_error(page, condition, what):
    """Waits until the script `condition` holds or the page shows an error, which fails."""
    page.wait_for_function(f"({condition}) || !document.querySelector('#error').hidden", timeout=120_000)
    error = page.locator("#error")
    check(error.is_hidden(), f"{what}: the page shows an error: {error.inner_text() if error.is_visible() else ''}")


def main():
    base, expected_kg, gso_kg, shots = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    exe = chromium_path(sys.argv[5] if len(sys.argv) > 5 else None)
    if len(sys.argv) <= 6:
        sys.exit("test_page: GSO_PARKING (perigee_km,apogee_km,inclination_deg) is missing")
    parking_perigee_km, parking_apogee_km, parking_inclination_deg = map(float, sys.argv[6].split(","))
    os.makedirs(shots, exist_ok=True)
    passed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        outside = []
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:" + base)) else outside.append(r.url))
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        check(page.locator("#coastline polyline").count() > 50, "the coastlines are not drawn")
        check(page.locator("#corridors polygon").count() >= 1, "the site's corridors are not drawn")

        # The payload of Soyuz-2.1b from Vostochny to 97.5°.
        page.select_option("#vehicle", "soyuz-2.1b")
        page.select_option("#site", "vostochny")
        page.fill("#inclination-deg", "97.5")
        page.click("#run-payload")
        wait_or_error(page, "!document.querySelector('#answer').hidden", "payload")
        shown = page.inner_text("#payload-kg")
        check(shown == f"{round(expected_kg):,}", f"page shows {shown} kg, the core answers {expected_kg} kg")
        check("97.5" in page.inner_text("#orbit-table"), "the achieved orbit is not shown")
        check("gravity loss" in page.inner_text("#budget-table"), "the loss budget is not shown")
        check(page.locator("#event-table tr").count() > 3, "the event table is empty")
        passed += 1

        plots = page.locator("#plots svg")
        check(plots.count() == 5, f"{plots.count()} plots drawn, 5 expected")
        for i in range(5):
            points = plots.nth(i).locator("polyline.series").get_attribute("points")
            check(points and len(points.split()) > 100, f"plot {i} has no series")
        # Hover gives a value.
        plots.nth(0).scroll_into_view_if_needed()
        box = plots.nth(0).bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        check(page.inner_text("#plots .readout >> nth=0").startswith("t "), "hover shows no value")
        # Dragging across a plot zooms every plot in time; a double click shows the whole flight.
        first_points = lambda: len(plots.nth(1).locator("polyline.series").get_attribute("points").split())
        whole = first_points()
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
        page.mouse.up()
        check(first_points() < whole / 2, f"drag did not zoom: {first_points()} of {whole} points")
        page.dblclick("#plots svg >> nth=0")
        check(first_points() == whole, "double click did not show the whole flight")
        # The map is fitted to the ascent.
        check(float(page.get_attribute("#map", "viewBox").split()[2]) < 360, "the map is not fitted to the ascent")
        track = page.locator("#ground-track polyline")
        check(track.count() >= 1 and len(track.first.get_attribute("points").split()) > 100, "the ground track is not drawn")
        passed += 1
        page.screenshot(path=os.path.join(shots, "payload.png"), full_page=True)

        # A phone's width: one column, nothing wider than the screen (wide tables scroll in their card).
        page.set_viewport_size({"width": 390, "height": 844})
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        check(widths[0] <= widths[1] == 390, f"the page is {widths[0]} px wide in a 390 px window")
        right = page.evaluate("Math.max(...[...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect().right))")
        check(right <= 390, f"a card reaches {right} px in a 390 px window")
        page.screenshot(path=os.path.join(shots, "payload-390.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 1600})
        passed += 1

        # A number the browser cannot read ("1e") and an empty payload for a flight: refused on
        # the page, the field named by its label and marked, nothing sent.
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.fill("#perigee-km", "")
        page.type("#perigee-km", "1e")
        page.press("#perigee-km", "Enter")
        page.wait_for_selector("#error:not([hidden])", timeout=10_000)
        check(page.inner_text("#error") == "Perigee, km: not a number", f"the error box shows {page.inner_text('#error')!r}")
        check(page.get_attribute("#perigee-km", "aria-invalid") == "true", "the perigee is not marked")
        page.fill("#perigee-km", "200")
        page.fill("#fly-payload-kg", "")
        page.click("#run-fly")
        page.wait_for_function("document.querySelector('#error').dataset.field === 'fly-payload-kg'", timeout=10_000)
        check("payload is required" in page.inner_text("#error"), f"an empty payload for a flight shows {page.inner_text('#error')!r}")
        page.fill("#fly-payload-kg", "5000")
        check(not posts, f"a refused field still sent {posts}")
        check(page.inner_text("#payload-kg") == f"{round(expected_kg):,}", "a refused run changed the answer shown")
        passed += 1

        # Every file of the run downloads.
        page.wait_for_selector("#downloads a[data-name='trajectory.csv']", timeout=120_000)
        names = page.eval_on_selector_all("#downloads a", "links => links.map(a => a.dataset.name)")
        for name in ["payload.json", "trajectory.csv", "events.json", "trajectory.oem", "trajectory.parquet", "report.html", "run.json"]:
            check(name in names, f"no download button for {name}: {names}")
        with page.expect_download() as download:
            page.click("#downloads a[data-name='trajectory.csv']")
        csv = download.value
        check(csv.suggested_filename == "trajectory.csv", f"the download is named {csv.suggested_filename}")
        csv.save_as(os.path.join(shots, "trajectory.csv"))
        with open(os.path.join(shots, "trajectory.csv")) as f:
            csv_lines = f.read().splitlines()
        check(csv_lines[0].startswith("time_s") and len(csv_lines) > 100, f"trajectory.csv: {len(csv_lines)} lines, header {csv_lines[0][:60]!r}")
        passed += 1

        # A long Monte Carlo shows its progress and stops when cancelled.
        page.fill("#samples", "100000")
        page.click("#run-dropzones")
        page.wait_for_function("document.querySelector('#job-progress').value > 0", timeout=120_000)
        check(page.inner_text("#job-status").startswith("falls: "), f"no progress shown: {page.inner_text('#job-status')!r}")
        page.screenshot(path=os.path.join(shots, "progress.png"), full_page=True)
        # One job at a time: the payload chart's button is held, saying why, and Enter in its
        # field starts nothing; the running job keeps its bar and Cancel.
        check(page.is_disabled("#run-sweep") and "Drop zones is running" in page.inner_text("#sweep-busy"),
              f"the payload chart can start beside the drop zones: {page.inner_text('#sweep-busy')!r}")
        posts.clear()
        page.press("#sweep-altitudes", "Enter")
        page.wait_for_timeout(200)
        check(not [u for u in posts if "/api/jobs/" in u], f"a second job started: {posts}")
        check(page.is_enabled("#cancel-job") and page.inner_text("#job-status").startswith("falls: "),
              f"the second job took the bar: {page.inner_text('#job-status')!r}")
        page.click("#cancel-job")
        page.wait_for_function("document.querySelector('#job').dataset.state !== undefined", timeout=30_000)
        check(page.get_attribute("#job", "data-state") == "cancelled", f"the job ended {page.get_attribute('#job', 'data-state')}")
        check(page.inner_text("#job-status").startswith("Drop zones cancelled after"), f"{page.inner_text('#job-status')!r}")
        check(page.is_enabled("#run-sweep") and page.locator("#sweep-busy").is_hidden(), "the payload chart stays held after the cancel")
        check(page.locator("#error").is_hidden(), "the cancel shows an error")
        passed += 1

        # The drop zones of that ascent: an ellipse per body that comes down, on the map.
        page.fill("#samples", "100")
        page.click("#run-dropzones")
        wait_or_error(page, "!document.querySelector('#dropzones-card').hidden", "drop zones")
        rows = page.locator("#dropzone-table tr").count() - 1
        ellipses = page.locator("#footprints polygon").count()
        check(rows >= 2 and 1 <= ellipses <= rows, f"{rows} bodies, {ellipses} ellipses drawn")
        check(page.locator("#ground-track polyline").count() >= 1, "the ground track went away")
        # Each card says which run it shows: the drop zones the payload of their own ascent, the
        # answer of the payload run before them marked as earlier.
        dz_of = page.inner_text("#dropzones-card .run-of")
        check(f"the largest-payload ascent: {round(expected_kg):,} kg" in dz_of, f"the drop-zone card reads {dz_of!r}")
        check(page.get_attribute("#answer", "data-stale") == "true" and page.inner_text("#answer .run-of").startswith("from an earlier run: Largest payload"),
              f"the answer card reads {page.inner_text('#answer .run-of')!r}")
        page.wait_for_selector("#downloads a[data-name='dropzones.geojson']", timeout=120_000)
        with page.expect_download() as download:
            page.click("#downloads a[data-name='dropzones.geojson']")
        geojson = download.value
        geojson.save_as(os.path.join(shots, "dropzones.geojson"))
        with open(os.path.join(shots, "dropzones.geojson")) as f:
            check(json.load(f)["type"] == "FeatureCollection", "dropzones.geojson is not a feature collection")
        passed += 1
        page.screenshot(path=os.path.join(shots, "dropzones.png"), full_page=True)

        # A flight with a payload below the maximum reaches the orbit.
        page.fill("#fly-payload-kg", "5000")
        page.click("#run-fly")
        wait_or_error(page, "document.querySelector('#answer-title').textContent.startsWith('Flight')", "fly")
        check(page.inner_text("#payload-kg") == "5,000", "the flight's payload is not shown")
        check("orbit" in page.inner_text("#outcome"), f"the outcome is not an orbit: {page.inner_text('#outcome')!r}")
        check(page.locator("#event-table tr").count() > 3 and page.locator("#plots svg").count() == 5, "the flight's events or plots are missing")
        passed += 1

        # The open-loop program: what it reaches, with its events and plots.
        page.check("#open-loop")
        page.fill("#pitch-kick-deg", "3.5")
        page.click("#run-fly")
        wait_or_error(page, "document.querySelector('#answer-title').textContent.includes('open loop')", "open-loop fly")
        check(page.locator("#event-table tr").count() > 3 and page.locator("#plots svg").count() == 5, "the open-loop flight's events or plots are missing")
        page.uncheck("#open-loop")
        passed += 1

        # The designated zones of a set, on the map.
        page.select_option("#drop-zones", "baikonur-iss")
        check(page.locator("#designated polygon").count() >= 1, "the designated zones are not drawn")
        page.select_option("#drop-zones", "")
        check(page.locator("#designated polygon").count() == 0, "the designated zones stay drawn")
        passed += 1

        # A broken vehicle file: the error sits at its line.
        page.click("#load-file")
        page.wait_for_function("document.querySelector('#vehicle-toml').value.length > 100")
        # The catalog file flown from the editor gives the catalog vehicle's payload.
        page.click("#check-file")
        page.wait_for_selector("#editor-ok:not([hidden])", timeout=30_000)
        page.check("#use-file")
        page.evaluate("document.querySelector('#payload-kg').textContent = ''")
        page.click("#run-payload")
        wait_or_error(page, "document.querySelector('#payload-kg').textContent !== ''", "payload of the editor's file")
        shown = page.inner_text("#payload-kg")
        check(shown == f"{round(expected_kg):,}", f"the editor's file gives {shown} kg, the catalog vehicle {expected_kg} kg")
        passed += 1

        # A file that leaves the coast before its solid stage to the ascent: the answer gives the
        # coast the search chose within the file's range.
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference", "solid-coast.toml")) as f:
            page.fill("#vehicle-toml", f.read())
        page.click("#check-file")
        page.wait_for_function("document.querySelector('#editor-ok').textContent.startsWith('Solid coast') && !document.querySelector('#editor-ok').hidden", timeout=30_000)
        page.click("#run-payload")
        wait_or_error(page, "document.querySelector('#status').textContent.startsWith('Solid coast')", "payload of a file with a coast range")
        budget = page.inner_text("#budget-table")
        check("coast before Stage 2" in budget and "chosen in 20.0–300.0 s" in budget, f"the chosen coast is not shown: {budget!r}")
        passed += 1
        page.uncheck("#use-file")
        text = page.input_value("#vehicle-toml")
        lines = text.split("\n")
        bad = next(i for i, line in enumerate(lines) if line.strip().startswith("dry_mass_kg"))
        lines[bad] = 'dry_mass_kg = "heavy"'
        page.fill("#vehicle-toml", "\n".join(lines))
        page.click("#check-file")
        page.wait_for_selector("#editor-error:not([hidden])", timeout=30_000)
        message = page.inner_text("#editor-error")
        check(message.startswith(f"line {bad + 1}"), f"the inline error does not name line {bad + 1}: {message!r}")
        check(page.inner_text("#bad-line") == str(bad + 1), "the gutter does not mark the line")
        inline = page.locator("#inline-error")
        check(inline.is_visible() and "dry_mass_kg" in inline.inner_text(), "no message in the editor at the line")
        # The message sits on the marked line, after its text: it hides no line of the file.
        line_box, inline_box = page.locator("#bad-line").bounding_box(), inline.bounding_box()
        check(abs(inline_box["y"] - line_box["y"]) < 2 and inline_box["height"] <= line_box["height"] + 1, f"the message is not on its line: {line_box} {inline_box}")
        text_end = page.evaluate("""line => {
            const ta = document.querySelector('#vehicle-toml'), probe = document.createElement('span');
            probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;font:' + getComputedStyle(ta).font;
            probe.textContent = line;
            document.body.append(probe);
            const w = probe.getBoundingClientRect().width;
            probe.remove();
            return ta.getBoundingClientRect().left + parseFloat(getComputedStyle(ta).paddingLeft) + w;
        }""", lines[bad])
        check(inline_box["x"] >= text_end, f"the message covers the line's text: it starts at {inline_box['x']}, the text ends at {text_end}")
        passed += 1
        page.screenshot(path=os.path.join(shots, "editor-error.png"), full_page=True)

        # An uploaded file (read as text in the browser) is checked the same; a binary one is refused.
        page.fill("#vehicle-toml", "")
        page.set_input_files("#upload-file", files=[{"name": "broken.toml", "mimeType": "text/plain", "buffer": "\n".join(lines).encode()}])
        page.wait_for_function(f"document.querySelector('#vehicle-toml').value.length > 100 && !document.querySelector('#editor-error').hidden", timeout=30_000)
        check(page.inner_text("#editor-error").startswith(f"line {bad + 1}"), f"the uploaded file's error: {page.inner_text('#editor-error')!r}")
        page.set_input_files("#upload-file", files=[{"name": "stage.parquet", "mimeType": "application/octet-stream", "buffer": b"PAR1\x00\x01\x02"}])
        page.wait_for_function("document.querySelector('#editor-error').textContent.startsWith('stage.parquet')", timeout=30_000)
        check("not a text file" in page.inner_text("#editor-error"), f"{page.inner_text('#editor-error')!r}")
        passed += 1

        # A mission to a named orbit: the largest payload to GSO, through a parking orbit.
        page.select_option("#vehicle", "angara-a5-briz-m")
        page.select_option("#site", "plesetsk")
        page.select_option("#fly-orbit", "gso")
        # The page's 5 t default gives way to the largest payload when a named orbit is chosen.
        check(page.input_value("#fly-payload-kg") == "", f"the payload for a flight reads {page.input_value('#fly-payload-kg')!r} with gso")
        page.click("#run-fly")
        wait_or_error(page, "document.querySelector('#answer-title').textContent.startsWith('Mission to gso')", "fly to GSO")
        title = page.inner_text("#answer-title")
        check("parking orbit" in title, f"the GSO mission does not name its parking orbit: {title!r}")
        shown = page.inner_text("#payload-kg")
        check(shown == f"{round(gso_kg):,}", f"page shows {shown} kg to GSO, the core answers {gso_kg} kg")
        achieved = next((r for r in page.inner_text("#orbit-table").splitlines() if r.startswith("achieved")), "")
        cells = achieved.split()[1:]
        numbers = [float(x.replace(",", "")) for x in cells[:3]]
        check(len(cells) == 4 and all(abs(n - 35786) < 50 for n in numbers[:2]) and abs(numbers[2]) < 0.1,
              f"the achieved orbit is not GSO: {achieved!r}")
        # A circular orbit has no argument of perigee to show.
        check(cells[3] == "–", f"GSO shows an argument of perigee: {achieved!r}")
        check(page.locator("#event-table tr").count() > 10, "the mission's events are missing")
        passed += 1
        page.screenshot(path=os.path.join(shots, "fly-gso.png"), full_page=True)

        # The drop zones of that mission: the named orbit goes with the request (with its own
        # elements, the largest payload), the card names the parking orbit the core resolves and
        # the bodies left in orbit, and the map draws the footprints of those that come down only.
        page.fill("#samples", "10")
        check("whole mission to gso" in page.inner_text("#dropzones-scope"), f"the button's scope: {page.inner_text('#dropzones-scope')!r}")
        with page.expect_request(lambda r: r.url.endswith("/api/jobs/dropzones") and r.method == "POST") as request:
            page.click("#run-dropzones")
        sent = request.value.post_data_json
        check(sent.get("orbit") == "gso" and sent.get("samples") == 10 and sent.get("vehicle") == "angara-a5-briz-m",
              f"the drop-zone request does not carry the named orbit: {sent}")
        check(not {"perigee_km", "apogee_km", "inclination_deg", "payload_kg"} & set(sent),
              f"the drop-zone request overrides the named orbit's elements or payload: {sent}")
        wait_or_error(page, "document.querySelector('#dropzones-card').dataset.orbit === 'gso' && !document.querySelector('#dropzones-card').hidden",
                      "drop zones of the GSO mission")
        check(page.locator("#dropzone-mission").is_visible(), "the card does not show the mission through a parking orbit")
        check(page.locator("#dropzone-notes").is_hidden(), "a note on a mission that holds its whole orbit")
        row = lambda name: page.inner_text(f"#transfer-table tr[data-row={name}]")
        # Every row carries its own name (the upper stage's offload only when it was offloaded).
        names = page.eval_on_selector_all("#transfer-table tr", "rows => rows.map(r => r.dataset.row)")
        check([n for n in names if n != "load"] == ["target", "parking", "reached", "payload", "held-back", "burns", "cutoff", "down", "up"],
              f"the card's rows are named {names}")
        check("held back" in row("held-back") and "burns" in row("burns") and ("load" not in names or "offloaded to" in row("load")),
              f"a row of the card under another's name: {[row(n) for n in names]}")
        parking = row("parking")
        want = f"{parking_perigee_km:,.0f} × {parking_apogee_km:,.0f} km at {parking_inclination_deg:.2f}°"
        check(want in parking, f"the card's parking orbit {parking!r}, the core resolves {want}")
        check("GSO" in row("target"), f"the card's target: {row('target')!r}")
        reached = [float(x.replace(",", "")) for x in row("reached").replace("×", " ").replace("km at", " ").replace("°", " ").split()[-3:]]
        check(all(abs(r - 35786) < 50 for r in reached[:2]) and abs(reached[2]) < 0.1, f"the orbit reached is not GSO: {row('reached')!r}")
        bodies = page.eval_on_selector_all("#dropzone-table tr[data-body]", """rows => rows.map(r => ({
            name: r.dataset.body, down: r.dataset.down === 'true', cells: [...r.cells].map(c => c.textContent)}))""")
        down = [b for b in bodies if b["down"]]
        up = [b for b in bodies if not b["down"]]
        with_ellipse = [b for b in down if "×" in b["cells"][4]]
        check(with_ellipse, f"no body that comes down has a footprint row: {bodies}")
        check(up and all(b["cells"][1].startswith("stays up") and "×" not in b["cells"][4] for b in up),
              f"no body is shown left in orbit: {bodies}")
        check(row("up").split("\t")[-1] == ", ".join(b["name"] for b in up), f"the card's bodies left up: {row('up')!r}, the table's {[b['name'] for b in up]}")
        check(row("down").split("\t")[-1] == ", ".join(b["name"] for b in down), f"the card's bodies that come down: {row('down')!r}")
        # On the map: an ellipse for each body that comes down with a footprint, none for those
        # left up (even when some of their dispersed falls came down along the orbit).
        drawn = page.eval_on_selector_all("#footprints polygon title", "ts => ts.map(t => t.textContent.split(':')[0])")
        check(sorted(drawn) == sorted(b["name"] for b in with_ellipse), f"ellipses drawn for {drawn}, bodies down with a footprint {[b['name'] for b in with_ellipse]}")
        check(page.locator("#ground-track polyline").count() >= 1, "the mission's ground track is not drawn")
        passed += 1
        page.screenshot(path=os.path.join(shots, "dropzones-gso.png"), full_page=True)

        # A count of falls that is no whole number of at least one: refused on the page, naming
        # the field, nothing sent.
        page.select_option("#fly-orbit", "escape")
        posts.clear()
        for samples, why in [("0", "0 is outside 1–100,000"), ("2.5", "2.5 is not a whole number")]:
            page.fill("#samples", samples)
            page.click("#run-dropzones")
            page.wait_for_selector("#error:not([hidden])", timeout=30_000)
            shown = page.inner_text("#error")
            check(shown == f"Dispersed falls per body: {why}", f"{samples} falls: the error box shows {shown!r}")
            check(page.get_attribute("#samples", "aria-invalid") == "true", "the sample count is not marked")
        check(not posts, f"a refused count of falls was sent: {posts}")
        page.wait_for_function("!document.querySelector('#run-dropzones').disabled", timeout=30_000)
        passed += 1

        # An escape: the stages fall, the upper stage and the payload leave on the hyperbola.
        page.fill("#samples", "10")
        with page.expect_response(lambda r: r.url.endswith("/api/jobs/dropzones")) as response:
            page.click("#run-dropzones")
        check(response.value.status == 202, f"the escape's drop zones answer {response.value.status}")
        wait_or_error(page, "document.querySelector('#dropzones-card').dataset.orbit === 'escape'", "drop zones of an escape")
        check(page.locator("#dropzone-table tr[data-body]").count() >= 1, "the escape's report is not shown")
        reached = page.inner_text("#transfer-table tr[data-row='reached']")
        check("escape: C3" in reached, f"the escape's last cutoff reads {reached!r}")
        check(page.get_attribute("#samples", "aria-invalid") is None, "the refused sample count is still marked")
        passed += 1
        page.screenshot(path=os.path.join(shots, "dropzones-escape.png"), full_page=True)
        page.select_option("#fly-orbit", "")
        page.fill("#fly-payload-kg", "5000")
        page.fill("#samples", "200")

        # Vega-C to a 600 km SSO carries the most by the elliptic profile: the answer says so.
        set_mission(page, "vega-c", "kourou", "600", "97.8")
        page.click("#run-payload")
        wait_or_error(page, "document.querySelector('#status').textContent.startsWith('Vega-C')", "payload by the elliptic profile")
        budget = page.inner_text("#budget-table")
        check("elliptic:" in budget and "circularization" in budget, f"the elliptic profile is not shown: {budget!r}")
        # AVUM+ burns long in the ascent: it carries the most cut off up its ellipse, and says where.
        check("km up" in budget, f"the ascent's cutoff on the ellipse is not shown: {budget!r}")
        passed += 1

        # Zenit-2's RD-8 burns on after the RD-120: the answer says when the optimizer cut the
        # RD-120 off, and the event table has the cutoff.
        set_mission(page, "zenit-2", "baikonur", "600", "99.64")
        page.click("#run-payload")
        wait_or_error(page, "document.querySelector('#status').textContent.startsWith('Zenit-2')", "payload with a burn-on steering engine")
        budget = page.inner_text("#budget-table")
        check("main-engine cutoff" in budget, f"the main-engine cutoff is not shown: {budget!r}")
        events = page.inner_text("#event-table")
        check("main-engine cutoff of Second stage, RD-8 burning on" in events, f"the event is not listed: {events!r}")
        passed += 1

        # Ariane 5 ECA from Kourou into the standard GTO, southbound, its argument of perigee
        # held at 178°: the request carries it, the target row states it, the orbit reached has it.
        set_mission(page, "ariane-5-eca", "kourou", "250", "6", apogee_km="35950")
        page.check("#southbound")
        page.fill("#argument-of-perigee-deg", "178")
        response = answer_of(page, "#run-payload", "/api/payload")
        request = json.loads(response.request.post_data)
        check(request.get("argument_of_perigee_deg") == 178, f"the payload asked for {request}")
        wait_or_error(page, "document.querySelector('#status').textContent.startsWith('Ariane 5 ECA')", "payload holding the perigee")
        orbit_rows = page.eval_on_selector_all("#orbit-table tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))")
        target_row = next((r for r in orbit_rows if r[0] == "target"), None)
        reached_row = next((r for r in orbit_rows if r[0] == "achieved"), None)
        check(target_row and target_row[4] == "178.00", f"the target row reads {target_row}")
        check(reached_row and abs(float(reached_row[4]) - 178.0) <= 0.5, f"the orbit reached reads {reached_row}")
        passed += 1
        # A circular orbit has no perigee to place: the API's 400 names the member, the input is marked.
        page.fill("#apogee-km", "")
        response = answer_of(page, "#run-payload", "/api/payload")
        answer = response.json()
        check(response.status == 400 and answer.get("field") == "argument_of_perigee_deg", f"a circular orbit's perigee answers {answer}")
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        check(page.inner_text("#error").startswith("Argument of perigee, °: "), f"the error box shows {page.inner_text('#error')!r}")
        check(page.get_attribute("#argument-of-perigee-deg", "aria-invalid") == "true", "the argument of perigee is not marked")
        page.fill("#argument-of-perigee-deg", "")
        page.uncheck("#southbound")
        passed += 1

        # Propellant performance: LOX/RP-1 at O/F 2.6, 100 bar, ε 40; the page shows the API's
        # figures. Then a sweep over O/F: a row per ratio, the chart with the optimum marked; one
        # into ratios with no equilibrium, which it names; and a mixture ratio that cannot be read,
        # refused naming the member, its input marked.
        answered = "!document.querySelector('#propellant-answer').hidden || !document.querySelector('#propellant-error').hidden"
        response = answer_of(page, "#run-propellant", "/api/propellant")
        point = response.json()
        check(response.status == 200 and json.loads(response.request.post_data)["mixture_ratio"] == 2.6, f"the propellant asked for {response.request.post_data}")
        page.wait_for_function(answered, timeout=30_000)
        check(page.locator("#propellant-error").is_hidden(), f"the propellant shows an error: {page.inner_text('#propellant-error')}")
        shown = page.inner_text("#propellant-table")
        check(f"{point['isp_vac_s']:,.2f} s" in shown and f"{point['chamber_temperature_k']:,.1f} K" in shown, f"the table reads {shown!r} for {point}")
        page.fill("#prop-mixture-ratio", "2.0:3.0:0.25")
        response = answer_of(page, "#run-propellant", "/api/propellant")
        sweep = response.json()
        page.wait_for_function("document.querySelectorAll('#propellant-table tr').length === 6", timeout=30_000)
        rows = page.eval_on_selector_all("#propellant-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check([r[0] for r in rows] == ["2.000", "2.250", "2.500", "2.750", "3.000"], f"the sweep's rows read {rows}")
        check([r[3] for r in rows] == [f"{p['isp_vac_s']:,.2f}" for p in sweep["points"]], f"the sweep's Isp reads {rows} for {sweep['points']}")
        check(len(page.get_attribute("#propellant-chart polyline.series", "points").split()) == 5, "the sweep's chart is not drawn")
        check(sweep["optimum_inside_sweep"] and page.locator("#propellant-chart line.optimum").count() == 1
              and "optimum vacuum Isp" in page.inner_text("#propellant-title"), "the optimum is not shown")
        # A sweep into ratios whose equilibrium does not converge: the rest shown, those named.
        page.fill("#prop-mixture-ratio", "50:60:5")
        response = answer_of(page, "#run-propellant", "/api/propellant")
        failed = response.json().get("failed", [])
        check(response.status == 200 and [f["mixture_ratio"] for f in failed] == [55.0, 60.0], f"O/F 50:60:5 answers {response.json()}")
        page.wait_for_function("document.querySelector('#propellant-title').textContent.includes('no equilibrium')", timeout=30_000)
        check("no equilibrium at O/F 55.000, 60.000" in page.inner_text("#propellant-title"), f"the title reads {page.inner_text('#propellant-title')!r}")
        check(len(page.eval_on_selector_all("#propellant-table tr", "rs => rs.slice(1)")) == 1, "the failed ratios are in the table")
        # Refused on the page, nothing sent, the earlier answer taken away: a ratio that does not
        # read, and an empty chamber pressure.
        posts.clear()
        page.fill("#prop-mixture-ratio", "x")
        page.click("#run-propellant")
        page.wait_for_selector("#propellant-error:not([hidden])", timeout=30_000)
        check(page.inner_text("#propellant-error") == "O/F: x is not a number", f"the error reads {page.inner_text('#propellant-error')!r}")
        check(page.get_attribute("#prop-mixture-ratio", "aria-invalid") == "true", "the mixture ratio is not marked")
        check(page.locator("#propellant-answer").is_hidden(), "the earlier answer stays under the error")
        page.fill("#prop-mixture-ratio", "2.6")
        page.fill("#prop-chamber-bar", "")
        page.click("#run-propellant")
        page.wait_for_function("document.querySelector('#propellant-error').textContent.startsWith('Chamber pressure, bar: empty')", timeout=30_000)
        check(not posts, f"a refused propellant was sent: {posts}")
        page.fill("#prop-chamber-bar", "100")
        # The core's refusal, named by the field's label without the command line's flag.
        response = answer_of(page, "#run-propellant", "/api/propellant")
        page.wait_for_function("!document.querySelector('#propellant-answer').hidden || !document.querySelector('#propellant-error').hidden", timeout=30_000)
        check(response.status == 200 and page.locator("#propellant-error").is_hidden(), "LOX/RP-1 at 100 bar is refused")
        page.fill("#prop-oxidizer", "RP-1")
        response = answer_of(page, "#run-propellant", "/api/propellant")
        page.wait_for_selector("#propellant-error:not([hidden])", timeout=30_000)
        shown = page.inner_text("#propellant-error")
        check(response.status == 400 and shown.startswith("Oxidizer: ") and "--" not in shown, f"RP-1 as the oxidizer reads {shown!r}")
        page.fill("#prop-oxidizer", "LOX")
        passed += 1
        page.screenshot(path=os.path.join(shots, "propellant.png"), full_page=True)

        # The payload trade factors on request: Electron from Mahia, a row per stage figure and
        # the fairing, the API's figures.
        set_mission(page, "electron", "mahia", "200", "")
        page.check("#trade-factors")
        response = answer_of(page, "#run-payload", "/api/payload")
        check(json.loads(response.request.post_data).get("trade_factors") is True, "the payload did not ask for the trade factors")
        factors = response.json()["report"]["trade_factors"]
        wait_or_error(page, "!document.querySelector('#trade-answer').hidden", "payload trade factors")
        rows = page.eval_on_selector_all("#trade-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check(len(rows) == len(factors) and rows[0][3] == f"{factors[0]['payload_per_unit']:,.4f} {factors[0]['unit']}", f"the trade factors read {rows} for {factors}")
        page.uncheck("#trade-factors")
        passed += 1

        # The validation: a row per published case with the API's figures, the summaries, and the
        # flown flights' events.
        response = answer_of(page, "#run-validate", "/api/validate")
        report = response.json()
        check(response.status == 200, f"the validation answers {response.status}")
        wait_or_error(page, "!document.querySelector('#validate-answer').hidden", "validation")
        rows = page.eval_on_selector_all("#validate-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check(len(rows) == len(report["cases"]), f"{len(rows)} rows for {len(report['cases'])} cases")
        first = report["cases"][0]
        check(rows[0][0] == first["vehicle"] and rows[0][5] == f"{first['predicted_kg']:,.0f}", f"the first row reads {rows[0]} for {first}")
        summary = page.inner_text("#validate-summary")
        check(f"fully specified: {report['fully_specified']['count']} cases" in summary, f"the summary reads {summary!r}")
        check(page.locator("#validate-flights tr").count() == len(report["trajectories"]) + 1, "the flown flights' events are not all listed")
        passed += 1

        # A payload chart: Soyuz-2.1b from Vostochny over three altitudes and two inclinations,
        # 30° outside the pad's corridors: a table row per point, the chart, the CSV of the job.
        page.select_option("#vehicle", "soyuz-2.1b")
        page.select_option("#site", "vostochny")
        page.fill("#sweep-altitudes", "200:600:200")
        page.fill("#sweep-inclinations", "51.9, 30")
        with page.expect_response(lambda r: r.url.endswith("/api/jobs/sweep")) as response:
            page.click("#run-sweep")
        request = json.loads(response.value.request.post_data)
        check(request["altitudes_km"] == [200, 400, 600] and request["inclinations_deg"] == [51.9, 30], f"the sweep asked for {request}")
        wait_or_error(page, "document.querySelector('#job').dataset.state === 'done' && !document.querySelector('#sweep-answer').hidden", "payload chart")
        rows = page.eval_on_selector_all("#sweep-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check(len(rows) == 6, f"{len(rows)} rows for 6 points: {rows}")
        reached = [r for r in rows if r[5] == "ok"]
        check([r[1] for r in reached] == ["200", "400", "600"] and all(r[5].startswith("unreachable") for r in rows if r not in reached),
              f"the reachable points are not the 51.9° ones: {rows}")
        kg = [float(r[3].replace(",", "")) for r in reached]
        check(kg[0] > kg[1] > kg[2] > 1000, f"payloads {kg} do not fall with the altitude")
        check(page.evaluate("document.querySelector('#sweep-chart').naturalWidth") > 0, "the payload chart is not drawn")
        csv_lines = page.evaluate("fetch(document.querySelector('#sweep-csv').href).then(r => r.text())").splitlines()
        check(csv_lines[0].startswith("vehicle,site,pad,altitude_km") and len(csv_lines) == 7, f"sweep.csv reads {csv_lines[:2]}")
        csv_kg = [float(line.split(",")[5]) for line in csv_lines[1:] if ",ok," in line]
        check([round(k) for k in csv_kg] == [round(k) for k in kg], f"the table shows {kg} kg, sweep.csv {csv_kg}")
        passed += 1
        page.screenshot(path=os.path.join(shots, "payload-chart.png"), full_page=True)

        # The chart of the editor's file when it is flown instead: the catalog file of the
        # same vehicle gives the same payload, the request carries the file and no catalog id.
        page.fill("#vehicle-toml", "")
        page.click("#load-file")
        page.wait_for_function("document.querySelector('#vehicle-toml').value.includes('Soyuz-2.1b')")
        page.check("#use-file")
        page.fill("#sweep-altitudes", "200")
        page.fill("#sweep-inclinations", "51.9")
        with page.expect_response(lambda r: r.url.endswith("/api/jobs/sweep")) as response:
            page.click("#run-sweep")
        request = json.loads(response.value.request.post_data)
        check("vehicles" not in request and "Soyuz-2.1b" in request.get("vehicle_toml", ""), f"the file's sweep asked for {list(request)}")
        wait_or_error(page, "document.querySelector('#job').dataset.state === 'done' && document.querySelector('#status').textContent.startsWith(\"the editor's file\")", "payload chart of the file")
        rows = page.eval_on_selector_all("#sweep-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check(len(rows) == 1 and round(float(rows[0][3].replace(",", ""))) == round(kg[0]), f"the file's chart reads {rows}, the catalog's {kg[0]} kg")
        passed += 1

        # One parameter of the file swept (sweep --vary): a row per value, the value first; the
        # file's own load (25,112 kg in the Block I) carries what the catalog vehicle does, a
        # lighter load less.
        page.fill("#sweep-vary", "stage.Block I.propellant_mass_kg=22000,25112")
        with page.expect_response(lambda r: r.url.endswith("/api/jobs/sweep")) as response:
            page.click("#run-sweep")
        request = json.loads(response.value.request.post_data)
        check(request.get("vary") == "stage.Block I.propellant_mass_kg=22000,25112", f"the varied sweep asked for {request.get('vary')}")
        wait_or_error(page, "document.querySelector('#job').dataset.state === 'done' && document.querySelectorAll('#sweep-table tr').length === 3", "payload chart over a file parameter")
        header = page.eval_on_selector("#sweep-table tr", "r => [...r.cells].map(c => c.textContent)")
        rows = page.eval_on_selector_all("#sweep-table tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.textContent))")
        check(header[0] == "stage.Block I.propellant_mass_kg" and [r[0] for r in rows] == ["22000", "25112"], f"the varied chart reads {header}, {rows}")
        varied_kg = [float(r[4].replace(",", "")) for r in rows]
        check(round(varied_kg[1]) == round(kg[0]) and varied_kg[0] < varied_kg[1], f"the varied chart carries {varied_kg}, the catalog {kg[0]} kg")
        page.fill("#sweep-vary", "")
        page.uncheck("#use-file")
        passed += 1

        check(not errors, f"script errors on the page: {errors}")
        check(not outside, f"the page asked for something outside the server: {outside}")
        browser.close()
    print(f"test_page: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
