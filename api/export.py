"""The whole graph (or one document's) as a download, streamed from a worker while the store serialises it.

The worker runs under the time limit like every store job, and is stopped when the
client stops reading (the server drops a connection whose client reads nothing for
send_timeout). The file name is offered twice (RFC 6266): exactly, percent-encoded as
UTF-8 in ``filename*``, and as a plain ASCII ``filename`` for clients that know no better.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, Response, request
from werkzeug.utils import secure_filename

from api.context import stream
from api.negotiation import DATASETS, GRAPHS, media_type, one_of
from kg.store import FORMATS, GraphStore

bp = Blueprint("export", __name__)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")  # no control characters or path separators in a file name


@bp.get("/export")
def export() -> Response:
    fmt = one_of(GRAPHS, DATASETS)
    document = request.args.get("document")
    chunks = stream(GraphStore.export, fmt=fmt, document=document)
    response = Response(chunks, mimetype=media_type({**GRAPHS, **DATASETS}, fmt))
    response.headers["Content-Disposition"] = attachment(f"{document or 'graph'}.{FORMATS[fmt].file_extension}")
    response.vary.add("Accept")
    return response


def attachment(name: str) -> str:
    """``attachment`` with the name as RFC 6266 asks: an ASCII fallback and the exact name in ``filename*``."""
    exact = CONTROL.sub("_", unicodedata.normalize("NFC", name))
    fallback = secure_filename(exact) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(exact, safe='')}"
