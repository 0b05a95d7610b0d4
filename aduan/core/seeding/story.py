"""One seeded complaint's history, written as the services would have written it.

Received (registered by Staff when it came by an offline channel; an Open311 request noted),
then through the SOP's steps in the complaint's SOP version: each step opened with its due
and reminder times by the working calendar, decided by an official of its role (the
section's Kasi for the category) after working minutes drawn around the step's standard,
sometimes returned; drafts saved by Staff (and revised by the Kasi after a return or now
and then), a question to the citizen now and then (answered, or not: withdrawn after
REPLY_WAIT_DAYS), the answer sent with its letter, and a rating for some. The newest
complaints are still open, spread over every step (and waiting for the citizen's reply).

Every step, draft, message, letter and rating gets the audit event its service records,
at the moment it happened; the running counts are added up as the tallies would.

Written for speed (a million complaints is the point): instants are epoch seconds, days
are day numbers, and each complaint is one pass with few calls.
"""

import json
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from aduan.core.seeding import texts
from aduan.core.seeding.clock import DAY
from aduan.core.seeding.encoding import code_of, jdump, tracking_digester

RETURN, APPROVE, WITHDRAWN = "return", "approve", "withdrawn"
SCORES, SCORE_WEIGHTS = (1, 2, 3, 4, 5), (5, 10, 20, 40, 25)
SKM = ("prosedur", "waktu", "produk", "perilaku", "penanganan")
ONLINE = ("web", "api", "open311")  # filed by the citizen; the others registered by Staff
CHANNELS = {
    "web": 35, "whatsapp": 20, "email": 8, "phone": 8, "walk_in": 12, "letter": 2, "lapor": 5,
    "api": 5, "open311": 5,
}  # fmt: skip
OUT_OF_HOURS = {"web": 80, "api": 10, "open311": 10}
RATED, ANONYMOUS, CONFIDENTIAL, ENGLISH, REFERRAL = 0.4, 0.12, 0.03, 0.05, 0.06
ASKED, WITHDRAWN_SHARE = 0.05, 0.015  # of the closed complaints
KASI_REVISES = 0.2
RATING_DELAY = (3600, 3 * DAY)
SWEEP_LAG = 60


def _weighted(weights: dict) -> tuple[tuple, list[float]]:
    return tuple(weights), _cumulative(weights.values())


def _cumulative(weights) -> list[float]:
    """Cumulative shares ending at exactly 1.0, for bisect(shares, random())."""
    weights = list(weights)
    shares = [w / sum(weights) for w in accumulate(weights)]
    shares[-1] = 1.0
    return shares


@dataclass(slots=True)
class Facts:
    """What a complaint's own row and its aftermath are written from."""

    pk: int
    code: str
    year: int
    number: int
    category: int
    channel: str
    topic: tuple
    received: int
    registered_by: int | None
    kind: str
    body: str
    drafts: int
    status: str
    closed: int | None
    awaiting_since: int | None
    steps: list
    answer_minutes: int | None


