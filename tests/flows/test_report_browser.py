"""The report page in a real headless browser: Chromium from Debian's packages, driven over its
DevTools protocol. Each page is opened from disk with the network unused; the test collects
console errors, uncaught exceptions, browser log errors and every request the page makes, checks
the rendered DOM, clicks a column header, and takes screenshots that must not be blank.

Chromium is installed with apt-get when missing (as root); where that is impossible the tests
are skipped with the reason printed. Screenshots go to $NEWSETL_SCREENSHOTS when set (else to
pytest's temporary folder); their paths are printed.
"""
from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tasks.report import page as report_page
from tests.report_fixture import EVIL, reports

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0",
]
WIDTH, HEIGHT = 1280, 900
CHART_BLUE = (0x2F, 0x6F, 0x9F)  # tasks.report.svg_charts.PALETTE[0]


APT_SECONDS = 900  # the whole apt-get update + install of chromium; beyond it the tests are skipped


def _chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        reason = "chromium is not installed and cannot be installed here (needs root and apt-get: apt-get install chromium)"
        print(reason)
        pytest.skip(reason)
    print(f"installing chromium from Debian's packages (apt-get install -y chromium, at most {APT_SECONDS} s) ...",
          flush=True)
    deadline = time.monotonic() + APT_SECONDS
    steps = (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o",
         "Dpkg::Options::=--force-confold", "chromium"],
    )
    for step in steps:
        failure = _apt_step(step, deadline)
        if failure:
            reason = f"chromium could not be installed ({' '.join(step)} {failure})"
            print(reason)
            pytest.skip(reason)
    found = shutil.which("chromium")
    if not found:
        reason = "apt-get installed chromium but no chromium command is on PATH"
        print(reason)
        pytest.skip(reason)
    return found


