"""Log lines as JSON, one object per line, for a log collector (ADUAN_LOG_FORMAT=json).

Each record becomes {"time", "level", "logger", "message"} and, when there are any,
"request_id" (aduan.lib.request_id), "status_code" (Django's request and server logs),
"exc_info" and "stack_info" (the traceback as one string). Nothing else of the record is
written: not its arguments apart from the message they make, nor the request object
Django attaches, so a JSON line says no more about a person than the text line does.
"""

import datetime as dt
import json
import logging

from aduan.lib.request_id import current_request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            line["request_id"] = request_id
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            line["status_code"] = status_code
        if record.exc_info:
            # Cached on the record like logging.Formatter does, for the other handlers.
            if not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        # JSON escapes line breaks and control characters: one physical line whatever the
        # message holds, and a message cannot forge a line of its own.
        return json.dumps(line, ensure_ascii=True, default=str)
