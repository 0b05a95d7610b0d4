"""Random decisions by random officials never break a rule of the SOP engine.

A hypothesis state machine registers a few complaints and then lets officials (with one
role, with several roles, with none, or no longer active) decide open and stale steps,
with valid and invalid decisions, targets and notes. Beside the database it keeps a small
model in plain Python of what the engine should do; after every action it checks the
outcome against the model and every rule against the database.
"""

from dataclasses import dataclass, field

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from aduan.accounts.models import RoleGrant, User
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.lib.text import clean_text
from aduan.sop.engine import Outcome, decisions_for, step_decide
from conftest import make_official

# The default SOP (SOP/PIPD/PIAK/11) as the model knows it, written out by hand so that
# the model does not lean on the parser it checks; the first test keeps it honest.
END = "selesai"
STEP_ROLE = {
    "draft": "staff",
    "verify_kasi": "kasi",
    "verify_kabid": "kabid",
    "approve_kadis": "kadis",
    "answer": "staff",
}
EDGE_TARGET = {  # (step, decision) -> the step it leads to; every return needs a note
    ("draft", "approve"): "verify_kasi",
    ("verify_kasi", "approve"): "verify_kabid",
    ("verify_kasi", "return"): "draft",
    ("verify_kabid", "approve"): "approve_kadis",
    ("verify_kabid", "return"): "verify_kasi",
    ("approve_kadis", "approve"): "answer",
    ("answer", "approve"): END,
}

# The officials: the personas with one role each, people holding several roles, an
# official with no role at all and one who has left (inactive, still holding a grant).
OTHERS = {
    "rina": ("Rina", ("kasi", "kabid"), True),  # Kasi, also acting Kabid
    "joko": ("Joko", ("staff", "kadis"), True),  # Staff, also acting Kadis
    "dewi": ("Dewi", ("staff", "kasi"), True),
    "tono": ("Tono", (), True),
    "yudi": ("Yudi", ("kadis",), False),
}
HELD = {
    "budi": {"staff"},
    "wati": {"kasi"},
    "agus": {"kabid"},
    "hadi": {"kadis"},
    **{key: set(roles) if active else set() for key, (_, roles, active) in OTHERS.items()},
}
OFFICIALS = tuple(HELD)

HOLDER = "someone holding the step's role"
actors = st.sampled_from([HOLDER] * len(OFFICIALS) + list(OFFICIALS))
decisions = st.sampled_from(["approve"] * 6 + ["return"] * 2 + ["reject", ""])
targets = st.sampled_from([None] * 20 + [*STEP_ROLE, END, "nowhere"])
notes = st.one_of(
    st.sampled_from(
        ["", "   ", "\n\t ", "\u00a0", "Dasar hukum belum dikutip.", "  Lengkapi nomor register.  "]
    ),
    # Any short text, control characters (NUL too) included: the engine drops them.
    st.text(st.characters(codec="utf-8"), max_size=4),
)
picks = st.integers(min_value=0, max_value=63)
# Which step is decided: mostly the open one, sometimes one already decided, rarely an id
# that does not exist (with a number to pick the stale step or the role holder).
steps = st.tuples(st.sampled_from(["open"] * 6 + ["stale"] * 2 + ["missing"]), picks)

