"""A broken SOP file is refused with the file, the line and a problem a person can fix.

Each broken file is the default SOP with one edit, written to a real path so that the
message names it the way `manage.py sop_load` would.
"""

from pathlib import Path

import pytest
from django.conf import settings

from aduan.sop.definition import SopDefinitionError, parse_definition

DEFAULT_TEXT = Path(settings.DEFAULT_SOP_FILE).read_text(encoding="utf-8")

MINIMAL_HEADER = """\
[sop]
code = "SOP/UJI/1"
name = "Uji"
office = "Dinas Uji"
"""

EXTRA_EDGE = """
[[edges]]
from = "{source}"
to = "{target}"
decision = "{decision}"
"""


def edited(old: str, new: str, *, after: str = "", text: str = DEFAULT_TEXT) -> str:
    """The text with the first `old` after `after` replaced by `new` (which must exist)."""
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def line_of(text: str, snippet: str, *, after: str = "") -> int:
    """The number of the line holding the first `snippet` after `after`."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(snippet, start)) + 1


def refusal(tmp_path, text: str) -> tuple[Path, SopDefinitionError]:
    path = tmp_path / "sop_kantor.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopDefinitionError) as exc:
        parse_definition(path.read_text(encoding="utf-8"), source=str(path))
    error = exc.value
    assert error.source == str(path)
    where = f"{path}:{error.line}" if error.line else str(path)
    assert str(error) == f"{where}: {error.problem}"
    return path, error


def assert_refused_at(tmp_path, text: str, line: int, problem: str) -> None:
    path, error = refusal(tmp_path, text)
    assert str(error) == f"{path}:{line}: {problem}"
    assert error.line == line


def test_the_default_file_itself_is_accepted(tmp_path):
    path = tmp_path / "sop_kantor.toml"
    path.write_text(DEFAULT_TEXT, encoding="utf-8")
    assert parse_definition(path.read_text(encoding="utf-8"), source=str(path)).steps


def test_invalid_toml_is_refused_naming_the_line(tmp_path):
    text = edited("minutes = 20", "minutes = 20 menit", after='id = "verify_kasi"')
    path, error = refusal(tmp_path, text)
    assert error.line == line_of(text, "minutes = 20 menit")
    assert str(error).startswith(f"{path}:{error.line}: not valid TOML: ")


def test_an_unclosed_quote_is_refused_naming_the_line(tmp_path):
    text = edited('title = "Menjawab pengaduan masyarakat"', 'title = "Menjawab pengaduan')
    path, error = refusal(tmp_path, text)
    assert error.line == line_of(text, 'title = "Menjawab pengaduan')
    assert str(error).startswith(f"{path}:{error.line}: not valid TOML: ")


def test_a_file_without_the_sop_table_is_refused_naming_the_file(tmp_path):
    text = edited("[sop]\n", "[sop_lama]\n")
    path, error = refusal(tmp_path, text)
    assert error.line is None
    assert str(error) == f"{path}: there is no [sop] table with the SOP's code, name and office"


@pytest.mark.parametrize("key", ["code", "name", "office"])
def test_a_header_without_code_name_or_office_is_refused_at_the_sop_table(tmp_path, key):
    old = next(line for line in DEFAULT_TEXT.splitlines() if line.startswith(f"{key} = "))
    text = edited(old + "\n", "")
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, "[sop]"),
        f"[sop] has no '{key}' (a non-empty text is required)",
    )


@pytest.mark.parametrize("key", ["code", "name", "office"])
def test_a_blank_code_name_or_office_is_refused_at_its_line(tmp_path, key):
    old = next(line for line in DEFAULT_TEXT.splitlines() if line.startswith(f"{key} = "))
    text = edited(old, f'{key} = "  "')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, f'{key} = "  "'),
        f"[sop] has no '{key}' (a non-empty text is required)",
    )


def test_a_file_without_roles_is_refused(tmp_path):
    path, error = refusal(tmp_path, MINIMAL_HEADER)
    assert error.line is None
    assert str(error) == f"{path}: there are no [[roles]]: name at least one role (id and name)"


def test_roles_written_as_a_list_of_names_are_refused_not_crashed(tmp_path):
    # Top-level keys come before the first table in TOML.
    path, error = refusal(tmp_path, 'roles = ["staff", "kasi"]\n\n' + MINIMAL_HEADER)
    assert str(error) == f"{path}: role #1 has no 'id' (a non-empty text is required)"


def test_edges_written_as_pairs_are_refused_not_crashed(tmp_path):
    first_edge = DEFAULT_TEXT.index("[[edges]]")
    text = 'edges = [["draft", "verify_kasi"]]\n\n' + DEFAULT_TEXT[:first_edge]
    path, error = refusal(tmp_path, text)
    assert str(error) == f"{path}: edge #1 has no 'from' (a non-empty text is required)"


def test_a_duplicate_role_id_is_refused_at_the_second_role(tmp_path):
    text = edited('id = "kabid"', 'id = "kasi"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "kasi"', after="Kepala Seksi") - 1,
        "duplicate role id 'kasi'",
    )


def test_an_unknown_role_on_a_step_is_refused_naming_the_line(tmp_path):
    text = edited('role = "kasi"', 'role = "kasie"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'role = "kasie"'),
        "step 'verify_kasi' names unknown role 'kasie' (roles: kabid, kadis, kasi, staff)",
    )


def test_a_duplicate_step_id_is_refused_at_the_second_step(tmp_path):
    text = edited('id = "verify_kabid"', 'id = "verify_kasi"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "verify_kasi"', after='role = "kasi"') - 1,
        "duplicate step id 'verify_kasi'",
    )


def test_a_step_without_a_standard_time_is_refused_at_the_step(tmp_path):
    text = edited("minutes = 20\n", "", after='id = "verify_kasi"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "verify_kasi"') - 1,
        "step 'verify_kasi' has no standard time: set minutes = <working minutes>",
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("0", "0"),
        ("-5", "-5"),
        ("20.5", "20.5"),
        ('"20"', "'20'"),
        ("true", "True"),
    ],
)
def test_minutes_that_are_not_a_whole_number_above_zero_are_refused_at_the_line(
    tmp_path, written, shown
):
    text = edited("minutes = 20", f"minutes = {written}", after='id = "verify_kasi"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, f"minutes = {written}"),
        f"step 'verify_kasi' has standard time {shown}: minutes must be a whole number above 0",
    )


def test_an_edge_from_a_missing_step_is_refused_at_its_from(tmp_path):
    text = edited('from = "verify_kabid"', 'from = "verify_kabit"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'from = "verify_kabit"'),
        "edge from 'verify_kabit': there is no step 'verify_kabit'",
    )


def test_an_edge_to_a_missing_step_is_refused_at_its_to(tmp_path):
    text = edited('to = "approve_kadis"', 'to = "approve_kadiz"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'to = "approve_kadiz"'),
        "edge from 'verify_kabid' goes to 'approve_kadiz', which is neither a step nor the "
        "end 'selesai'",
    )


def test_an_unknown_decision_word_is_refused_at_its_line(tmp_path):
    text = edited('decision = "return"', 'decision = "tolak"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'decision = "tolak"'),
        "edge from 'verify_kasi' has decision 'tolak': use 'approve' or 'return'",
    )


def test_a_step_without_an_approve_edge_is_refused_as_having_no_way_to_the_end(tmp_path):
    last_edge = DEFAULT_TEXT.rindex("[[edges]]")
    text = DEFAULT_TEXT[:last_edge]
    assert 'to = "selesai"' not in text
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "answer"') - 1,
        "step 'answer' has no approve edge: it has no way to the end",
    )


def test_a_loop_of_approve_edges_is_refused_as_having_no_way_to_the_end(tmp_path):
    text = edited('to = "selesai"', 'to = "draft"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "draft"') - 1,
        "step 'draft' has no way to the end: approving loops "
        "draft → verify_kasi → verify_kabid → approve_kadis → answer → draft",
    )


def test_a_loop_is_named_by_its_own_steps_not_by_a_step_leading_into_it(tmp_path):
    text = edited('to = "selesai"', 'to = "verify_kasi"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "verify_kasi"') - 1,
        "step 'verify_kasi' has no way to the end: approving loops "
        "verify_kasi → verify_kabid → approve_kadis → answer → verify_kasi",
    )


def test_an_unreachable_step_is_refused_at_the_step(tmp_path):
    archive = '[[steps]]\nid = "arsip"\nrole = "staff"\ntitle = "Mengarsipkan"\nminutes = 10\n\n'
    text = edited("# Decisions.", archive + "# Decisions.")
    text += EXTRA_EDGE.format(source="arsip", target="selesai", decision="approve")
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "arsip"') - 1,
        "step 'arsip' is unreachable from the start 'draft'",
    )


def test_a_return_edge_to_a_later_step_is_refused_at_its_to(tmp_path):
    text = edited('to = "draft"', 'to = "approve_kadis"', after='decision = "approve"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'to = "approve_kadis"'),
        "return edge from 'verify_kasi' goes to 'approve_kadis', which is not an earlier step",
    )


def test_a_return_edge_to_itself_is_refused_as_not_earlier(tmp_path):
    text = edited('to = "verify_kasi"', 'to = "verify_kabid"', after='from = "verify_kabid"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'to = "verify_kabid"', after='from = "verify_kabid"'),
        "return edge from 'verify_kabid' goes to 'verify_kabid', which is not an earlier step",
    )


def test_a_return_edge_to_the_end_is_refused_at_its_to(tmp_path):
    text = edited('to = "draft"', 'to = "selesai"', after='decision = "approve"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'to = "selesai"'),
        "return edge from 'verify_kasi' goes to the end: a return goes to an earlier step",
    )


def test_a_return_without_a_required_note_is_refused_at_note_required(tmp_path):
    text = edited("note_required = true", "note_required = false")
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, "note_required = false"),
        "return edge from 'verify_kasi' to 'draft': a return always needs a note "
        "(remove note_required = false)",
    )


def test_a_start_that_is_not_a_step_is_refused_at_start(tmp_path):
    text = edited('start = "draft"', 'start = "konsep"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'start = "konsep"'),
        "[flow] start 'konsep' is not a step",
    )


def test_a_step_named_like_the_end_is_refused_at_the_step(tmp_path):
    text = edited('id = "answer"', 'id = "selesai"')
    assert_refused_at(
        tmp_path,
        text,
        line_of(text, 'id = "selesai"') - 1,
        "step id 'selesai' is the name of the end in [flow]",
    )


def test_a_second_approve_edge_on_one_step_is_refused_at_that_edge(tmp_path):
    text = DEFAULT_TEXT + EXTRA_EDGE.format(
        source="draft", target="verify_kabid", decision="approve"
    )
    assert_refused_at(
        tmp_path,
        text,
        text.count("\n", 0, text.rindex("[[edges]]")) + 1,
        "step 'draft' has a second approve edge: a step moves forward one way only",
    )