def _apt_step(step: list[str], deadline: float) -> str | None:
    """Run one apt-get command, never asking anything and never past deadline: None if it
    succeeded, else what went wrong. Its output goes to a file (a pipe nobody reads could fill),
    and it runs in its own process group, so a timeout ends its helpers (dpkg, downloads) too."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(step, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return f"did not finish within the {APT_SECONDS} s allowed for installing"
        if code == 0:
            return None
        output.seek(0)
        return f"failed with exit code {code}: {output.read().decode(errors='replace').strip()[-300:]}"


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium_or_skip()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("NEWSETL_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browser:
    """One headless Chromium and one tab, over the DevTools protocol (a websocket)."""

    def __init__(self, binary: str):
        from websockets.sync.client import connect

        self.ws = None
        self.profile = tempfile.mkdtemp(prefix="newsetl-chromium-")
        # Chromium's messages go to a file (a pipe nobody reads would fill and stall it)
        self.stderr = tempfile.TemporaryFile(prefix="newsetl-chromium-stderr-")
        try:
            self.proc = subprocess.Popen(
                [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=self.stderr, start_new_session=True,  # its helpers: one group
            )
        except BaseException:
            self.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        try:  # from here on, a failure closes Chromium and removes its profile folder
            port_file = Path(self.profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chromium did not start its DevTools endpoint: {self.stderr_tail()}")
                time.sleep(0.05)
            port, path = port_file.read_text().split()[:2]
            self.ws = connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=30)
            self.events: list[dict] = []
            self._id = 0
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable", session=True)
            self.call("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH, height=HEIGHT,
                      deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.close()
            raise

    def stderr_tail(self, chars: int = 2000) -> str:
        """The end of what Chromium wrote to its stderr so far."""
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-chars:]

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1))))

    def open(self, page: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        self.js("new Promise(r => setTimeout(r, 300))")  # late errors, layout settled

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and the browser's own error log (CSP, failed loads)."""
        found = []
        for e in self.events:
            p = e.get("params", {})
            if e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif e.get("method") == "Runtime.exceptionThrown":
                details = p.get("exceptionDetails", {})
                found.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
            elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                found.append("log: " + p["entry"].get("text", ""))
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: Path, full_page: bool) -> Path:
        height = min(self.js("document.documentElement.scrollHeight"), 16_000) if full_page else HEIGHT
        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=full_page,
                         clip={"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1})["data"]
        path.write_bytes(base64.b64decode(data))
        print("screenshot:", path)
        return path

    def close(self) -> None:
        """Close the connection, end Chromium, remove its profile folder (safe to call twice)."""
        try:
            if self.ws is not None:
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=20)
            _end_group(self.proc.pid)  # helpers that outlive the browser can still write into its profile
            self.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def _end_group(group: int, timeout: float = 10) -> None:
    """SIGKILL what is left of a process group and wait until none of it runs (zombies aside)."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
        alive = []
        for process in psutil.process_iter(["status"]):
            with contextlib.suppress(psutil.Error, ProcessLookupError):
                if os.getpgid(process.pid) == group and process.info["status"] != psutil.STATUS_ZOMBIE:
                    alive.append(process)
        if not alive:
            return
        time.sleep(0.05)


@pytest.fixture(scope="module")
def browser(chromium):
    b = Browser(chromium)
    yield b
    b.close()


def _recording(monkeypatch) -> tuple[list, list]:
    """(Chromium processes started, profile folders made) by Browser from now on."""
    procs, profiles = [], []
    real_popen, real_mkdtemp = subprocess.Popen, tempfile.mkdtemp

    def popen(*args, **kwargs):
        procs.append(real_popen(*args, **kwargs))
        return procs[-1]

    def mkdtemp(*args, **kwargs):
        profiles.append(real_mkdtemp(*args, **kwargs))
        return profiles[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    return procs, profiles


def test_a_browser_that_fails_to_start_leaves_nothing_behind(chromium, monkeypatch):
    """A failure after Chromium started (here: the DevTools call that opens the tab) ends the
    process and removes its profile folder."""
    procs, profiles = _recording(monkeypatch)

    def refuse(self, method, session=False, **params):
        raise RuntimeError(f"{method}: refused by the test")

    monkeypatch.setattr(Browser, "call", refuse)
    with pytest.raises(RuntimeError, match="Target.createTarget: refused"):
        Browser(chromium)
    assert len(procs) == 1 and procs[0].poll() is not None
    assert len(profiles) == 1 and not Path(profiles[0]).exists()


def test_a_chromium_that_exits_at_once_is_reported_with_its_stderr(tmp_path, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nhead -c 200000 /dev/zero | tr '\\0' x >&2\necho 'no display here' >&2\nexit 1\n")
    fake.chmod(0o755)
    procs, profiles = _recording(monkeypatch)
    with pytest.raises(RuntimeError, match="did not start its DevTools endpoint: x*no display here"):
        Browser(str(fake))  # 200 kB of stderr first: more than a pipe holds
    assert procs[0].poll() == 1 and not Path(profiles[0]).exists()


def test_an_apt_step_that_hangs_is_ended_with_its_helpers(tmp_path):
    """The install of Chromium cannot hang the test run: past its deadline the step and the
    processes it started are killed and the reason returned (the tests are then skipped)."""
    pid_file = tmp_path / "helper.pid"
    hang = ["sh", "-c", f"sleep 300 & echo $! > {pid_file}; wait"]
    started = time.monotonic()
    assert "did not finish within" in _apt_step(hang, time.monotonic() + 1)
    assert time.monotonic() - started < 30
    helper = int(pid_file.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{helper}").exists() or "Z" in Path(f"/proc/{helper}/stat").read_text().split()[2]
    assert _apt_step(["sh", "-c", "echo broken >&2; exit 100"], time.monotonic() + 30) == (
        "failed with exit code 100: broken"
    )
    assert _apt_step(["true"], time.monotonic() + 30) is None


def _ink(path: Path) -> tuple[float, int, int]:
    """(share of pixels that are not near-white, number of distinct colours, pixels of the chart blue)."""
    from PIL import Image

    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    inked = sum(image.convert("L").histogram()[:235])
    colours = image.getcolors(maxcolors=image.width * image.height)
    blue = sum(n for n, rgb in colours if all(abs(a - b) <= 8 for a, b in zip(rgb, CHART_BLUE)))
    return inked / (image.width * image.height), len(colours), blue


def _check_not_blank(path: Path, min_ink: float = 0.05) -> None:
    ink, colours, _ = _ink(path)
    assert ink >= min_ink and colours >= 20, f"{path}: {ink:.1%} inked pixels, {colours} colours"


def _check_clean(browser: Browser, page: Path) -> None:
    assert browser.errors() == []
    assert browser.requests() == [page.resolve().as_uri()]  # the page itself, nothing else


def test_the_harness_sees_errors_and_requests(browser, tmp_path):
    """The checks below can fail: a page that logs an error, throws and fetches is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><p>x</p><img src='http://127.0.0.1:9/x.png'>"
                   "<script>console.error('boom'); setTimeout(function(){ undefinedFunction(); }, 0);</script>")
    browser.open(bad)
    errors = browser.errors()
    assert any("boom" in e for e in errors) and any("undefinedFunction" in e for e in errors)
    assert "http://127.0.0.1:9/x.png" in browser.requests()
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><body style='background:#fff'></body>")
    browser.open(blank)
    with pytest.raises(AssertionError):
        _check_not_blank(browser.screenshot(tmp_path / "blank.png", full_page=False))


