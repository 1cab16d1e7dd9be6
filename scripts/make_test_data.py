#!/usr/bin/env python3
"""Writes a small random register data set as CSV, rich in the cases that are easy to get wrong.

    python3 scripts/make_test_data.py OUT_DIR [--persons 2000] [--seed 1] [--from 2015 --to 2024]
        [--municipalities 101,147,175,159]

OUT_DIR receives persons.csv, residence.csv, benefits.csv and activation.csv in the
interchange format (docs/register-format.md), ready for `indsats import register`.
Standard library only. The cases it makes on purpose:

- persons turning 16 and 67 inside the years, birthdays on 29 February, birth dates before 1970;
- moves between municipalities on any weekday (the Thursday rule), gaps in residence,
  emigration (closed last spell), persons never resident, residence starting before 1970;
- benefit spells across year ends, through week 53 of 2015 and 2020, overlapping spells of
  the same benefit, two different benefits in one week, long spells with short gaps around
  the 42-of-52-weeks limit of the long-term rule, spells before and after the range;
- activation of every kind, inside and outside unemployment.
"""

import argparse
import csv
import datetime as dt
import os
import random

BENEFITS = [
    "a_dagpenge", "kontanthjaelp", "uddannelseshjaelp", "selvforsoergelsesydelse", "sygedagpenge",
    "jobafklaringsforloeb", "forrevalidering", "revalidering", "ressourceforloeb", "ledighedsydelse",
    "fleksjob", "foertidspension", "efterloen", "barselsdagpenge",
]
UNEMPLOYED = BENEFITS[:4]
KINDS = ["virksomhedspraktik", "loentilskud", "nytteindsats", "opkvalificering", "vejledning"]
ORIGINS = ["dansk"] * 6 + ["vestlig_indvandrer", "vestlig_efterkommer", "ikke_vestlig_indvandrer",
                           "ikke_vestlig_efterkommer"]


def yyyyww(day: dt.date) -> int:
    """The ISO week containing `day`, as YYYYWW."""
    year, week, _ = day.isocalendar()
    return year * 100 + week


