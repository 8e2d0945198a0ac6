"""The whole graph (or one document's) as a download, streamed while the store serialises it."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

from flask import Blueprint, Response, request

from api.context import context
from api.negotiation import DATASETS, GRAPHS, media_type, one_of
from kg import catalog
from kg.errors import NotFoundError
from kg.store import FORMATS

bp = Blueprint("export", __name__)
END = object()


@bp.get("/export")
def export() -> Response:
    fmt = one_of(GRAPHS, DATASETS)
    document = request.args.get("document")
    if document is not None and not catalog.documents(context().store, document):
        raise NotFoundError(f"no document named {document!r}; GET /documents lists them")
    store = context().store
    stem = document or "graph"
    response = Response(streamed(lambda out: store.export(out, fmt, document)),
                        mimetype=media_type({**GRAPHS, **DATASETS}, fmt))
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{FORMATS[fmt].file_extension}"'
    return response


class Chunks:
    """A write-only file whose writes a reader takes from a bounded queue; it fails once the reader left."""

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue(maxsize=16)
        self.abandoned = threading.Event()

    def write(self, data: bytes) -> int:
        self.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def put(self, item: object) -> None:
        while not self.abandoned.is_set():
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the client stopped reading")


def streamed(write: Callable[[BinaryIO], None]) -> Iterator[bytes]:
    """What ``write`` writes, yielded as it is written: it runs in a thread, memory stays bounded."""
    chunks = Chunks()

    def produce() -> None:
        try:
            write(chunks)
            last: object = END
        except BaseException as error:  # handed to the reader, which raises it in the response
            last = error
        try:
            chunks.put(last)
        except BrokenPipeError:  # the reader left first
            pass

    threading.Thread(target=produce, daemon=True, name="kg-export").start()
    try:
        while (item := chunks.queue.get()) is not END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        chunks.abandoned.set()
