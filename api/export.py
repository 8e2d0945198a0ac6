"""The whole graph (or one document's) as a download, serialised by a worker into a temporary file.

The worker runs under the time limit like every store job and is free again as soon as
the file is written; the server then sends the file at the client's pace from its event
loop (wsgi.file_wrapper), so a client that reads slowly, or not at all, holds neither a
worker nor a thread, only the file until send_timeout drops it. The file name is offered
twice (RFC 6266): exactly, percent-encoded as UTF-8 in ``filename*``, and as a plain
ASCII ``filename`` for clients that know no better.
"""
from __future__ import annotations

import re
import tempfile
import unicodedata
from urllib.parse import quote

from flask import Blueprint, Response, request
from werkzeug.utils import secure_filename
from werkzeug.wsgi import wrap_file

from api.context import stream
from api.negotiation import DATASETS, GRAPHS, media_type, one_of
from kg.store import FORMATS, Store

bp = Blueprint("export", __name__)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")  # no control characters or path separators in a file name


@bp.get("/export")
def export() -> Response:
    fmt = one_of(GRAPHS, DATASETS)
    document = request.args.get("document")
    spool = tempfile.TemporaryFile()
    for chunk in stream(Store.export, fmt=fmt, document=document):
        spool.write(chunk)
    size = spool.tell()
    spool.seek(0)
    response = Response(wrap_file(request.environ, spool), mimetype=media_type({**GRAPHS, **DATASETS}, fmt),
                        direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = attachment(f"{document or 'graph'}.{FORMATS[fmt].file_extension}")
    return response


def attachment(name: str) -> str:
    """``attachment`` with the name as RFC 6266 asks: an ASCII fallback and the exact name in ``filename*``."""
    exact = CONTROL.sub("_", unicodedata.normalize("NFC", name))
    fallback = secure_filename(exact) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(exact, safe='')}"