def test_fixture_page_in_the_browser(browser, tmp_path, shots):
    page = tmp_path / "index.html"
    page.write_text(report_page.render_page(reports()), encoding="utf-8")
    browser.open(page)
    _check_clean(browser, page)
    assert browser.js("document.scripts.length") == 1
    assert browser.js("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
    assert browser.js(f"document.body.innerText.includes({json.dumps(EVIL)})")  # shown as text, not run
    assert browser.js("[...document.querySelectorAll('h2[id]')].map(h => h.id).slice(0, 4)") == [
        "corpus_summary", "languages", "outlets", "stories_overview"]
    sizes = browser.js("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().height)")
    assert len(sizes) >= 10 and min(sizes) > 20
    claims = "[...document.querySelectorAll('#claims table tbody tr')].map(r => r.lastElementChild.textContent)"
    header = "[...document.querySelectorAll('#claims table')][1].querySelector('th:last-child')"
    assert browser.js(claims).count("d1:1") == 1
    browser.js(f"{header}.click()")
    assert [c for c in browser.js(claims) if c.startswith("d1:")] == ["d1:1", "d1:2", "d1:3", "d1:13", "d1:14"]
    browser.js(f"{header}.click()")
    assert [c for c in browser.js(claims) if c.startswith("d1:")] == ["d1:14", "d1:13", "d1:3", "d1:2", "d1:1"]
    _check_clean(browser, page)
    top = browser.screenshot(shots / "report-fixture-top.png", full_page=False)
    _check_not_blank(top)
    full = browser.screenshot(shots / "report-fixture-full.png", full_page=True)
    _check_not_blank(full)
    assert _ink(full)[2] > 500  # the charts' bars are drawn


def test_sample_run_page_in_the_browser(browser, sample_out, shots):
    from tasks.store.warehouse import sql_files

    page = sample_out / "reports" / "index.html"
    browser.open(page)
    _check_clean(browser, page)
    ids = browser.js("[...document.querySelectorAll('h2[id]')].map(h => h.id)")
    assert sorted(ids) == sorted(p.stem for p in sql_files("reports"))
    assert ids[:2] == ["corpus_summary", "languages"]
    assert browser.js("document.querySelectorAll('svg.chart').length") >= 8
    # documents are named by outlet and headline; a file name is only a tooltip
    shown = browser.js("[...document.querySelectorAll('#claims section, #conflicts section')].map(s => s.innerText).join(' ')")
    assert "Reuters" in shown and ".txt" not in shown
    top = browser.screenshot(shots / "report-sample-top.png", full_page=False)
    _check_not_blank(top)
    full = browser.screenshot(shots / "report-sample-full.png", full_page=True)
    _check_not_blank(full)
    assert _ink(full)[2] > 500
