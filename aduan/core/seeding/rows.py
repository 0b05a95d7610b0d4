"""Writing rows fast: executemany on SQLite, COPY on PostgreSQL, ids reserved up front,
instants written as the database stores them, and running counts added to what is there.
"""

import contextlib
import datetime as dt
import enum
import itertools
import queue
import threading

from django.db import connection

from aduan.core.seeding.clock import DAY, EPOCH

CHUNK = 20_000  # rows of one table sent at once


class Stamps:
    """Epoch seconds as the database's datetime text (UTC) and as isoformat() of the UTC
    datetime Django reads back (what the audit hash covers)."""

    def __init__(self, vendor: str):
        self.suffix = "+00" if vendor == "postgresql" else ""
        self._days: dict[int, str] = {}
        self._texts: dict[int, str] = {}
        self._clock = [f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440)]
        self._seconds = [f"{s:02d}" for s in range(60)]

    def day(self, number: int) -> str:
        text = self._days.get(number)
        if text is None:
            text = self._days[number] = (EPOCH + dt.timedelta(days=number)).isoformat()
        return text

    def db(self, instant: int | None) -> str | None:
        if instant is None:
            return None
        text = self._texts.get(instant)
        if text is None:
            if len(self._texts) > 200_000:
                self._texts.clear()
            number, second = divmod(instant, DAY)
            text = self._texts[instant] = (
                f"{self.day(number)} {self._clock[second // 60]}{self._seconds[second % 60]}"
                f"{self.suffix}"
            )
        return text

    def iso(self, instant: int) -> str:
        number, second = divmod(instant, DAY)
        return f"{self.day(number)}T{self._clock[second // 60]}{self._seconds[second % 60]}+00:00"


class Writer:
    """Sends chunks of rows to the database from a thread of its own, so that PostgreSQL's
    work on a COPY overlaps the making of the next rows (psycopg waits on the network
    without the GIL). On SQLite it gains nothing measurable: the inserts run in this
    process and the GIL hands them the CPU in turn with the rows' making. One connection
    and one transaction: the caller makes no query of its own between sending rows and
    `drain()` (PostgreSQL's id blocks excepted: psycopg serialises the connection's use),
    and drains before it commits."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.postgresql = connection.vendor == "postgresql"
        self.jobs: queue.Queue = queue.Queue(maxsize=3)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="seed-writer", daemon=True)
        self.thread.start()

    def send(self, sql: str, rows: list[tuple]) -> None:
        self._raise()
        self.jobs.put((sql, rows))

    def drain(self) -> None:
        self.jobs.join()
        self._raise()

    @contextlib.contextmanager
    def idle_on_exit(self):
        """Leave the block only once every row sent is written (or failed): a transaction
        must not end, by commit or rollback, under the writer's feet."""
        try:
            yield
        except BaseException:
            self.jobs.join()
            self.error = None
            raise
        self.drain()

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:  # after a failure, the rest are dropped: rollback
                    self._write(*job)
            except BaseException as exc:  # handed to the caller by send() or drain()
                self.error = exc
            finally:
                self.jobs.task_done()

    def _write(self, sql: str, rows: list[tuple]) -> None:
        if self.postgresql:
            with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.raw.executemany(sql, rows)


class Table:
    """Rows of one model: the `columns` given by the caller in that order, every other
    column its field's default. Sent in chunks of CHUNK rows, through `writer`."""

    def __init__(self, model, columns: tuple[str, ...], *, writer: Writer, **constants):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for name, f in fields.items() if name not in columns and name != "id"]
        names = [fields[name].column for name in columns] + [f.column for f in rest]
        tail = []
        for f in rest:
            value = constants.get(f.attname, f.get_default())
            if isinstance(value, enum.Enum):
                value = value.value
            tail.append(f.get_db_prep_save(value, connection))
        self.tail = tuple(tail)
        table, quoted = model._meta.db_table, ", ".join(f'"{c}"' for c in names)
        if writer.postgresql:
            self.sql = f'COPY "{table}" ({quoted}) FROM STDIN'
        else:
            marks = ", ".join("?" for _c in names)
            self.sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
        self.writer = writer
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.tail)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.send(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []


class Ids:
    """Primary keys for new rows of a model, taken before the rows are written (steps point
    at their complaint, drafts at their step, audit events at all of them). SQLite: after
    the largest, read now (the write lock is held by this transaction); PostgreSQL: from the
    table's sequence, a block at a time, so a concurrent insert never takes the same.
    `take()` gives the next."""

    BLOCK = 10_000

    def __init__(self, model):
        self.table = model._meta.db_table
        if connection.vendor == "postgresql":
            self.take = self._blocks().__next__
        else:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT MAX("id") FROM "{self.table}"')
                self.take = itertools.count((cursor.fetchone()[0] or 0) + 1).__next__

    def _blocks(self):
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, self.BLOCK],
                )
                block = [row[0] for row in cursor.fetchall()]
            yield from block


def counts_add(model, keys: tuple[str, ...], names: tuple[str, ...], table: dict) -> int:
    """Add the counts in `table` ({key values: counts}) to the rows of `model` with those
    keys, creating the missing rows (INSERT ... ON CONFLICT DO UPDATE, on both databases).
    Day keys get their week and month columns, as aduan.dashboard.tallies writes them."""
    if not table:
        return 0
    fields = {f.name for f in model._meta.get_fields()}
    grouping = [name for name in ("week", "month") if name in fields]
    db_table = model._meta.db_table
    columns = [model._meta.get_field(k).column for k in keys] + grouping + list(names)
    conflict = ", ".join(f'"{model._meta.get_field(k).column}"' for k in keys)
    updates = ", ".join(f'"{n}" = "{db_table}"."{n}" + excluded."{n}"' for n in names)
    mark = "%s" if connection.vendor == "postgresql" else "?"
    names_sql = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'INSERT INTO "{db_table}" ({names_sql}) '
        f"VALUES ({', '.join(mark for _c in columns)}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    day_at = keys.index("day")
    rows = []
    for key, counts in table.items():
        day = key[day_at]
        extra = []
        if "week" in grouping:
            extra.append(day - dt.timedelta(days=day.weekday()))
        if "month" in grouping:
            extra.append(day.replace(day=1))
        rows.append((*key, *extra, *counts))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.cursor.executemany(sql, rows)
        else:
            cursor.cursor.executemany(
                sql,
                [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in rows],
            )
    return len(rows)
