"""Working time on whole seconds since the epoch, fast enough for millions of steps.

The seeder times every step with the office's working calendar, as the engine does
(`aduan.sla.calendar.WorkingCalendar`): `add_working_minutes` and `working_minutes_between`
here give the same answers (the tests compare them), but an instant is an integer (UTC
seconds since 1970) and each day's working minutes are counted once, so a step costs a
bisection instead of a walk over datetimes.

The office's time zone must keep one UTC offset over the days seeded (Asia/Jakarta has no
daylight saving time); another zone is refused with a sentence saying so.
"""

import datetime as dt
from bisect import bisect_left

DAY = 86_400
EPOCH = dt.date(1970, 1, 1)


def epoch_seconds(instant: dt.datetime) -> int:
    return int(instant.timestamp())


class OfficeClock:
    """Working minutes of the office's calendar on epoch seconds, for days [first, last]."""

    def __init__(self, calendar, first: dt.date, last: dt.date):
        self.calendar = calendar
        self.tz = calendar.tz
        offsets = {
            dt.datetime.combine(day, dt.time(12), tzinfo=self.tz).utcoffset()
            for day in (
                first,
                last,
                *(
                    dt.date(y, m, 1)
                    for y in range(first.year, last.year + 1)
                    for m in (1, 4, 7, 10)
                ),
            )
        }
        if len(offsets) != 1:
            raise ValueError(
                f"TIME_ZONE {self.tz} changes its UTC offset between {first} and {last}: the "
                "seeder needs a zone without daylight saving time (as Indonesia's are)."
            )
        self.offset = int(offsets.pop().total_seconds())
        self.base = (first - EPOCH).days
        self.intervals: list[tuple[tuple[int, int], ...]] = []
        self.cum: list[int] = [0]  # working minutes before each day; one more than days
        self._dates: dict[int, dt.date] = {}
        self._extend((last - EPOCH).days)

    def _extend(self, last_day: int) -> None:
        day_number = self.base + len(self.intervals)
        while day_number <= last_day:
            intervals = self.calendar.intervals_on(EPOCH + dt.timedelta(days=day_number))
            self.intervals.append(intervals)
            self.cum.append(self.cum[-1] + sum(end - begin for begin, end in intervals))
            day_number += 1

    def _index(self, local_day: int) -> int:
        index = local_day - self.base
        if index < 0:
            raise ValueError(f"{EPOCH + dt.timedelta(days=local_day)} is before the clock's days")
        if index >= len(self.intervals):
            self._extend(local_day + 31)
        return index

    def local_day(self, instant: int) -> dt.date:
        """The office's calendar day of an instant."""
        return self.day_date((instant + self.offset) // DAY)

    def day_date(self, number: int) -> dt.date:
        """The date of a day number (days since 1970-01-01)."""
        found = self._dates.get(number)
        if found is None:
            found = self._dates[number] = EPOCH + dt.timedelta(days=number)
        return found

    def position(self, instant: int) -> int:
        """Working minutes from the clock's first day to the start of the instant's minute."""
        local = instant + self.offset
        index = self._index(local // DAY)
        minute = (local % DAY) // 60
        total = self.cum[index]
        for begin, end in self.intervals[index]:
            if minute <= begin:
                break
            total += (minute if minute < end else end) - begin
        return total

    def between(self, start: int, end: int) -> int:
        """WorkingCalendar.working_minutes_between: working minutes in [start, end)."""
        if end <= start:
            return 0
        return max(0, self.position(end) - self.position(start))

    def add(self, start: int, minutes: int) -> int:
        """WorkingCalendar.add_working_minutes: the earliest instant by which `minutes`
        working minutes have passed since `start` (a closing time, not the next opening)."""
        if minutes <= 0:
            return start - (start + self.offset) % 60
        return self.at_position(self.position(start) + minutes)

    def at_position(self, target: int) -> int:
        """The earliest instant at which `target` working minutes (counted from the first
        day) have passed; target >= 1."""
        while self.cum[-1] < target:
            self._extend(self.base + len(self.intervals) + 31)
        index = bisect_left(self.cum, target) - 1
        left = target - self.cum[index]
        for begin, end in self.intervals[index]:
            if left <= end - begin:
                minute = begin + left
                break
            left -= end - begin
        return (self.base + index) * DAY + minute * 60 - self.offset

    def instant(self, day: dt.date, second_of_day: int) -> int:
        """The epoch second of a wall-clock moment of an office day."""
        return (day - EPOCH).days * DAY + second_of_day - self.offset
