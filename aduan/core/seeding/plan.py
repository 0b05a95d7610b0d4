"""When the seeded complaints arrive and which agenda numbers they take.

The seeded office receives `per_day` complaints on a weekday and a tenth of that on a
Saturday or Sunday (the web form never closes), at moments drawn from the seed and the
day alone. The arrivals are counted backwards from the anchor, the moment the first seeding
ran: arrival 0 is the last before it. Each run writes the next arrivals back in time, so a
database topped up from 100,000 to 1,000,000 complaints gets 900,000 older ones and its
recent weeks stay as they were.

Agenda numbers follow the agenda book: per year, in the order received, without gaps. An
arrival's number is its place among that year's arrivals (from 1 January), after the
complaints the year already had when the office was first seeded (`offsets`). So a run that
stops in the middle of a year leaves that year's first numbers to the run that later fills
its earlier days; once every day from 1 January is seeded the year has no gap.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache

from aduan.core.seeding.clock import DAY, EPOCH

# Wall-clock windows of arrivals (seconds of the day): the office's hours on a weekday for
# most, and the web's waking hours for the rest and for weekends.
OFFICE_HOURS = (7 * 3600 + 1800, 16 * 3600 + 1800)
WAKING_HOURS = (6 * 3600, 22 * 3600)
IN_OFFICE_HOURS = 0.85
WEEKEND_SHARE = 10  # a weekend day receives per_day // WEEKEND_SHARE


@dataclass
class Plan:
    """What every run of one seeded office shares (kept in its `seed.complaints` events)."""

    anchor: int  # epoch seconds: arrivals are before it
    anchor_day: dt.date  # the office day of the anchor
    anchor_second: int  # its second of the day
    per_day: int
    seed: int
    offsets: dict[int, int] = field(default_factory=dict)  # year -> numbers taken before

    def volume(self, day: dt.date) -> int:
        """Arrivals on `day` (whole days; the anchor's day is cut at the anchor)."""
        return self.per_day if day.weekday() < 5 else max(1, self.per_day // WEEKEND_SHARE)

    def arrivals(self, day: dt.date) -> list[int]:
        """The seconds of the day at which `day`'s complaints arrive, in order."""
        return _arrivals(self.seed, day.toordinal(), self.volume(day), day.weekday() < 5)

    def day_arrivals(self, day: dt.date) -> list[int]:
        times = self.arrivals(day)
        if day == self.anchor_day:
            times = [t for t in times if t < self.anchor_second]
        return times

    def numbers_before(self, day: dt.date) -> int:
        """Agenda numbers of `day`'s year taken by arrivals before `day`."""
        return self.offsets.get(day.year, 0) + _year_volume_before(self, day)

    def window(self, first: int, count: int):
        """The arrivals first .. first+count-1 (0 = the newest), oldest first, as
        (day, second of the day, agenda year, agenda number, arrival index)."""
        found: list[tuple] = []
        index, day = 0, self.anchor_day
        while index < first + count:
            n = len(self.day_arrivals(day)) if day == self.anchor_day else self.volume(day)
            # arrivals index .. index+n-1 are this day's, newest first
            if index + n > first:
                times = self.day_arrivals(day)
                numbers = self.numbers_before(day)
                for position in range(n - 1, -1, -1):
                    k = index + (n - 1 - position)
                    if first <= k < first + count:
                        found.append((day, times[position], day.year, numbers + position + 1, k))
            index += n
            day -= dt.timedelta(days=1)
        found.reverse()
        return found

    def day_of(self, arrival: int) -> dt.date:
        """The day of arrival `arrival` (0 = the newest)."""
        index, day = 0, self.anchor_day
        while True:
            n = len(self.day_arrivals(day)) if day == self.anchor_day else self.volume(day)
            if index + n > arrival:
                return day
            index += n
            day -= dt.timedelta(days=1)

    def as_data(self) -> dict:
        return {
            "anchor": self.anchor,
            "per_day": self.per_day,
            "seed": self.seed,
            "offsets": {str(year): n for year, n in sorted(self.offsets.items())},
        }


def plan_from_data(data: dict, *, offset: int) -> Plan:
    """The plan kept in a `seed.complaints` event; `offset`: the office's UTC offset."""
    anchor = int(data["anchor"])
    return Plan(
        anchor=anchor,
        anchor_day=EPOCH + dt.timedelta(days=(anchor + offset) // DAY),
        anchor_second=(anchor + offset) % DAY,
        per_day=int(data["per_day"]),
        seed=int(data["seed"]),
        offsets={int(year): int(n) for year, n in data.get("offsets", {}).items()},
    )


@lru_cache(maxsize=64)
def _arrivals(seed: int, ordinal: int, volume: int, weekday: bool) -> list[int]:
    rng = random.Random(f"{seed}:{ordinal}")
    times = []
    for _n in range(volume):
        low, high = OFFICE_HOURS if weekday and rng.random() < IN_OFFICE_HOURS else WAKING_HOURS
        times.append(rng.randrange(low, high))
    times.sort()
    return times


def _year_volume_before(plan: Plan, day: dt.date) -> int:
    return _volume_between(plan.per_day, dt.date(day.year, 1, 1).toordinal(), day.toordinal())


@lru_cache(maxsize=4096)
def _volume_between(per_day: int, first: int, stop: int) -> int:
    """Arrivals on whole days [first, stop) (ordinals)."""
    weekend = max(1, per_day // WEEKEND_SHARE)
    total = 0
    for ordinal in range(first, stop):
        total += per_day if dt.date.fromordinal(ordinal).weekday() < 5 else weekend
    return total
