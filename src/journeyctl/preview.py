"""``journeyctl preview``: watch maps, re-render them on save, and serve them with live reload.

A map file is served at ``/``; a directory is served as the site ``render -f
html -o DIR`` would write (``/`` is the index, each map at its mirrored path).
Pages are rendered in memory by the HTML renderer and the site index, exactly
as saved files would be; only the response differs: the page's own
Content-Security-Policy ``<meta>`` gives way to an HTTP header that also allows
one same-origin script, ``/_journeyctl/reload.js``, which long-polls
``/_journeyctl/changes`` and reloads the page when a rebuild changed anything.
Saved HTML never carries the script.

A map that stops loading is served as a page of its located errors (and the
index lists it at the top) until it loads again. The server binds to 127.0.0.1
only and refuses requests whose Host header is not the loopback address, so
neither the network nor a web page using DNS rebinding can read the maps.
Files are watched with ``watchfiles`` from the repository root (the nearest
directory with ``.git`` or ``.journeyctl.yaml``), so shared files and the lint
configuration count too.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl.errors import JourneyError, MapInvalid, UsageError

if TYPE_CHECKING:
    from journeyctl.renderers.batch import Outcome

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
SCRIPT_PATH = "/_journeyctl/reload.js"
CHANGES_PATH = "/_journeyctl/changes"
#: How long a long-poll waits before answering "no change" (the script asks again at once).
POLL_SECONDS = 25.0
#: The saved pages' policy plus the reload script and its requests, all same-origin.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
WATCHED_SUFFIXES = (".yaml", ".yml", ".toml")

_META_CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')

RELOAD_SCRIPT = b"""\
// journeyctl preview: reload this page when the maps behind it change.
(function () {
  var version = document.currentScript.getAttribute("data-version");
  function poll() {
    fetch("/_journeyctl/changes?since=" + encodeURIComponent(version), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        if (String(answer.version) !== version) { window.location.reload(); } else { poll(); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // the preview restarting, say
  }
  poll();
})();
"""


def format_error(error: JourneyError) -> str:
    """``path:line:col: error: message (at key)``, as the other commands print it."""
    message = error.message
    if error.key_path:
        message += f" (at {error.key_path})"
    prefix = f"{error.location}: " if error.location is not None and error.location.path else ""
    return f"{prefix}error: {message}"


@dataclass(frozen=True)
class Build:
    """The pages of one rebuild (URL path -> HTML without the reload script) and the errors met."""

    pages: dict[str, bytes]
    errors: tuple[JourneyError, ...]
    maps: int


def error_page(title: str, errors: Sequence[JourneyError]) -> bytes:
    """A page listing located errors; served where a map that does not load would be."""
    items = "\n".join(
        f"<li><code>{html.escape(format_error(error))}</code>"
        + (f"<br><span class=hint>hint: {html.escape(error.hint)}</span>" if error.hint else "")
        + "</li>"
        for error in errors
    )
    return (
        "<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff}"
        "h1{font-size:1.4rem;color:#8a1c1c}li{margin:.6rem 0}code{white-space:pre-wrap;font-size:.95rem}"
        ".hint{color:#4a4a4a}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p>The preview shows this page until the file loads again; "
        "it reloads by itself on the next save.</p>\n"
        f"<ul class=journeyctl-errors>\n{items}\n</ul>\n</body>\n</html>\n"
    ).encode()


def _error_panel(failed: Sequence[tuple[str, str, Sequence[JourneyError]]]) -> bytes:
    """The box at the top of the index naming the maps that do not load, linking their error pages."""
    rows = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(source)}</a>: '
        f"{len(errors)} error{'s' if len(errors) != 1 else ''}, first "
        f"<code>{html.escape(format_error(errors[0]))}</code></li>"
        for source, href, errors in failed
        if errors
    )
    return (
        '<section class=journeyctl-errors style="border:2px solid #8a1c1c;padding:.5rem 1rem;'
        'margin:1rem;background:#fff;color:#1b1b1b">'
        f'<h2 style="color:#8a1c1c">{len(failed)} map{"s" if len(failed) != 1 else ""} '
        f"not loading</h2><ul>{rows}</ul></section>\n"
    ).encode()


def build_file(path: str, *, max_size: int | None) -> Build:
    """The page of one map file, at ``/`` and at ``/<name>.html``."""
    from journeyctl.loader import load_file
    from journeyctl.renderers import get_renderer

    renderer = get_renderer("html")
    try:
        page = renderer.render(load_file(path, max_size=max_size), renderer.Options())
        errors: tuple[JourneyError, ...] = ()
    except MapInvalid as exc:
        errors = tuple(exc.errors)
    except JourneyError as exc:
        errors = (exc,)
    if errors:
        page = error_page(f"{path} does not load", errors)
    return Build({"/": page, "/" + Path(path).stem + ".html": page}, errors, 1)


def build_directory(path: str, *, max_size: int | None) -> Build:
    """The site of a directory of maps: the index at ``/``, each map's page (or error page), the portfolio."""
    from journeyctl.renderers import get_renderer
    from journeyctl.renderers.batch import plan, render_plan
    from journeyctl.renderers.site import build_site

    renderer = get_renderer("html")
    try:
        the_plan = plan([path], os.curdir, renderer, stdout_isatty=False)
    except JourneyError as exc:
        return Build({"/": error_page(f"Nothing to preview in {path}", [exc])}, (exc,), 0)
    # In-process (jobs=1): the models and templates stay warm between saves.
    outcomes: list[Outcome] = render_plan(
        the_plan, renderer, renderer.Options(), max_size=max_size, jobs=1, keep_loaded=True
    )
    pages: dict[str, bytes] = {}
    failed: list[tuple[str, str, Sequence[JourneyError]]] = []
    errors: list[JourneyError] = []
    for outcome in outcomes:
        target = outcome.job.target or ""
        href = Path(os.path.relpath(target, os.curdir)).as_posix()
        if outcome.errors:
            errors.extend(outcome.errors)
            failed.append((outcome.job.source, urllib.parse.quote(href), outcome.errors))
            pages["/" + href] = error_page(f"{outcome.job.source} does not load", outcome.errors)
        else:
            pages["/" + href] = outcome.data or b""
    rendered = [o for o in outcomes if o.loaded is not None and o.job.target]
    try:
        # The whole portfolio (index, findings, pages across maps), linted by the render workers.
        site = build_site(
            [(o.loaded, o.job.target) for o in rendered if o.loaded is not None and o.job.target],
            os.curdir,
            linted=[(o.findings or [], o.facts) for o in rendered if o.facts is not None],
        )
        for relative, data in site.files:
            pages.setdefault("/" + relative, data)  # keyed as served: unquoted
        index = site.index
    except JourneyError as exc:  # a bad lint configuration, say: the index cannot count findings
        errors.append(exc)
        index = error_page("The site index cannot be built", [exc])
    if failed:
        index = re.sub(rb"(<body[^>]*>\n?)", lambda m: m.group(1) + _error_panel(failed), index, count=1)
    pages["/"] = pages["/index.html"] = index
    return Build(pages, tuple(errors), len(outcomes))


class PreviewSite:
    """The served pages, rebuilt from the files on demand; readers wait on a version that moves on change."""

    def __init__(self, path: str, *, max_size: int | None) -> None:
        self.path = path
        self.max_size = max_size
        self.pages: dict[str, bytes] = {}
        self.version = 0
        self.closing = False
        self._changed = threading.Condition()

    def rebuild(self) -> Build:
        """Render everything again; the version moves only when some page's bytes changed."""
        builder = build_directory if os.path.isdir(self.path) else build_file
        build = builder(self.path, max_size=self.max_size)
        with self._changed:
            if build.pages != self.pages:
                self.pages = build.pages
                self.version += 1
                self._changed.notify_all()
        return build

    def response(self, url_path: str) -> tuple[bytes, int] | None:
        """The page at ``url_path`` with the reload script, and the version it shows; None if no such page."""
        with self._changed:
            page = self.pages.get(url_path)
            version = self.version
        if page is None:
            return None
        page = _META_CSP.sub(b"", page, count=1)
        script = f'<script src="{SCRIPT_PATH}" data-version="{version}"></script>\n'.encode()
        if b"</body>" in page:
            head, _, tail = page.rpartition(b"</body>")
            return head + script + b"</body>" + tail, version
        return page + script, version

    def wait_for_change(self, since: int, timeout: float = POLL_SECONDS) -> int:
        """The version once it differs from ``since`` (or after ``timeout``, or when closing)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.version == since and not self.closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return self.version

    def close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()


def make_handler(
    site: PreviewSite, allowed_hosts: frozenset[str]
) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler class serving ``site``."""

    class PreviewHandler(http.server.BaseHTTPRequestHandler):
        server_version = "journeyctl-preview"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.headers.get("Host", "") not in allowed_hosts:
                self._send(403, b"journeyctl preview answers only to its loopback address\n", "text/plain")
                return
            url = urllib.parse.urlsplit(self.path)
            if url.path == SCRIPT_PATH:
                self._send(200, RELOAD_SCRIPT, "text/javascript")
            elif url.path == CHANGES_PATH:
                since = urllib.parse.parse_qs(url.query).get("since", ["-1"])[0]
                version = site.wait_for_change(int(since) if since.lstrip("-").isdigit() else -1)
                self._send(200, json.dumps({"version": version}).encode(), "application/json")
            else:
                found = site.response(urllib.parse.unquote(url.path))
                if found is None:
                    self._send(404, b"no such page in this preview\n", "text/plain")
                else:
                    self._send(200, found[0], "text/html", extra={"Content-Security-Policy": PREVIEW_CSP})

        def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # one line per request would drown the rebuild messages

    return PreviewHandler


def start_server(site: PreviewSite, port: int) -> http.server.ThreadingHTTPServer:
    """Bind 127.0.0.1:``port`` (0: a free port) and serve ``site`` from a background thread."""
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), make_handler(site, frozenset()))
    except OSError as exc:
        raise UsageError(
            f"cannot serve on {HOST}:{port}: {exc.strerror or exc}; "
            "choose another --port (0 picks a free one)"
        ) from None
    bound = server.server_address[1]
    server.RequestHandlerClass = make_handler(site, frozenset({f"{HOST}:{bound}", f"localhost:{bound}"}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="journeyctl-preview", daemon=True).start()
    return server


def watch_root(path: str) -> Path:
    """Where to watch from: the repository root of ``path``, so includes and configuration count."""
    from journeyctl.loader import find_repository_root

    start = Path(path) if os.path.isdir(path) else Path(path).parent
    return find_repository_root(start if str(start) else Path("."))


def map_filter() -> Callable[[Any, str], bool]:
    """Changes to YAML and TOML files, outside what watchfiles ignores by default (.git, node_modules...)."""
    import watchfiles

    default = watchfiles.DefaultFilter()

    def watched(change: Any, path: str) -> bool:
        return path.endswith(WATCHED_SUFFIXES) and default(change, path)

    return watched


def report_build(build: Build, write: Callable[[str], Any]) -> None:
    stamp = time.strftime("%H:%M:%S")
    for error in build.errors:
        write(format_error(error) + "\n")
    if build.errors:
        write(f"[{stamp}] rendered with {len(build.errors)} error(s); the page shows them until fixed\n")
    else:
        write(f"[{stamp}] rendered {build.maps} map{'s' if build.maps != 1 else ''}\n")


def run_preview(
    path: str, *, port: int = DEFAULT_PORT, open_browser: bool = False, max_size: int | None
) -> int:
    """Serve ``path`` until Ctrl-C (exit 0); a missing path or a taken port is a UsageError (exit 2)."""
    import watchfiles

    if not os.path.exists(path):
        from journeyctl.walk import no_such_path

        raise no_such_path(path)

    def write(text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()

    site = PreviewSite(path, max_size=max_size)
    server = None
    stop = threading.Event()
    try:
        report_build(site.rebuild(), write)
        server = start_server(site, port)
        url = f"http://{HOST}:{server.server_address[1]}/"
        write(f"Previewing {path} at {url} (Ctrl-C to stop)\n")
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        for _changes in watchfiles.watch(
            watch_root(path), watch_filter=map_filter(), debounce=200, step=50, stop_event=stop
        ):
            report_build(site.rebuild(), write)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        site.close()
        if server is not None:
            server.shutdown()
            server.server_close()
    write("Preview stopped.\n")
    return 0
