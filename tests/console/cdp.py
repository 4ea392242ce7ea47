"""A small client of the Chrome DevTools Protocol: starts headless Chromium on a free debugging
port (read back from DevToolsActivePort) and drives its page over a WebSocket
(python3-websocket): evaluate JavaScript, click, type, take screenshots."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
START_TIMEOUT_S = 30
CALL_TIMEOUT_S = 30


class CdpError(Exception):
    pass


class Page:
    """One page target. JavaScript exceptions and console.error calls are kept in `errors`."""

    def __init__(self, websocket_url):
        self.socket = websocket.create_connection(websocket_url, timeout=CALL_TIMEOUT_S,
                                                  suppress_origin=True)
        self.next_id = 0
        self.errors = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def close(self):
        self.socket.close()

    def _note_event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append(details.get("exception", {}).get("description")
                               or details.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                        for a in params.get("args", [])))

    def call(self, method, **params):
        self.next_id += 1
        request_id = self.next_id
        self.socket.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == request_id:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._note_event(message)

    def evaluate(self, expression):
        """The value of a JavaScript expression (promises awaited), as JSON would carry it."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise CdpError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=20, what=None):
        """Polls `expression` until it is truthy; returns its value, fails after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or expression}")
            time.sleep(0.1)

    def navigate(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", what=f"{url} to load")

    def set_viewport(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def click(self, selector):
        """A real mouse click (pressed and released) at the centre of the element."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null; e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()")
        if box is None:
            raise AssertionError(f"no element {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box["x"], y=box["y"],
                      button="left", clickCount=1)

    def type_text(self, text):
        self.call("Input.insertText", text=text)

    def press(self, key, code, key_code, modifiers=0):
        """A key press; modifiers: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift."""
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=key_code, nativeVirtualKeyCode=key_code,
                      modifiers=modifiers)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


class Chromium:
    """Headless Chromium with its own profile directory, stopped by close()."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="plexus-chromium-")
        args = [CHROMIUM, "--headless=new", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", "--remote-allow-origins=*",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu",
                "--disable-extensions", "--disable-background-networking", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.port = self._read_port()

    def _read_port(self):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited: {self.process.stderr.read()}")
            try:
                with open(path) as f:
                    lines = f.read().split("\n")
                if lines[0].strip():
                    return int(lines[0])
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        self.close()
        raise RuntimeError("chromium never wrote DevToolsActivePort")

    def page(self):
        """The first page target (the about:blank tab Chromium opened)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list",
                                        timeout=10) as response:
                targets = json.load(response)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return Page(pages[0]["webSocketDebuggerUrl"])
            if time.monotonic() > deadline:
                raise RuntimeError(f"no page target: {targets}")
            time.sleep(0.1)

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
