"""Reading a JSON request body defensively, before marshmallow sees it.

Python's ``json`` handles any body, but two shapes cost far more than their size suggests: deeply nested
arrays or objects (the C decoder recurses and raises RecursionError, which would be a 500), and bodies made of
millions of tiny values (``[{}, {}, ...]``), each of which marshmallow would validate and report on, taking
a worker for a minute and answering with a megabytes-long error. Both are refused here, cheaply and with a
problem+json answer: 400 for nesting, 413 for too many values. So are strings that are not valid Unicode
(a lone surrogate escape such as ``"\\ud800"``), which would fail deep inside the models: 400.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Request, current_app
from flask_smorest import abort
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

# JSON may escape half of a UTF-16 pair ("\ud800") on its own; Python decodes it to a lone surrogate, which
# no UTF-8 encoder (Flair's, the logger's) accepts.
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser with limits on nesting depth and on the number of JSON values.

    It overrides ``load_json``, the location loader webargs documents for subclasses to replace, rather than the
    private ``_raw_load_json`` / ``_handle_invalid_json_error`` hooks behind it, so a webargs upgrade that
    reshapes those internals cannot silently bypass the limits.
    """

    def load_json(self, req: Request, schema: Schema) -> Any:
        """The decoded body, or ``missing`` for a request without a JSON body (the schema then says what is
        missing); every body that cannot be served is refused here with a problem+json answer."""
        if not is_json_request(req):
            return core.missing
        raw = req.get_data(cache=True)
        if not raw:
            return core.missing
        try:
            data = json.loads(raw.decode("utf-8"))
        except RecursionError:
            abort(400, message="The JSON body is nested too deeply.")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            abort(400, message=f"The body is not valid JSON in UTF-8: {error}")
        limit = current_app.config["SETTINGS"].max_json_values
        if exceeds_value_count(data, limit):
            abort(413, message=f"The JSON body holds more than {limit} values (MAX_JSON_VALUES).")
        if holds_lone_surrogate(data):
            abort(400, message="The JSON body holds a lone surrogate escape (\\ud800-\\udfff): not valid Unicode.")
        return data


def exceeds_value_count(data: Any, limit: int) -> bool:
    """Whether ``data`` holds more than ``limit`` JSON values (containers, keys' values and scalars).

    Iterative, and every value waiting to be visited already counts, so the check costs at most ``limit``
    steps whatever the body.
    """
    seen = 0
    pending = [data]
    while pending:
        value = pending.pop()
        seen += 1
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if seen + len(pending) + len(children) > limit:
            return True
        pending.extend(children)
    return False


def holds_lone_surrogate(data: Any) -> bool:
    """Whether any string or object key in ``data`` holds a lone surrogate (call after the value count)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False
