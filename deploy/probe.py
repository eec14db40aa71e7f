"""Open one session on a running app over Streamlit's WebSocket and read what the page drew.

    python -m deploy.probe http://127.0.0.1:8501 "project?project=tj-2022-fraud-ops"

A check for a running process without a browser: it runs the page like a browser's first visit
(the same BackMsg a browser sends) and returns every text the server sent (titles, metrics, captions,
select-box options, the error of a page that raised). Used by tests/deploy and for monitoring a
replica beyond its health endpoint. Works directly against an app or through the proxy.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import ssl
import sys
import time
import urllib.parse
from dataclasses import dataclass, field

import websockets
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class PageRun:
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    finished: str | None = None
    seconds: float = 0.0
    messages: int = 0

    def text(self) -> str:
        return "\n".join(self.texts)


def _strings(msg: Message, out: list[str]) -> None:
    """Every string field of a protobuf message, depth first."""
    for fd, value in msg.ListFields():
        if fd.type not in (fd.TYPE_MESSAGE, fd.TYPE_STRING):
            continue
        items = [value] if isinstance(value, (str, Message)) else list(value)
        if fd.type == fd.TYPE_MESSAGE:
            for item in items:
                if isinstance(item, Message):
                    _strings(item, out)
        elif fd.type == fd.TYPE_STRING:
            out.extend(i for i in items if isinstance(i, str))


async def _run(base_url: str, path: str, timeout: float, headers: dict | None) -> PageRun:
    parts = urllib.parse.urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    page, _, query = path.lstrip("/").partition("?")
    ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    ctx = None
    if scheme == "wss":
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # the documented set-up uses a self-signed certificate
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    run = PageRun()
    t0 = time.monotonic()
    async with websockets.connect(ws_url, subprotocols=["streamlit"], ssl=ctx, max_size=None,
                                  additional_headers=headers or {}, open_timeout=timeout) as ws:
        await ws.send(back.SerializeToString())
        while True:
            data = await asyncio.wait_for(ws.recv(), timeout)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            run.messages += 1
            kind = msg.WhichOneof("type")
            if kind == "delta":
                el = msg.delta.new_element
                if el.WhichOneof("type") == "exception":
                    run.exceptions.append(f"{el.exception.type}: {el.exception.message}")
                _strings(msg.delta, run.texts)
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "script_finished":
                run.finished = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
    run.seconds = time.monotonic() - t0
    return run


def run_page(base_url: str, path: str = "", timeout: float = 60, headers: dict | None = None) -> PageRun:
    """Run ``path`` (e.g. ``project?project=x``) in a new session of the app at ``base_url``."""
    # in a thread of its own: the caller may have an event loop running (Playwright's sync API does)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _run(base_url, path, timeout, headers)).result()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    run = run_page(argv[0], argv[1] if len(argv) > 1 else "")
    print(run.text())
    print(f"-- {run.finished} in {run.seconds:.2f} s, {run.messages} messages"
          + (", PAGE NOT FOUND" if run.page_not_found else "")
          + (f", EXCEPTIONS: {run.exceptions}" if run.exceptions else ""), file=sys.stderr)
    return 0 if run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions and not run.page_not_found else 1


if __name__ == "__main__":
    sys.exit(main())