class Stories:
    """Writes complaints one by one into a batch's tables, events and counts."""

    def __init__(self, *, ctx, batch):
        self.ctx, self.batch = ctx, batch
        definition = ctx.definition
        self.main = [s.id for s in definition.main_path]
        self.start, self.end = definition.start, definition.end
        # step -> (role, standard, reminder minutes, edits draft, low, high minutes drawn)
        self.specs = {}
        for s in definition.ordered_steps:
            low, high = (s.minutes // 6, s.minutes * 5 // 2) if s.id == self.start else (
                s.minutes // 10, s.minutes * 9 // 4)  # fmt: skip
            self.specs[s.id] = (s.role, s.minutes, -(-s.minutes * 3 // 4), s.edits_draft,
                                max(1, low), max(1, high))  # fmt: skip
        self.returns = {s: definition.return_edges(s) for s in self.main}
        returning = [s for s in self.main if self.returns[s]]
        self.return_odds = {s: (1 / 12 if i == 0 else 1 / 30) for i, s in enumerate(returning)}
        office = ctx.office
        cats = office.categories
        self.categories = [
            (c.pk, texts.TOPICS.get(c.code, texts.GENERAL), office.kasi_of[c.pk].pk) for c in cats
        ]
        self.category_cum = _cumulative(1 / (1 + 0.35 * i) for i in range(len(cats)))
        self.channels = _weighted(CHANNELS)
        self.out_of_hours = _weighted(OUT_OF_HOURS)
        self.staff = [u.pk for u in office.people["staff"]]
        self.kabid = [u.pk for u in office.people["kabid"]]
        self.kadis = [u.pk for u in office.people["kadis"]]
        self.digest = tracking_digester(ctx.secret)
        t = batch.tables
        self.add = {name: t[name].add for name in t}
        self.take = {name: ids.take for name, ids in batch.ids.items()}
        self.events = batch.events
        self.offset = ctx.clock.offset
        self._quoted: dict[str, str] = {}

    def quoted(self, text: str) -> str:
        """`text` as a JSON string (the few notes there are, each encoded once)."""
        found = self._quoted.get(text)
        if found is None:
            found = self._quoted[text] = json.dumps(text, ensure_ascii=False)
        return found

    def route(self, rng) -> list[tuple[str, str, str]]:
        """(step, decision, next step) from the start to the end, returns included."""
        route, i, returned = [], 0, set()
        main = self.main
        while i < len(main):
            step = main[i]
            edges = self.returns[step]
            if edges and step not in returned and rng.random() < self.return_odds[step]:
                returned.add(step)
                route.append((step, RETURN, edges[0].target))
                i = main.index(edges[0].target)
                continue
            route.append((step, APPROVE, main[i + 1] if i + 1 < len(main) else self.end))
            i += 1
        return route

    def complaint(self, entry, *, still_open: bool, rng) -> None:
        ctx, batch, clock, db = self.ctx, self.batch, self.ctx.clock, self.ctx.stamps.db
        random, add, take, event = rng.random, self.add, self.take, self.events.append
        offset = self.offset
        day, second, year, number, arrival = entry
        received = clock.instant(day, second)
        if number > batch.numbers.get(year, 0):
            batch.numbers[year] = number
        pk = take["complaint"]()
        category, topics, kasi = self.categories[bisect(self.category_cum, random())]
        base = clock.position(received)  # working minutes up to `at`, on the clock's count
        in_hours = clock.position(received + 60) > base
        names, cum = self.channels if in_hours else self.out_of_hours
        channel = names[bisect(cum, random())]
        staff = self.staff[int(random() * len(self.staff))]
        deciders = {
            "staff": staff,
            "kasi": kasi,
            "kabid": self.kabid[int(random() * len(self.kabid))],
            "kadis": self.kadis[int(random() * len(self.kadis))],
        }
        registered_by = None if channel in ONLINE else staff
        code = code_of(arrival)
        event((received, registered_by, "complaint.registered", "complaints.complaint", str(pk),
               pk, f'{{"agenda":"{number:05d}/{year}","channel":"{channel}"}}'))  # fmt: skip
        if channel == "open311":
            request, public = take["open311"](), random() < 0.3
            add["open311"]((request, pk, ctx.open311_key.pk, public, db(received)))
            data = {"description_public": public, "key": ctx.open311_key.prefix, "media": 0}
            event((received, None, "open311.request_received", "open311.open311request",
                   str(request), pk, jdump(data)))  # fmt: skip

        # How far it goes.
        route = self.route(rng)
        stop = len(route)  # decided steps; the open one, if any, is route[stop]
        wait = ""  # a question to the citizen: "awaiting", "replied", "withdrawn"
        if still_open:  # at each step in turn, then waiting for the citizen's reply
            slot = arrival % (len(self.main) + 1)
            if slot == len(self.main):
                stop, wait = 0, "awaiting"
            else:
                stop = max(i for i, (s, _d, _n) in enumerate(route) if s == self.main[slot])
        elif random() < ASKED:
            wait = "withdrawn" if random() < WITHDRAWN_SHARE / ASKED else "replied"
        specs = self.specs
        drawn = []
        for step_id, _d, _n in route[:stop]:
            low, high = specs[step_id][4:]
            drawn.append(low + int(random() * (high - low + 1)))
        # Received lately: quicker work, at least a working minute a step, all before the
        # anchor; what does not fit is still under way.
        room, total = ctx.anchor_position - base - 1, sum(drawn)
        if total > room:
            if room < len(drawn):
                stop = max(room, 0)
                drawn = drawn[:stop]
            n = len(drawn)
            drawn = [1 + (m - 1) * (room - n) // (total - n) for m in drawn] if n else []
        kind = "referral" if random() < REFERRAL else "answer"
        topic = topics[int(random() * len(topics))]
        body = texts.ANSWER.format(fix=texts.REFERRAL if kind == "referral" else topic[2])

        # The steps, their drafts and the question to the citizen.
        steps = []  # [id, seq, step, role, started, due, remind, decided, by, decision,
        #              next, note, minutes, within, paused]
        at, after_return, drafts, status = received, False, 0, "open"
        closed = awaiting_since = None
        messages = []
        anchor, anchor_position = ctx.anchor, ctx.anchor_position
        quoted = self.quoted
        for n, (step_id, decision, following) in enumerate(route[: stop + 1]):
            role, standard, remind, edits, _low, _high = specs[step_id]
            due, reminder = clock.at_position(base + standard), clock.at_position(base + remind)
            step = [take["step"](), n + 1, step_id, role, at, due, reminder,
                    None, None, "", "", "", None, None, 0]  # fmt: skip
            steps.append(step)
            who = deciders[role]
            decides = n < stop
            if n == 0 and wait:
                at, closed = self.question(step, wait, staff, pk, messages, rng)
                if closed is not None:
                    status = WITHDRAWN
                    break
                if wait == "awaiting":
                    awaiting_since = messages[0][5]
                base = clock.position(at)
            writes = edits and (step_id == self.start or after_return or random() < KASI_REVISES)
            if not decides:
                writes = writes and step_id == self.start and random() < 0.5
            decided = None
            if decides:
                # Up to the minute before the anchor's at most: the story is in the past.
                minutes = max(0, min(drawn[n], anchor_position - 1 - base))
                decided = max(clock.at_position(base + minutes), at) if minutes else at
                if decided + 59 < anchor:
                    decided += int(random() * 60)
            if writes:
                drafts += 1
                if drafts > 1:
                    body += texts.KASI_REVISED if role != "staff" else texts.REVISED
                draft = take["draft"]()
                created = at if decided is None else max(at, decided - 30 - int(random() * 150))
                add["draft"]((draft, pk, drafts, step[0], kind, body, who, db(created)))
                event((created, who, "draft.saved", "complaints.draft", str(draft), pk,
                       f'{{"kind":"{kind}","seq":{drafts},"step":"{step_id}"}}'))  # fmt: skip
            after_return = False
            if not decides:
                break
            note = ""
            if decision == RETURN:
                notes = texts.RETURN_NOTES.get(role, texts.RETURN_NOTES["kasi"])
                note, after_return = notes[int(random() * len(notes))], True
            within = minutes <= standard
            step[7:14] = [decided, who, decision, following, note, minutes, within]
            event((decided, who, f"step.{decision}", "complaints.complaintstep", str(step[0]), pk,
                   f'{{"decided_as":"","note":{quoted(note)},"role":"{role}","seq":{n + 1},'
                   f'"step":"{step_id}","to":"{following}"}}'))  # fmt: skip
            decided_day = (decided + offset) // DAY
            returned = decision == RETURN
            for row in (
                batch.counts.steps[decided_day, step_id, category],
                batch.counts.own_steps[who, decided_day, step_id, category],
            ):
                row[0] += 1
                row[1] += within
                row[2] += returned
            at, base = decided, base + minutes
            if following == self.end:
                closed, status = decided, "answered"

        for s in steps:
            now = s[7] if s[7] is not None else anchor
            add["step"]((s[0], pk, s[1], s[2], s[3], db(s[4]), db(s[5]), db(s[6]),
                         db(s[6]) if now > s[6] else None, db(s[5]) if now > s[5] else None,
                         s[14], db(s[7]), s[8], s[9], s[10], s[11], s[12], s[13]))  # fmt: skip
        for message in messages:
            add["message"](message[:5] + (db(message[5]),))
        answered = status == "answered"
        facts = Facts(
            pk=pk, code=code, year=year, number=number, category=category, channel=channel,
            topic=topic, received=received, registered_by=registered_by, kind=kind, body=body,
            drafts=drafts, status=status, closed=closed, awaiting_since=awaiting_since,
            steps=steps, answer_minutes=base - clock.position(received) if answered else None,
        )  # fmt: skip
        self.complaint_row(facts, rng)

    def complaint_row(self, v: "Facts", rng) -> None:
        """The complaint's own row, its counts, and after the answer: the letter (numbered
        with the batch), the officials' answers and a rating."""
        ctx, add, db = self.ctx, self.add, self.ctx.stamps.db
        random, pool = rng.random, ctx.pool
        pk, status, closed, received = v.pk, v.status, v.closed, v.received
        category, channel, steps, offset = v.category, v.channel, v.steps, self.offset
        name = ""
        if random() >= ANONYMOUS:
            first, last = texts.FIRST_NAMES, texts.LAST_NAMES
            name = f"{first[int(random() * len(first))]} {last[int(random() * len(last))]}"
        phone = pool.phones[int(random() * len(pool.phones))] if random() < 0.8 else ""
        email = pool.emails[int(random() * len(pool.emails))] if not phone or random() < 0.3 else ""
        nik = pool.niks[int(random() * len(pool.niks))] if random() < 0.3 else ""
        answered, answer_minutes, month = status == "answered", v.answer_minutes, None
        if answered:
            month = ctx.clock.day_date((closed + offset) // DAY).replace(day=1).isoformat()
        add["complaint"]((
            pk, v.code, v.year, v.number, channel, name, not name, phone, email, nik,
            category, v.topic[0], v.topic[1], random() < CONFIDENTIAL,
            "en" if random() < ENGLISH else "id", ctx.version_id,
            "" if closed else steps[-1][2], status, db(received), db(closed),
            self.digest(v.code), v.registered_by, db(v.awaiting_since),
            *ctx.deadlines(received), v.kind if answered else "",
            v.body if answered else "", answer_minutes, month,
        ))  # fmt: skip
        counts = self.batch.counts
        counts.days[(received + offset) // DAY, category, channel][0] += 1
        if status == WITHDRAWN:
            counts.days[(closed + offset) // DAY, category, channel][2] += 1
        worked: dict[int, int] = {}  # official -> their first decision
        for s in steps:
            if s[12] is not None and s[8] not in worked:
                worked[s[8]] = s[7]
        for official, first_at in worked.items():
            counts.own_days[official, (first_at + offset) // DAY, category, channel][0] += 1
        if not answered:
            return
        day = (closed + offset) // DAY
        counts.days[day, category, channel][1] += 1
        for official in worked:
            counts.own_days[official, day, category, channel][1] += 1
            add["own_answer"]((official, pk, category, db(closed), month, answer_minutes))
        sender = steps[-1][8]
        self.events.append((closed, sender, "answer.sent", "complaints.complaint", str(pk), pk,
                            f'{{"draft":{v.drafts}}}'))  # fmt: skip
        signer = next((s[8] for s in reversed(steps) if s[3] == ctx.signer_role), sender)
        self.batch.letters.append((closed, pk, v.code, name, v.kind, v.body, signer,
                                   sender, v.year, v.number))  # fmt: skip
        if random() < RATED:
            rated = closed + RATING_DELAY[0] + int(random() * (RATING_DELAY[1] - RATING_DELAY[0]))
            if rated < ctx.anchor:
                self.rating(pk, rated, category, channel, list(worked), rng)

    def question(self, step, wait, staff, pk, messages, rng) -> tuple[int, int | None]:
        """Staff ask the citizen at the first step: still waiting, answered (the step's
        clock moved by the pause) or never answered (withdrawn by the sweep). Returns when
        the step's work goes on, and when the complaint was withdrawn (or None)."""
        ctx, clock, take, event = self.ctx, self.ctx.clock, self.take, self.events.append
        started = step[4]
        asked = min(max(clock.add(started, rng.randint(5, 30)), started), ctx.anchor - 1)
        reply_at = asked + rng.randint(DAY, 3 * DAY)
        closed = asked + ctx.reply_wait + SWEEP_LAG
        if wait == WITHDRAWN and closed >= ctx.anchor:
            wait = "replied"
        if wait == "replied" and reply_at + 7 * DAY >= ctx.anchor:
            return started, None  # too recent for the whole exchange: no question
        message = take["message"]()
        messages.append((message, pk, "out", texts.INFO_QUESTION, staff, asked))
        event((asked, staff, "info.requested", "complaints.message", str(message), pk,
               jdump({"step": step[2]})))  # fmt: skip
        if wait == "awaiting":
            return started, None
        if wait == WITHDRAWN:
            step[7], step[9], step[11] = closed, WITHDRAWN, ctx.withdraw_note
            notice = take["message"]()
            messages.append((notice, pk, "out", ctx.withdraw_message(asked), None, closed))
            data = {"step": step[2], "seq": step[1], "note": ctx.withdraw_note}
            event((closed, None, "complaint.withdrawn", "complaints.complaintstep", str(step[0]),
                   pk, jdump(data)))  # fmt: skip
            return closed, closed
        credit = clock.between(max(asked, started), reply_at)
        if credit:
            step[14] = credit
            step[5], step[6] = clock.add(step[5], credit), clock.add(step[6], credit)
        reply = take["message"]()
        messages.append((reply, pk, "in", texts.INFO_REPLY, None, reply_at))
        db = ctx.stamps.db
        data = {
            "paused_since": f"{db(asked)}+00:00", "paused_minutes": credit,
            "paused_step": step[2], "paused_seq": step[1], "due_at": f"{db(step[5])}+00:00",
            "attachments": [],
        }  # fmt: skip
        event((reply_at, None, "info.replied", "complaints.message", str(reply), pk, jdump(data)))
        return reply_at, None

    def rating(self, pk, rated, category, channel, officials, rng) -> None:
        batch, random = self.batch, rng.random
        score = SCORES[bisect(self._score_cum, random())]
        answers = {q: min(4, max(1, score - 1 + (-1, 0, 0, 1)[int(random() * 4)])) for q in SKM}
        comments = texts.RATING_COMMENTS
        comment = comments[int(random() * len(comments))] if random() < 0.2 else ""
        rating = self.take["rating"]()
        answers_json = jdump(answers)
        self.add["rating"]((rating, pk, score, comment, answers_json, self.ctx.stamps.db(rated)))
        self.events.append((rated, None, "complaint.rated", "complaints.rating", str(rating), pk,
                            f'{{"answers":{answers_json},"score":{score}}}'))  # fmt: skip
        day = (rated + self.offset) // DAY
        row = batch.counts.days[day, category, channel]
        row[3] += 1
        row[4] += score
        for official in officials:
            own = batch.counts.own_days[official, day, category, channel]
            own[2] += 1
            own[3] += score

    _score_cum = _cumulative(SCORE_WEIGHTS)