def random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from", dest="first", type=int, default=2015, help="first year with spells")
    parser.add_argument("--to", dest="last", type=int, default=2024, help="last year with spells")
    parser.add_argument("--municipalities", default="101,147,175,159")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    municipalities = [int(m) for m in args.municipalities.split(",")]
    start, end = dt.date(args.first, 1, 1), dt.date(args.last, 12, 31)
    os.makedirs(args.out, exist_ok=True)

    persons, residence, benefits, activation = [], [], [], []
    used_ids = set()
    for n in range(args.persons):
        person_id = rng.randint(-10**12, 10**12) if n % 10 == 0 else rng.randint(1, 10**9)
        while person_id in used_ids:
            person_id += 1
        used_ids.add(person_id)

        # Birth dates: mostly 1950-2010; some turning 16 or 67 in the range; some on 29 February.
        roll = rng.random()
        if roll < 0.1:
            birth = random_date(rng, dt.date(args.first - 16, 1, 1), dt.date(args.last - 16, 12, 31))
        elif roll < 0.2:
            birth = random_date(rng, dt.date(args.first - 67, 1, 1), dt.date(args.last - 67, 12, 31))
        elif roll < 0.23:
            birth = dt.date(rng.choice([1952, 1956, 1960, 1964, 1980, 1996, 2000, 2004, 2008]), 2, 29)
        else:
            birth = random_date(rng, dt.date(1945, 1, 1), dt.date(2012, 12, 31))
        persons.append((person_id, birth.isoformat(), rng.choice("MK"), rng.choice(ORIGINS)))

        # Residence: non-overlapping spells with moves and gaps; some persons never resident.
        if rng.random() < 0.03:
            spells = 0
        else:
            spells = rng.choice([1, 1, 1, 2, 2, 3, 4])
        at = random_date(rng, dt.date(1960, 1, 1), start + dt.timedelta(days=400)) if rng.random() < 0.6 \
            else random_date(rng, start, end)
        for s in range(spells):
            last = s == spells - 1
            to = None if last and rng.random() < 0.8 else at + dt.timedelta(days=rng.randint(0, 1500))
            residence.append((person_id, rng.choice(municipalities), at.isoformat(), to.isoformat() if to else ""))
            if to is None:
                break
            at = to + dt.timedelta(days=1 if rng.random() < 0.7 else rng.randint(2, 120))

        # Benefits: a few spells, some long, some overlapping the same benefit, some in short bursts.
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
            benefit = rng.choice(UNEMPLOYED + BENEFITS) if rng.random() < 0.7 else rng.choice(BENEFITS)
            first = random_date(rng, start - dt.timedelta(days=200), end)
            weeks = rng.choice([1, 2, rng.randint(1, 30), rng.randint(30, 60), rng.randint(40, 300)])
            last = first + dt.timedelta(weeks=weeks - 1)
            benefits.append((person_id, benefit, yyyyww(first), yyyyww(last)))
            if rng.random() < 0.15:  # an overlapping spell of the same benefit
                a = first + dt.timedelta(weeks=rng.randint(0, weeks))
                benefits.append((person_id, benefit, yyyyww(a), yyyyww(a + dt.timedelta(weeks=rng.randint(0, 20)))))
            if rng.random() < 0.15:  # on and off around the long-term limit: 42 of 52 weeks
                at_week = last + dt.timedelta(weeks=rng.randint(2, 12))
                for _ in range(rng.randint(2, 6)):
                    length = rng.randint(5, 25)
                    benefits.append((person_id, rng.choice(BENEFITS[:13]), yyyyww(at_week),
                                     yyyyww(at_week + dt.timedelta(weeks=length - 1))))
                    at_week += dt.timedelta(weeks=length + rng.randint(1, 6))
            if benefit in UNEMPLOYED and rng.random() < 0.6:
                for _ in range(rng.randint(1, 3)):
                    a = first + dt.timedelta(weeks=rng.randint(-5, weeks + 5))
                    activation.append((person_id, rng.choice(KINDS), yyyyww(a),
                                       yyyyww(a + dt.timedelta(weeks=rng.randint(0, 26)))))
        if rng.random() < 0.05:  # activation without any benefit
            a = random_date(rng, start, end)
            activation.append((person_id, rng.choice(KINDS), yyyyww(a), yyyyww(a + dt.timedelta(weeks=10))))

    # Born 29 February 1952: 67 on 1 March 2019, so still 66 on Thursday 28 February 2019 (2019W09).
    person_id = max(used_ids) + 1
    persons.append((person_id, "1952-02-29", "K", "dansk"))
    residence.append((person_id, municipalities[0], "2010-01-01", ""))
    benefits.append((person_id, "efterloen", 201840, 201920))
    # Moves on a Wednesday, a Thursday and a Friday, with benefits all along.
    for offset, day in enumerate(["2019-05-01", "2019-05-02", "2019-05-03"]):
        person_id = max(used_ids) + 2 + offset
        persons.append((person_id, "1980-06-15", "M", "ikke_vestlig_indvandrer"))
        previous = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
        residence.append((person_id, municipalities[0], "2000-01-01", previous))
        residence.append((person_id, municipalities[-1], day, ""))
        benefits.append((person_id, "kontanthjaelp", 201901, 201952))

    # Spells through the 53-week years and exactly on year ends.
    special = [(201552, 201601), (201553, 201553), (202052, 202101), (202053, 202053), (201952, 202001)]
    for i, (a, b) in enumerate(special):
        person_id = persons[i][0]
        benefits.append((person_id, BENEFITS[i % len(BENEFITS)], a, b))

    write(args.out, "persons", ["person_id", "birth_date", "sex", "origin"], persons)
    write(args.out, "residence", ["person_id", "municipality", "from_date", "to_date"], residence)
    write(args.out, "benefits", ["person_id", "benefit", "from_week", "to_week"], benefits)
    write(args.out, "activation", ["person_id", "kind", "from_week", "to_week"], activation)
    print(f"wrote {len(persons)} persons, {len(residence)} residence, {len(benefits)} benefit and "
          f"{len(activation)} activation spells to {args.out}")


def write(out: str, name: str, header: list, rows: list) -> None:
    with open(os.path.join(out, f"{name}.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main()
