"""SOP definitions: the TOML format, its parser and its validator.

Pure Python, no database: `parse_definition(text, source=...)` returns an immutable
`SopDefinition` or raises `SopDefinitionError` naming the file, the line and the problem.
The format is described in docs/sop-format.md.
"""

import datetime as dt
import hashlib
import json
import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property

from aduan.sop.deadlines import DEFAULT_DEADLINES, Deadline, parse_deadlines

APPROVE = "approve"
RETURN = "return"
DECISIONS = (APPROVE, RETURN)
_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class SopDefinitionError(ValueError):
    def __init__(self, source: str, line: int | None, problem: str):
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Step:
    id: str
    role: str
    title: str
    minutes: int
    title_en: str = ""
    input: str = ""
    output: str = ""
    edits_draft: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    decision: str
    label: str
    label_en: str = ""
    note_required: bool = False


@dataclass(frozen=True)
class SopDefinition:
    header: dict
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    edges: tuple[Edge, ...]
    start: str
    end: str
    content_hash: str = field(default="", compare=False)
    # The outer legal clock of a complaint ([deadlines], aduan.sop.deadlines).
    deadlines: tuple[Deadline, ...] = DEFAULT_DEADLINES

    @property
    def code(self) -> str:
        return self.header["code"]

    @property
    def name(self) -> str:
        return self.header["name"]

    @cached_property
    def _steps(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    def step(self, step_id: str) -> Step:
        return self._steps[step_id]

    def has_step(self, step_id: str) -> bool:
        return step_id in self._steps

    def role(self, role_id: str) -> Role:
        return self._roles[role_id]

    def roles_above(self, role_id: str) -> tuple[str, ...]:
        """The roles above `role_id`, nearest first: the file lists [[roles]] from the lowest
        level to the highest (staff, kasi, kabid, kadis)."""
        ids = [r.id for r in self.roles]
        return tuple(ids[ids.index(role_id) + 1 :]) if role_id in ids else ()

    def deadline(self, key: str) -> Deadline:
        return next(d for d in self.deadlines if d.key == key)

    def edges_from(self, step_id: str) -> tuple[Edge, ...]:
        return tuple(e for e in self.edges if e.source == step_id)

    def approve_edge(self, step_id: str) -> Edge:
        return next(e for e in self.edges if e.source == step_id and e.decision == APPROVE)

    def return_edges(self, step_id: str) -> tuple[Edge, ...]:
        return tuple(e for e in self.edges if e.source == step_id and e.decision == RETURN)

    @cached_property
    def main_path(self) -> tuple[Step, ...]:
        """The steps in order from start to end when nothing is returned."""
        path, current = [], self.start
        while current != self.end:
            path.append(self.step(current))
            current = self.approve_edge(current).target
        return tuple(path)

    @cached_property
    def ordered_steps(self) -> tuple[Step, ...]:
        """Every step: the main path first, then any step off it, in file order."""
        main = self.main_path
        return main + tuple(s for s in self.steps if s not in main)

    @property
    def total_minutes(self) -> int:
        """The standard time end to end when nothing is returned."""
        return sum(s.minutes for s in self.main_path)


class _Lines:
    """Finds the line of a table or key in the TOML text, for error messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table(self, name: str, index: int | None = None) -> int | None:
        header = re.compile(
            rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]"
            if index is not None
            else rf"^\s*\[\s*{re.escape(name)}\s*\]"
        )
        seen = -1
        for number, line in enumerate(self.lines, start=1):
            if header.match(line):
                seen += 1
                if index is None or seen == index:
                    return number
        return None

    def key(self, name: str, index: int | None, key: str) -> int | None:
        start = self.table(name, index)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number + 1
        return start


def _text(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def content_hash_of(data: dict) -> str:
    """A hash of the definition's meaning: comments and layout do not change it."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_text)
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_definition(text: str, *, source: str = "<sop>") -> SopDefinition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise SopDefinitionError(
            source, int(match.group(1)) if match else None, f"not valid TOML: {exc}"
        ) from None
    return _validate(data, _Lines(text), source)


def _validate(data: dict, lines: _Lines, source: str) -> SopDefinition:  # noqa: C901
    def fail(problem: str, line: int | None = None):
        raise SopDefinitionError(source, line, problem)

    def require_text(table: dict, key: str, where: str, line: int | None) -> str:
        value = table.get(key) if isinstance(table, dict) else None
        if not isinstance(value, str) or not value.strip():
            fail(f"{where} has no {key!r} (a non-empty text is required)", line)
        return value.strip()

    header = data.get("sop")
    if not isinstance(header, dict):
        fail("there is no [sop] table with the SOP's code, name and office")
    for key in ("code", "name", "office"):
        require_text(header, key, "[sop]", lines.key("sop", None, key) or lines.table("sop"))
    header = {k: _text(v) for k, v in header.items()}

    raw_roles = data.get("roles")
    if not isinstance(raw_roles, list) or not raw_roles:
        fail("there are no [[roles]]: name at least one role (id and name)")
    roles: list[Role] = []
    for i, raw in enumerate(raw_roles):
        line = lines.table("roles", i)
        role_id = require_text(raw, "id", f"role #{i + 1}", line)
        if not _ID.match(role_id):
            fail(f"role id {role_id!r} must be lower-case letters, digits and _", line)
        if any(r.id == role_id for r in roles):
            fail(f"duplicate role id {role_id!r}", line)
        roles.append(
            Role(
                role_id,
                require_text(raw, "name", f"role {role_id!r}", line),
                str(raw.get("name_en", "")),
            )
        )
    role_ids = {r.id for r in roles}

    flow = data.get("flow")
    if not isinstance(flow, dict):
        fail("there is no [flow] table naming the start step and the end")
    flow_line = lines.table("flow")
    start = require_text(flow, "start", "[flow]", lines.key("flow", None, "start") or flow_line)
    end = require_text(flow, "end", "[flow]", lines.key("flow", None, "end") or flow_line)

    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        fail("there are no [[steps]]: an SOP needs at least one step")
    steps: list[Step] = []
    for i, raw in enumerate(raw_steps):
        line = lines.table("steps", i)
        step_id = require_text(raw, "id", f"step #{i + 1}", line)
        if not _ID.match(step_id):
            fail(f"step id {step_id!r} must be lower-case letters, digits and _", line)
        if any(s.id == step_id for s in steps):
            fail(f"duplicate step id {step_id!r}", line)
        if step_id == end:
            fail(f"step id {step_id!r} is the name of the end in [flow]", line)
        role = require_text(raw, "role", f"step {step_id!r}", line)
        if role not in role_ids:
            fail(
                f"step {step_id!r} names unknown role {role!r} "
                f"(roles: {', '.join(sorted(role_ids))})",
                lines.key("steps", i, "role"),
            )
        minutes = raw.get("minutes")
        if minutes is None:
            fail(f"step {step_id!r} has no standard time: set minutes = <working minutes>", line)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            fail(
                f"step {step_id!r} has standard time {minutes!r}: minutes must be a whole "
                "number above 0",
                lines.key("steps", i, "minutes"),
            )
        edits_draft = raw.get("edits_draft", False)
        if not isinstance(edits_draft, bool):
            fail(
                f"step {step_id!r}: edits_draft must be true or false",
                lines.key("steps", i, "edits_draft"),
            )
        steps.append(
            Step(
                id=step_id,
                role=role,
                minutes=minutes,
                edits_draft=edits_draft,
                title=require_text(raw, "title", f"step {step_id!r}", line),
                title_en=str(raw.get("title_en", "")),
                input=str(raw.get("input", "")),
                output=str(raw.get("output", "")),
            )
        )
    step_ids = {s.id for s in steps}
    if start not in step_ids:
        fail(f"[flow] start {start!r} is not a step", lines.key("flow", None, "start"))

    raw_edges = data.get("edges")
    if not isinstance(raw_edges, list) or not raw_edges:
        fail("there are no [[edges]]: each step needs an approve edge toward the end")
    edges: list[Edge] = []
    for i, raw in enumerate(raw_edges):
        line = lines.table("edges", i)
        src = require_text(raw, "from", f"edge #{i + 1}", line)
        dst = require_text(raw, "to", f"edge #{i + 1}", line)
        decision = require_text(raw, "decision", f"edge #{i + 1}", line)
        if src not in step_ids:
            fail(f"edge from {src!r}: there is no step {src!r}", lines.key("edges", i, "from"))
        if dst not in step_ids and dst != end:
            fail(
                f"edge from {src!r} goes to {dst!r}, which is neither a step nor the end {end!r}",
                lines.key("edges", i, "to"),
            )
        if decision not in DECISIONS:
            fail(
                f"edge from {src!r} has decision {decision!r}: use 'approve' or 'return'",
                lines.key("edges", i, "decision"),
            )
        if decision == APPROVE and any(e.source == src and e.decision == APPROVE for e in edges):
            fail(f"step {src!r} has a second approve edge: a step moves forward one way only", line)
        if decision == RETURN and dst == end:
            fail(
                f"return edge from {src!r} goes to the end: a return goes to an earlier step",
                lines.key("edges", i, "to"),
            )
        if any(e.source == src and e.target == dst for e in edges):
            fail(f"duplicate edge from {src!r} to {dst!r}", line)
        note_required = raw.get("note_required", decision == RETURN)
        if not isinstance(note_required, bool):
            fail(f"edge from {src!r}: note_required must be true or false", line)
        if decision == RETURN and not note_required:
            fail(
                f"return edge from {src!r} to {dst!r}: a return always needs a note "
                "(remove note_required = false)",
                lines.key("edges", i, "note_required"),
            )
        label = str(raw.get("label") or ("Setujui" if decision == APPROVE else "Kembalikan"))
        edges.append(Edge(src, dst, decision, label, str(raw.get("label_en", "")), note_required))

    step_line = {s.id: lines.table("steps", i) for i, s in enumerate(steps)}
    approve = {e.source: e.target for e in edges if e.decision == APPROVE}
    for s in steps:
        if s.id not in approve:
            fail(f"step {s.id!r} has no approve edge: it has no way to the end", step_line[s.id])

    # Every step is reachable from the start ...
    reached, queue = {start}, deque([start])
    while queue:
        for e in edges:
            if e.source == queue[0] and e.target not in reached and e.target != end:
                reached.add(e.target)
                queue.append(e.target)
        queue.popleft()
    for s in steps:
        if s.id not in reached:
            fail(f"step {s.id!r} is unreachable from the start {start!r}", step_line[s.id])

    # ... and moving forward from every step reaches the end (no loop of approvals).
    for s in steps:
        path, current = [], s.id
        while current != end:
            if current in path:
                loop = path[path.index(current) :]
                first = min(loop, key=lambda step_id: step_line[step_id] or 0)
                ring = loop[loop.index(first) :] + loop[: loop.index(first)] + [first]
                fail(
                    f"step {first!r} has no way to the end: approving loops {' → '.join(ring)}",
                    step_line[first],
                )
            path.append(current)
            current = approve[current]

    # A return goes to an earlier step: one from which approving leads back here.
    for i, e in enumerate(edges):
        if e.decision != RETURN:
            continue
        current, upstream = e.target, False
        while current != end:
            current = approve[current]
            if current == e.source:
                upstream = True
                break
        if not upstream:
            fail(
                f"return edge from {e.source!r} goes to {e.target!r}, which is not an earlier step",
                lines.key("edges", i, "to"),
            )

    deadlines = parse_deadlines(
        data.get("deadlines"),
        fail=fail,
        line_of=lambda key: (
            (lines.key("deadlines", None, key) if key else None) or lines.table("deadlines")
        ),
    )

    definition_data = {
        "sop": header,
        "roles": [vars(r) for r in roles],
        "flow": {"start": start, "end": end},
        "steps": [vars(s) for s in steps],
        "edges": [vars(e) for e in edges],
    }
    if deadlines != DEFAULT_DEADLINES:
        # Only deadlines that differ count in the hash: writing out the defaults is the same
        # SOP, and versions stored before [deadlines] existed keep their hash.
        definition_data["deadlines"] = {d.key: d.as_data() for d in deadlines}
    return SopDefinition(
        deadlines=deadlines,
        header=header,
        roles=tuple(roles),
        steps=tuple(steps),
        edges=tuple(edges),
        start=start,
        end=end,
        content_hash=content_hash_of(definition_data),
    )
