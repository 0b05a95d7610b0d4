"""The optional [deadlines] table of an SOP file: the outer legal clock of a complaint.

Defaults are Perpres 76/2013: verified within 3 working days, followed up within 5 working
days, resolved within 60 (calendar) days. A broken table is refused with the file, the line
and what to write instead.
"""

from pathlib import Path

import pytest
from django.conf import settings

from aduan.sop.deadlines import DEFAULT_DEADLINES, Deadline
from aduan.sop.definition import SopDefinitionError, parse_definition

DEFAULT_TEXT = Path(settings.DEFAULT_SOP_FILE).read_text(encoding="utf-8")
TABLE = """[deadlines]
verify = { working_days = 3 }
follow_up = { working_days = 5 }
resolve = { days = 60 }
"""
assert TABLE in DEFAULT_TEXT


def with_table(table: str) -> str:
    return DEFAULT_TEXT.replace(TABLE, table)


def refused(table: str) -> SopDefinitionError:
    with pytest.raises(SopDefinitionError) as exc:
        parse_definition(with_table(table), source="sop_kantor.toml")
    return exc.value


def line_of(text: str, snippet: str) -> int:
    return text.count("\n", 0, text.index(snippet)) + 1


def test_the_default_sop_states_the_perpres_deadlines():
    sop = parse_definition(DEFAULT_TEXT)
    assert sop.deadlines == (
        Deadline("verify", 3, working=True),
        Deadline("follow_up", 5, working=True),
        Deadline("resolve", 60, working=False),
    )


def test_a_file_without_the_table_has_the_same_deadlines_and_the_same_version():
    without = parse_definition(with_table(""))
    assert without.deadlines == DEFAULT_DEADLINES
    assert without.content_hash == parse_definition(DEFAULT_TEXT).content_hash


def test_a_table_may_change_one_deadline_and_keep_the_others():
    sop = parse_definition(with_table("[deadlines]\nresolve = { working_days = 14 }\n"))
    assert sop.deadline("resolve") == Deadline("resolve", 14, working=True)
    assert sop.deadline("verify") == DEFAULT_DEADLINES[0]
    assert sop.content_hash != parse_definition(DEFAULT_TEXT).content_hash


@pytest.mark.parametrize(
    ("table", "snippet", "problem"),
    [
        (
            "[deadlines]\nanswer = { days = 3 }\n",
            "answer =",
            "[deadlines] has unknown deadline 'answer' (known: verify, follow_up, resolve)",
        ),
        (
            "[deadlines]\nverify = 3\n",
            "verify = 3",
            "deadline 'verify' must name one count, in working_days or days: "
            "write verify = { working_days = 3 }",
        ),
        (
            "[deadlines]\nresolve = { days = 60, working_days = 40 }\n",
            "resolve =",
            "deadline 'resolve' must name one count, in working_days or days: "
            "write resolve = { days = 60 }",
        ),
        (
            "[deadlines]\nfollow_up = { hours = 40 }\n",
            "follow_up =",
            "deadline 'follow_up' counts 'hours': use working_days or days "
            "(e.g. follow_up = { working_days = 5 })",
        ),
        (
            "[deadlines]\nverify = { working_days = 0 }\n",
            "verify =",
            "deadline 'verify' has working_days = 0: a whole number from 1 to 366",
        ),
        (
            '[deadlines]\nresolve = { days = "60" }\n',
            "resolve =",
            "deadline 'resolve' has days = '60': a whole number from 1 to 366",
        ),
        (
            "[deadlines]\nresolve = { days = 6000 }\n",
            "resolve =",
            "deadline 'resolve' has days = 6000: a whole number from 1 to 366",
        ),
        (
            "deadlines = 60\n",
            "deadlines = 60",
            "[deadlines] must be a table, e.g. [deadlines] with verify = { working_days = 3 }",
        ),
    ],
)
def test_a_broken_table_is_refused_with_its_line(table, snippet, problem):
    if table.startswith("deadlines ="):  # a key, not a table: it must sit before any table
        text = DEFAULT_TEXT.replace(TABLE, "").replace("[sop]\n", table + "[sop]\n", 1)
        with pytest.raises(SopDefinitionError) as exc:
            parse_definition(text, source="sop_kantor.toml")
        error = exc.value
        assert error.problem == problem
        return
    error = refused(table)
    assert error.problem == problem
    assert error.line == line_of(with_table(table), snippet)
    assert str(error).startswith(f"sop_kantor.toml:{error.line}: ")


def test_roles_are_listed_from_the_lowest_level_to_the_highest():
    sop = parse_definition(DEFAULT_TEXT)
    assert sop.roles_above("staff") == ("kasi", "kabid", "kadis")
    assert sop.roles_above("kabid") == ("kadis",)
    assert sop.roles_above("kadis") == ()
