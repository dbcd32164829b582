"""gunicorn settings for a torch-serving Flask app; every value can be overridden by environment variable.

- No ``preload_app``: each worker imports ``service.wsgi`` after the fork and loads its own models (torch
  state loaded before a fork can hang the children, gunicorn #2478).
- ``gthread`` workers: a few threads per worker keep /healthz and /readyz answering while one request runs
  the models; the models themselves are serialised by a lock, and TORCH_THREADS sets torch's intra-op threads.
- Workers x TORCH_THREADS should not exceed the CPU cores the container gets.
- Every answer is problem+json, those gunicorn gives itself included: its header limits are set above the
  app's (service/requests.py refuses oversized headers with 431), and ``ProblemJsonWorker`` rewrites the few
  answers gunicorn still writes before the app sees a request (a malformed request line, a request line over
  8,190 bytes, headers over the limits below).
"""

import os
import tempfile
import uuid

from gunicorn.workers.gthread import ThreadWorker

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
# Enough threads for every admitted analysis (MAX_INFLIGHT running + MAX_QUEUE waiting) plus two spare: a
# request beyond the queue then reaches the app and is refused with 503 at once, and probes stay answered,
# instead of waiting unseen in gunicorn's connection queue until the gateway gives up.
# (defaults as in service/config.py)
_admitted = int(os.environ.get("MAX_INFLIGHT") or 2) + int(os.environ.get("MAX_QUEUE") or 8)
threads = int(os.environ.get("GUNICORN_THREADS") or _admitted + 2)
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicorn 27 opens one in $HOME by default): nothing in the container should be able to
# reload or stop the server except its signals, and parallel servers on one host would share the path.
control_socket_disable = True
accesslog = None  # the app logs every request as JSON with its request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Header limits above the app's own (100 fields, 8,190 bytes each), so that an oversized header reaches the app
# and gets its 431 problem+json; beyond these, gunicorn refuses the request itself (ProblemJsonWorker).
limit_request_line = 8190  # gunicorn's maximum
limit_request_fields = 200
limit_request_field_size = 32768

# Prometheus multiprocess mode: workers write their samples here and /metrics sums them.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-")


def post_fork(server, worker):
    """Keep torch to its thread budget in each worker before the app (and torch) is imported."""
    threads_per_worker = os.environ.get("TORCH_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", threads_per_worker)
    os.environ.setdefault("MKL_NUM_THREADS", threads_per_worker)
    # oneDNN caches a compiled LSTM kernel per input shape without bound (1,024 entries): capped, worker RSS
    # levels off instead of creeping up with every new sentence length (bench/memory.py measured it).
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "128")
    limit_malloc_arenas(int(os.environ.get("MALLOC_ARENA_MAX") or 2))


def limit_malloc_arenas(arenas: int) -> None:
    """Cap glibc's malloc arenas in this worker before its threads start.

    glibc gives threads their own arenas (up to 8 per core) and each keeps its high-water mark, so a threaded
    worker that handles texts of very different sizes grows for a long time before it levels off (the soak
    test measured 650 -> 1,540 MB in five minutes with the default, 655 -> 1,030 MB with two arenas). The
    environment variable only works when set before the process starts; ``mallopt`` does the same from here,
    as the worker has no threads yet. Without glibc (musl, macOS) the call is ignored or skipped.
    """
    import contextlib
    import ctypes

    m_arena_max = -8  # from glibc's malloc.h
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(m_arena_max, arenas)  # the process's own symbols, libc's among them


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the merged metrics."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# Logged once by a stopping worker when its listening sockets are closed (the SIGTERM test waits for it).
STOPPED_LISTENING = "Worker %s stopped listening: new connections are refused while its requests in flight finish"


def post_worker_init(worker):
    """On SIGTERM, stop listening as soon as the worker stops accepting, not when it exits.

    gunicorn's gthread worker stops accepting at once but keeps its copy of the listening socket open until
    its in-flight requests are done; meanwhile the kernel still completes new connections, which then hang
    unanswered. Closing the socket as soon as accepting stops makes new connections fail at once (refused),
    so a client or gateway retries elsewhere, while the requests in flight finish normally.
    """
    stop_or_start_accepting = worker.set_accept_enabled

    def set_accept_enabled(enabled: bool) -> None:
        stop_or_start_accepting(enabled)
        if not enabled and not worker.alive and any(listener.sock is not None for listener in worker.sockets):
            for listener in worker.sockets:
                listener.close()
            worker.log.info(STOPPED_LISTENING, worker.pid)

    worker.set_accept_enabled = set_accept_enabled


# What a client reads in the problem+json of an answer gunicorn gives itself, by the status gunicorn chose.
SERVER_ERROR_DETAILS = {
    400: "The request line or a header could not be parsed.",
    414: f"The request line is longer than {limit_request_line} bytes.",
    431: f"The request has more than {limit_request_fields} header fields or one longer than "
    f"{limit_request_field_size} bytes.",
    500: "An internal error occurred; quote the request id when reporting it.",
}


class ProblemJsonWorker(ThreadWorker):
    """gunicorn's gthread worker whose own error answers are problem+json instead of an HTML page.

    gunicorn answers a request it cannot parse in ``Worker.handle_error`` (gunicorn/workers/base.py), which
    picks the status, logs, and writes a fixed HTML page to the client socket. This worker keeps all of that
    but the body: it hands ``handle_error`` a stand-in for the socket that turns the page into the service's
    problem+json (service/errors.py) with the same status and a generated request id.
    """

    def handle_error(self, req, client, addr, exc):
        super().handle_error(req, ProblemJsonSocket(client, getattr(req, "path", None)), addr, exc)


class ProblemJsonSocket:
    """A client socket whose ``sendall`` replaces gunicorn's error page ("HTTP/1.1 <status> <reason>" + HTML)
    by a problem+json answer of that status; everything else goes to the real socket."""

    def __init__(self, sock, instance: str | None) -> None:
        self._sock = sock
        self._instance = instance

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        self._sock.sendall(problem_json_answer(data, self._instance))


def problem_json_answer(error_page: bytes, instance: str | None) -> bytes:
    """The HTTP answer that replaces one of gunicorn's error pages: same status line, problem+json body."""
    from service.errors import PROBLEM_MIME, problem_body  # the worker has imported the app by now

    status_line = error_page.split(b"\r\n", 1)[0]
    status = int(status_line.split(b" ", 2)[1])
    request_id = uuid.uuid4().hex
    body = problem_body(status, SERVER_ERROR_DETAILS.get(status), instance, request_id).encode()
    head = (
        f"{status_line.decode('latin-1')}\r\nConnection: close\r\nContent-Type: {PROBLEM_MIME}\r\n"
        f"Content-Length: {len(body)}\r\nX-Request-ID: {request_id}\r\n\r\n"
    )
    return head.encode("latin-1") + body


worker_class = ProblemJsonWorker
