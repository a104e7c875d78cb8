"""Remakes docs/images/serve.png, the README's picture of the page of `cosmodrome serve`, from the
real page: the whole mission of Soyuz-2.1b/Fregat-MT from Vostochny to GTO (the named orbit,
through a parking orbit) and the drop zones of the bodies it drops.

    python docs/images/make_screenshot.py [COSMODROME [CHROMIUM]]

COSMODROME: the binary (default target/release/cosmodrome, else target/debug/cosmodrome);
CHROMIUM: Debian's browser (default /usr/bin/chromium-headless-shell, else /usr/bin/chromium),
driven by Playwright for Python (`pip install 'playwright>=1.40,<2'`; its own browser download
is not needed). The server is started on a free loopback port and stopped at the end. Not a
test: CI does not run it.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "docs", "images", "serve.png")
# As the page's browser test launches it (tests/python/test_page.py).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Wide enough for the page's two columns; the picture ends below the drop-zone table.
VIEWPORT = {"width": 1200, "height": 1000}


def first_existing(candidates, what):
    for c in candidates:
        if c and os.path.exists(c):
            return c
    sys.exit(f"make_screenshot: no {what} found among {[c for c in candidates if c]}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = first_existing([sys.argv[1] if len(sys.argv) > 1 else None, os.path.join(ROOT, "target/release/cosmodrome"),
                             os.path.join(ROOT, "target/debug/cosmodrome"), shutil.which("cosmodrome")], "cosmodrome binary")
    chromium = first_existing([sys.argv[2] if len(sys.argv) > 2 else None, "/usr/bin/chromium-headless-shell",
                               "/usr/bin/chromium"], "Chromium")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/sites", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.select_option("#vehicle", "soyuz-2.1b-fregat")
            page.select_option("#site", "vostochny")
            page.select_option("#fly-orbit", "gto")
            page.click("#run-fly")
            page.wait_for_function("document.querySelector('#answer-title').textContent.startsWith('Mission to gto')"
                                   " || !document.querySelector('#error').hidden", timeout=300_000)
            page.fill("#samples", "200")
            page.click("#run-dropzones")
            page.wait_for_function("document.querySelector('#dropzones-card').dataset.orbit === 'gto'"
                                   " && !document.querySelector('#dropzones-card').hidden"
                                   " || !document.querySelector('#error').hidden", timeout=300_000)
            if page.locator("#error").is_visible():
                sys.exit(f"make_screenshot: the page shows an error: {page.inner_text('#error')}")
            # Down to the end of the drop-zone card: the mission, its answer, the map with the
            # footprints and the table of the bodies.
            card = page.locator("#dropzones-card").bounding_box()
            height = card["y"] + card["height"] + 12
            page.screenshot(path=OUT, full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height})
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{OUT}: {os.path.getsize(OUT) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
