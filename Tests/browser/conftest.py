"""Fixtures for the display's browser tests: the real `deconflict` binary, Chromium through Playwright.

Environment:
  DECONFLICT_BIN   the binary (default .build/debug/deconflict)
  ARTIFACTS_DIR    screenshots and measurements (default /tmp/deconflict-browser-artifacts)
  CHROMIUM         the browser (default /usr/bin/chromium; never a downloaded build)
  DISPLAY_STATIC   "repo": serve Web/static from the work tree through Playwright instead of from
                   the binary's resource bundle (development only, while the build is older than
                   the files). By default the tests refuse to run against a stale bundle.
"""
import hashlib
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

REPO = pathlib.Path(__file__).resolve().parents[2]
STATIC = REPO / "Sources/DeconflictServer/Web/static"
BIN = os.environ.get("DECONFLICT_BIN", str(REPO / ".build/debug/deconflict"))
ARTIFACTS = pathlib.Path(os.environ.get("ARTIFACTS_DIR", "/tmp/deconflict-browser-artifacts"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FROM_REPO = os.environ.get("DISPLAY_STATIC") == "repo"
VIEWPORT = {"width": 1366, "height": 768}


# ---------------------------------------------------------------- HTTP helpers

class Http:
    """A tiny JSON client for the API (the tests' own view, independent of the page)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def request(self, method, path, token=None, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                return r.status, raw
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, token=None, body=None):
        status, raw = self.request(method, path, token, body)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def get(self, path, token=None):
        return self.json("GET", path, token)

    def post_tracks(self, token, reports):
        status, body = self.json("POST", "/v1/tracks", token, {"reports": reports})
        assert status == 202, (status, body)
        return body


def report(aircraft, lat, lon, alt_ft=35000.0, gs_kt=420.0, trk_deg=90.0, vs_fpm=0.0, t=None):
    return {"aircraft": aircraft, "time": t if t is not None else time.time(), "lat": lat, "lon": lon,
            "alt_ft": alt_ft, "gs_kt": gs_kt, "trk_deg": trk_deg, "vs_fpm": vs_fpm}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_health(base, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not come up")


# ---------------------------------------------------------------- server processes

class Process:
    """One server process we started; stopped by its own pid at teardown."""

    def __init__(self, args):
        self.args = args
        self.lines = []
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self._cond = threading.Condition()
        self.done = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.done = True
            self._cond.notify_all()

    def wait_line(self, pattern, timeout=60):
        rx = re.compile(pattern)
        end = time.time() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    m = rx.search(line)
                    if m:
                        return m
                left = end - time.time()
                if left <= 0 or self.done:
                    raise AssertionError(f"no line matching {pattern!r} from {self.args[:2]}: {self.lines[-20:]}")
                self._cond.wait(min(left, 0.5))

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Demo:
    """`deconflict demo --port 0 --seconds 120 --data DIR`: URL and both tokens from its stdout."""

    def __init__(self, data_dir, seconds=120):
        self.data = str(data_dir)
        self.process = Process([BIN, "demo", "--port", "0", "--seconds", str(seconds), "--data", self.data])
        self.url = self.process.wait_line(r"^display: (http://127\.0\.0\.1:\d+/)").group(1)
        self.base = self.url.rstrip("/")
        self.port = int(self.base.rsplit(":", 1)[1])
        self.tokens = {
            "blue": self.process.wait_line(r"party blue token:\s*(\S+)").group(1),
            "red": self.process.wait_line(r"party red token:\s*(\S+)").group(1),
        }
        self.http = Http(self.base)
        wait_health(self.base)

    def stop(self):
        self.process.kill()


class Serve:
    """`deconflict serve --data DIR --port P`."""

    def __init__(self, data_dir, port, *extra):
        self.data = str(data_dir)
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.base + "/"
        self.process = Process([BIN, "serve", "--data", self.data, "--port", str(port), "--log-level", "warning", *extra])
        self.http = Http(self.base)
        wait_health(self.base)

    def stop(self):
        self.process.kill(signal.SIGTERM)


def party_add(data_dir, name, *extra):
    out = subprocess.run([BIN, "party", "add", name, "--data", str(data_dir), *extra],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out.splitlines()[-1].strip()


_checked_bundle = set()


def check_served_files(base):
    """The binary serves its resource bundle, copied at build time: refuse to test a stale copy."""
    if FROM_REPO or base in _checked_bundle:
        return
    for name in ("index.html", "app.js", "style.css"):
        with urllib.request.urlopen(f"{base}/{name}", timeout=5) as r:
            served = r.read()
        local = (STATIC / name).read_bytes()
        if hashlib.sha256(served).digest() != hashlib.sha256(local).digest():
            pytest.fail(f"{BIN} serves an older {name} than Sources/DeconflictServer/Web/static: "
                        f"run `swift build` first (or DISPLAY_STATIC=repo while developing)")
    _checked_bundle.add(base)


@pytest.fixture
def tmpdata():
    with tempfile.TemporaryDirectory(prefix="deconflict-browser-") as d:
        yield pathlib.Path(d)


@pytest.fixture
def demo(tmpdata):
    d = Demo(tmpdata / "data")
    check_served_files(d.base)
    yield d
    d.stop()


# ---------------------------------------------------------------- browser

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html",
                 ".geojson": "application/geo+json", ".txt": "text/plain", ".md": "text/markdown"}


def _route_from_repo(page):
    def handle(route):
        path = route.request.url.split("://", 1)[1].split("/", 1)[1].split("?")[0].split("#")[0]
        f = STATIC / (path or "index.html")
        if not path.startswith("v1/") and f.is_file():
            return route.fulfill(body=f.read_bytes(), content_type=CONTENT_TYPES.get(f.suffix, "application/octet-stream"))
        return route.continue_()
    page.route("**/*", handle)


def launch_args(*extra):
    args = ["--no-sandbox", *extra]
    if FROM_REPO:  # a page fulfilled by Playwright has no address space: let it reach the loopback server
        args.append("--disable-features=LocalNetworkAccessChecks")
    return args


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=launch_args())
    yield b
    b.close()


@pytest.fixture
def new_page(browser):
    """new_page(browser=None) → a fresh context and page (console errors collected in page.errors)."""
    contexts = []

    def make(on=None, viewport=VIEWPORT):
        ctx = (on or browser).new_context(viewport=viewport)
        contexts.append(ctx)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        # Anything the page's Content-Security-Policy refused (a remote URL, an inline style…).
        page.csp_violations = []
        page.on("console", lambda m: page.csp_violations.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text else None)
        if FROM_REPO:
            _route_from_repo(page)
        return page

    yield make
    for c in contexts:
        c.close()


def sign_in(page, url, token, query=""):
    page.goto(url + query)
    page.fill("#token", token)
    page.click("#signin-button")


def wait_signed_in(page, timeout=20000):
    page.wait_for_function("() => window.deconflictDisplay && deconflictDisplay.signedIn && deconflictDisplay.counts().frames > 0",
                           timeout=timeout)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path