MAX_COMPLAINTS = 3
SETTINGS = settings(
    max_examples=50,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class ModelStep:
    pk: int
    seq: int
    step: str
    decided_by: str | None = None
    decision: str = ""
    next_step: str = ""
    note: str = ""

    @property
    def role(self) -> str:
        return STEP_ROLE[self.step]

    def row(self) -> tuple:
        return (
            self.pk,
            self.seq,
            self.step,
            self.role,
            self.decided_by,
            self.decision,
            self.next_step,
            self.note,
        )


@dataclass
class ModelComplaint:
    pk: int
    steps: list[ModelStep] = field(default_factory=list)

    @property
    def open_step(self) -> ModelStep | None:
        last = self.steps[-1]
        return last if last.decided_by is None else None

    @property
    def decided_steps(self) -> list[ModelStep]:
        return [s for s in self.steps if s.decided_by is not None]


def expected_choices(complaint: ModelComplaint, step: ModelStep, actor: str) -> set:
    """The (decision, target) pairs the official should be offered on this step."""
    if step.decided_by is not None or step.role not in HELD[actor]:
        return set()
    if any(s.decided_by == actor and s.role != step.role for s in complaint.steps):
        return set()
    return {(d, target) for (source, d), target in EDGE_TARGET.items() if source == step.step}


def expected_refusal(
    complaint: ModelComplaint | None,
    step: ModelStep | None,
    actor: str,
    decision: str,
    to: str | None,
    note: str,
) -> str | None:
    """The refusal code the engine should give, or None if the decision should stand."""
    if step is None:
        return "not_found"
    if step.decided_by is not None:
        return "already_decided"
    if step.role not in HELD[actor]:
        return "not_your_role"
    target = EDGE_TARGET.get((step.step, decision))
    if target is None or (to is not None and to != target):
        return "invalid_decision"
    if decision == "return" and not clean_text(note):
        return "note_required"
    if any(s.decided_by == actor and s.role != step.role for s in complaint.steps):
        return "separation_of_duties"
    return None


class RandomDecisions(RuleBasedStateMachine):
    """Complaints of one example, decided at random; rolled back when the example ends."""

    def __init__(self, officials: dict[str, User], category):
        super().__init__()
        self.officials = officials
        self.key_of = {user.pk: key for key, user in officials.items()}
        self.category = category
        self.complaints: list[ModelComplaint] = []
        self.example = transaction.atomic()
        self.example.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)

    # --- actions ------------------------------------------------------------------

    @initialize()
    def sari_files_a_complaint(self):
        self.register()

    @precondition(lambda self: len(self.complaints) < MAX_COMPLAINTS)
    @rule()
    def another_citizen_files_a_complaint(self):
        self.register()

    @rule(which=picks, step=steps, actor=actors, decision=decisions, to=targets, note=notes)
    def an_official_decides(self, which, step, actor, decision, to, note):
        complaint = self.complaint(which)
        kind, pick = step
        if kind == "missing":
            complaint, chosen = None, None
        elif kind == "stale" and complaint.decided_steps:
            chosen = complaint.decided_steps[pick % len(complaint.decided_steps)]
        else:
            chosen = complaint.open_step or complaint.steps[-1]
        if actor == HOLDER and chosen is not None:
            holders = [key for key in OFFICIALS if chosen.role in HELD[key]]
            actor = holders[pick % len(holders)]
        elif actor == HOLDER:
            actor = OFFICIALS[pick % len(OFFICIALS)]
        self.attempt(complaint, chosen, actor, decision, to, note)

    # --- helpers --------------------------------------------------------------------

    def complaint(self, which: int) -> ModelComplaint:
        return self.complaints[which % len(self.complaints)]

    def register(self):
        complaint = complaint_register(
            category=self.category,
            subject="KTP-el belum jadi",
            description="Sudah tiga minggu KTP-el saya belum jadi.",
            name="Sari Wulandari",
        )
        first = complaint.steps.get()
        self.complaints.append(
            ModelComplaint(pk=complaint.pk, steps=[ModelStep(first.pk, 1, "draft")])
        )

    def snapshot(self) -> tuple:
        pks = [c.pk for c in self.complaints]
        return (
            list(
                Complaint.objects.filter(pk__in=pks)
                .order_by("pk")
                .values_list("pk", "status", "current_step", "closed_at")
            ),
            list(ComplaintStep.objects.filter(complaint_id__in=pks).order_by("pk").values()),
            AuditEvent.objects.count(),
        )

    def attempt(
        self,
        complaint: ModelComplaint | None,
        step: ModelStep | None,
        actor: str,
        decision: str,
        to: str | None,
        note: str,
    ):
        expected = expected_refusal(complaint, step, actor, decision, to, note)
        if step is not None:  # what the page would offer agrees with what the engine takes
            offered = decisions_for(
                step=ComplaintStep.objects.get(pk=step.pk), actor=self.officials[actor]
            )
            assert {(e.decision, e.target) for e in offered} == expected_choices(
                complaint, step, actor
            )
        before = self.snapshot()
        try:
            outcome = step_decide(
                step_id=step.pk if step else 0,
                actor=self.officials[actor],
                decision=decision,
                to=to,
                note=note,
            )
        except Exception as exc:  # the engine answers with an Outcome, never an exception
            raise AssertionError(f"step_decide raised {exc!r}") from exc
        assert isinstance(outcome, Outcome)
        assert outcome.message

        if expected is not None:
            assert (outcome.ok, outcome.code) == (False, expected), outcome.message
            assert outcome.next_step is None
            assert self.snapshot() == before, "a refused decision changed the database"
            if expected == "already_decided":
                winner = self.officials[step.decided_by].first_name
                assert outcome.message.startswith(f"Langkah ini sudah diputus oleh {winner} pada ")
            return

        assert (outcome.ok, outcome.code) == (True, "decided"), (outcome.code, outcome.message)
        target = EDGE_TARGET[(step.step, decision)]
        step.decided_by, step.decision, step.next_step = actor, decision, target
        step.note = clean_text(note)
        if target == END:
            assert outcome.next_step is None
        else:
            new = outcome.next_step
            assert (new.complaint_id, new.seq, new.step, new.role, new.decided_at) == (
                complaint.pk,
                step.seq + 1,
                target,
                STEP_ROLE[target],
                None,
            )
            complaint.steps.append(ModelStep(new.pk, step.seq + 1, target))

    # --- the rules, checked against the database after every action ----------------

    @invariant()
    def every_rule_holds_in_the_database(self):
        grants = set(RoleGrant.objects.filter(user__is_active=True).values_list("user_id", "role"))
        for model in self.complaints:
            complaint = Complaint.objects.select_related("sop_version").get(pk=model.pk)
            definition = complaint.sop_version.definition
            rows = list(complaint.steps.order_by("seq"))
            where = f"complaint {complaint.pk}: {[(r.seq, r.step, r.decision) for r in rows]}"

            assert [r.seq for r in rows] == list(range(1, len(rows) + 1)), where
            assert rows[0].step == definition.start, where
            open_rows = [r for r in rows if r.decided_at is None]
            if complaint.status == Complaint.Status.OPEN:
                assert open_rows == [rows[-1]], where
                assert complaint.current_step == rows[-1].step, where
                assert complaint.closed_at is None, where
            else:
                assert complaint.status == Complaint.Status.ANSWERED, where
                assert open_rows == [], where
                assert complaint.current_step == "", where
                assert complaint.closed_at is not None, where
                assert rows[-1].next_step == definition.end, where

            roles_decided_by: dict[int, set[str]] = {}
            for row, following in zip(rows, [*rows[1:], None], strict=True):
                assert row.role == definition.step(row.step).role, where
                if row.decided_at is None:
                    assert (row.decided_by_id, row.decision, row.next_step, row.note) == (
                        None,
                        "",
                        "",
                        "",
                    ), where
                    continue
                edges = [
                    e
                    for e in definition.edges_from(row.step)
                    if e.decision == row.decision and e.target == row.next_step
                ]
                assert len(edges) == 1, f"{where}: no edge for step {row.seq}"
                if following is None:
                    assert row.next_step == definition.end, where
                    assert complaint.status == Complaint.Status.ANSWERED, where
                else:
                    assert following.step == row.next_step, where
                    assert following.started_at >= row.decided_at, where
                if edges[0].note_required or row.decision == "return":
                    assert row.note.strip(), f"{where}: step {row.seq} returned without a note"
                assert (row.decided_by_id, row.role) in grants, (
                    f"{where}: step {row.seq} decided by someone without the role {row.role}"
                )
                roles_decided_by.setdefault(row.decided_by_id, set()).add(row.role)
            for user_id, roles in roles_decided_by.items():
                assert len(roles) == 1, f"{where}: {self.key_of[user_id]} decided as {roles}"

            audited = AuditEvent.objects.filter(
                complaint_id=complaint.pk, action__startswith="step."
            ).count()
            assert audited == len([r for r in rows if r.decided_at]), where

            in_database = [
                (
                    r.pk,
                    r.seq,
                    r.step,
                    r.role,
                    self.key_of.get(r.decided_by_id),
                    r.decision,
                    r.next_step,
                    r.note,
                )
                for r in rows
            ]
            assert in_database == [s.row() for s in model.steps], where


def test_the_model_knows_the_default_sop(sop_version):
    definition = sop_version.definition
    assert {s.id: s.role for s in definition.steps} == STEP_ROLE
    assert {(e.source, e.decision): e.target for e in definition.edges} == EDGE_TARGET
    assert len(definition.edges) == len(EDGE_TARGET)
    assert {e.source for e in definition.edges if e.note_required} == {
        source for (source, decision) in EDGE_TARGET if decision == "return"
    }
    assert (definition.start, definition.end) == ("draft", END)


def test_random_decisions_by_random_officials_never_break_a_rule(
    sop_version, category, budi, wati, agus, hadi
):
    officials = {"budi": budi, "wati": wati, "agus": agus, "hadi": hadi}
    for key, (first_name, roles, active) in OTHERS.items():
        officials[key] = make_official(key, first_name, *roles)
        if not active:
            User.objects.filter(pk=officials[key].pk).update(is_active=False)
            officials[key].is_active = False
    assert set(officials) == set(OFFICIALS)

    run_state_machine_as_test(lambda: RandomDecisions(officials, category), settings=SETTINGS)
