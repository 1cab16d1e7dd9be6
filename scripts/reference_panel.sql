-- The register indicator panel in plain DuckDB SQL: an independent cross-check of
-- `indsats indicators` (crates/register/src/engine.rs), written from the definitions in
-- docs/register-format.md and crates/register/src/reference.rs, not from the engine's
-- interval arithmetic.
--
-- It does the obvious thing: expand every spell to the ISO weeks it covers, place each
-- person-week in the municipality whose residence spell covers the week's Thursday, take
-- the age on that Thursday, and count. See docs/duckdb.md for a walk-through.
--
-- Parameters (DuckDB variables, set before running this script):
--   data_dir     text, required: the folder holding persons.parquet, residence.parquet,
--                benefits.parquet and activation.parquet (e.g. DATA/current)
--   kinds        list of 'week' | 'quarter' | 'year'; default ['quarter', 'year']
--   from_period  text such as '2019Q1', '2019' or '2019W01'; default the first week of any
--                benefit or activation spell (as the CLI does)
--   to_period    text, likewise; default the last week of any spell
--
--   SET VARIABLE data_dir = 'DATA/current';
--   SET VARIABLE kinds = ['quarter', 'year'];
--   SET VARIABLE from_period = '2019Q1';
--   SET VARIABLE to_period = '2022Q4';
--
-- Every statement but the last checks a parameter or builds (or drops) a temporary table;
-- the last one is the panel: municipality, period, indicator, dimension, category, value,
-- persons, in the engine's row order. In the DuckDB shell:
--
--   duckdb -csv -c "SET VARIABLE data_dir = 'DATA/current'" -c ".read scripts/reference_panel.sql"
--
-- It needs DuckDB 1.1 or later (SET VARIABLE); it is checked with 2.0.0 (scripts/requirements.txt).

SET VARIABLE kinds = coalesce(getvariable('kinds'), ['quarter', 'year']);

-- Parameter checks: each fails with a message when a parameter is wrong.
CREATE OR REPLACE TEMP TABLE check_data_dir AS
SELECT error('set the variable data_dir to the folder holding the Parquet files') AS problem
WHERE getvariable('data_dir') IS NULL;

CREATE OR REPLACE TEMP TABLE check_kinds AS
SELECT error('unknown period kind ' || kind || ': expected week, quarter or year') AS problem
FROM (SELECT unnest(getvariable('kinds')) AS kind)
WHERE kind NOT IN ('week', 'quarter', 'year');

-- 1. The inputs, as they are on disk, with a few derived columns: a person's birth year and
--    birthday as month * 100 + day (for ages), and for each benefit spell the measure it
--    counts for and whether the benefit is public support / an unemployment benefit.
CREATE OR REPLACE TEMP TABLE measures AS
SELECT * FROM (VALUES
    ( 0, 'a_dagpenge'), ( 1, 'kontanthjaelp'), ( 2, 'uddannelseshjaelp'), ( 3, 'selvforsoergelsesydelse'),
    ( 4, 'sygedagpenge'), ( 5, 'jobafklaringsforloeb'), ( 6, 'forrevalidering'), ( 7, 'revalidering'),
    ( 8, 'ressourceforloeb'), ( 9, 'ledighedsydelse'), (10, 'fleksjob'), (11, 'foertidspension'),
    (12, 'efterloen'), (13, 'barselsdagpenge'),
    (14, 'offentlig_forsoergelse'),  -- weeks on public support, once per public-support benefit
    (15, 'langvarige'),              -- weeks on public support with >= 42 of the last 52 on it
    (16, 'ledige'),                  -- weeks on an unemployment benefit (the activation base)
    (17, 'virksomhedsrettet'),       -- ledige weeks in company-oriented activation
    (18, 'opkvalificering'),         -- ledige weeks in upskilling
    (19, 'befolkning')               -- resident weeks
) AS t(measure_id, measure);

CREATE OR REPLACE TEMP TABLE persons AS
SELECT person_id::BIGINT AS person_id, birth_date::DATE AS birth_date, sex::VARCHAR AS sex, origin::VARCHAR AS origin,
       year(birth_date::DATE) AS birth_year, month(birth_date::DATE) * 100 + day(birth_date::DATE) AS birth_md
FROM read_parquet(getvariable('data_dir') || '/persons.parquet');

-- Residence spells carry the person's birth year and birthday, for the age on each Thursday;
-- `until` is the last day, 9999-12-31 for an open spell.
CREATE OR REPLACE TEMP TABLE residence AS
SELECT r.person_id::BIGINT AS person_id, r.municipality::INTEGER AS municipality,
       r.from_date::DATE AS from_date, coalesce(r.to_date::DATE, DATE '9999-12-31') AS until,
       p.birth_year, p.birth_md
FROM read_parquet(getvariable('data_dir') || '/residence.parquet') r
JOIN persons p ON p.person_id = r.person_id;

CREATE OR REPLACE TEMP TABLE benefits AS
SELECT b.person_id::BIGINT AS person_id, b.benefit::VARCHAR AS benefit, m.measure_id AS benefit_id,
       b.benefit <> 'barselsdagpenge' AS public_support,
       b.benefit IN ('a_dagpenge', 'kontanthjaelp', 'uddannelseshjaelp', 'selvforsoergelsesydelse') AS unemployed,
       b.from_week::INTEGER AS from_week, b.to_week::INTEGER AS to_week
FROM read_parquet(getvariable('data_dir') || '/benefits.parquet') b
JOIN measures m ON m.measure = b.benefit AND m.measure_id < 14;

CREATE OR REPLACE TEMP TABLE activation AS
SELECT person_id::BIGINT AS person_id, kind::VARCHAR AS kind,
       from_week::INTEGER AS from_week, to_week::INTEGER AS to_week
FROM read_parquet(getvariable('data_dir') || '/activation.parquet');

-- 2. A calendar of ISO weeks, 1900 to 2199, built from DuckDB's own date functions: every
--    Monday, its Thursday, and the week, quarter and year the Thursday puts it in.
--    `idx` numbers the weeks consecutively, so "the 52 weeks ending with this one" is
--    idx - 51 .. idx. YYYYWW integers sort chronologically, so a spell from_week..to_week
--    covers exactly the weeks with from_week <= yyyyww <= to_week.
CREATE OR REPLACE TEMP TABLE weeks AS
WITH mondays AS (
    SELECT monday::DATE AS monday, (monday + INTERVAL 3 DAY)::DATE AS thursday
    FROM generate_series(TIMESTAMP '1900-01-01', TIMESTAMP '2199-12-31', INTERVAL 7 DAY) AS t(monday)
)
SELECT (row_number() OVER (ORDER BY monday))::INTEGER - 1 AS idx,
       monday,
       thursday,
       (isoyear(thursday) * 100 + week(thursday))::INTEGER AS yyyyww,
       isoyear(thursday)::VARCHAR || 'W' || lpad(week(thursday)::VARCHAR, 2, '0') AS week_label,
       year(thursday)::VARCHAR || 'Q' || quarter(thursday)::VARCHAR AS quarter_label,
       year(thursday)::VARCHAR AS year_label,
       year(thursday) AS thursday_year,
       month(thursday) * 100 + day(thursday) AS thursday_md
FROM mondays;

-- Age in completed years on a Thursday: the difference of the years, less one if the
-- birthday (month, day) has not come yet. Someone born on 29 February has their birthday
-- on 1 March in common years, since (2, 28) < (2, 29).
CREATE OR REPLACE TEMP MACRO age_on(birth_year, birth_md, thursday_year, thursday_md) AS
    thursday_year - birth_year - CASE WHEN thursday_md < birth_md THEN 1 ELSE 0 END;

-- 3. The requested range of weeks: from the first week of from_period to the last week of
--    to_period (any kind), by default the weeks spanned by the benefit and activation spells.
CREATE OR REPLACE TEMP TABLE span AS
WITH spells AS (
    SELECT from_week, to_week FROM benefits UNION ALL SELECT from_week, to_week FROM activation
), asked AS (
    SELECT upper(trim(getvariable('from_period'))) AS from_period, upper(trim(getvariable('to_period'))) AS to_period
)
SELECT CASE WHEN from_period IS NULL
            THEN (SELECT w.idx FROM weeks w WHERE w.yyyyww = (SELECT min(from_week) FROM spells))
            ELSE (SELECT min(idx) FROM weeks WHERE from_period IN (week_label, quarter_label, year_label)) END AS first_idx,
       CASE WHEN to_period IS NULL
            THEN (SELECT w.idx FROM weeks w WHERE w.yyyyww = (SELECT max(to_week) FROM spells))
            ELSE (SELECT max(idx) FROM weeks WHERE to_period IN (week_label, quarter_label, year_label)) END AS last_idx
FROM asked;

CREATE OR REPLACE TEMP TABLE check_span AS
SELECT error('invalid period '
             || CASE WHEN first_idx IS NULL THEN getvariable('from_period') ELSE getvariable('to_period') END
             || ': expected a year (2023), a quarter (2023Q2) or an ISO week (2023W07)') AS problem
FROM span
WHERE (getvariable('from_period') IS NOT NULL AND first_idx IS NULL)
   OR (getvariable('to_period') IS NOT NULL AND last_idx IS NULL);

-- 4. The periods: for each requested kind, every period with a week in the range, with
--    all of its weeks (a quarter's or year's weeks are those whose Thursday lies in it).
--    period_id numbers them in output order: weeks, quarters, years, each chronologically.
CREATE OR REPLACE TEMP TABLE periods AS
WITH labelled AS (
    SELECT k.kind, w.idx,
           CASE k.kind WHEN 'week' THEN w.week_label WHEN 'quarter' THEN w.quarter_label ELSE w.year_label END AS period
    FROM weeks w
    CROSS JOIN (SELECT unnest(getvariable('kinds')) AS kind) k
), wanted AS (
    SELECT DISTINCT l.kind, l.period
    FROM labelled l, span s
    WHERE l.idx BETWEEN s.first_idx AND s.last_idx
), counted AS (
    SELECT l.kind, CASE l.kind WHEN 'week' THEN 0 WHEN 'quarter' THEN 1 ELSE 2 END AS kind_order, l.period,
           count(*) AS weeks_in_period, min(l.idx) AS first_idx, max(l.idx) AS last_idx
    FROM labelled l JOIN wanted USING (kind, period)
    GROUP BY ALL
)
SELECT (row_number() OVER (ORDER BY kind_order, first_idx))::INTEGER AS period_id, *
FROM counted;

CREATE OR REPLACE TEMP TABLE period_weeks AS
SELECT p.period_id, w.idx
FROM periods p JOIN weeks w ON w.idx BETWEEN p.first_idx AND p.last_idx;

-- The weeks counted, and the weeks spells are expanded over: 51 more weeks before the
-- first counted week, for the long-term window.
CREATE OR REPLACE TEMP TABLE counted_weeks AS
SELECT * FROM weeks WHERE idx IN (SELECT idx FROM period_weeks);

CREATE OR REPLACE TEMP TABLE spell_weeks AS
SELECT * FROM weeks
WHERE idx BETWEEN (SELECT min(idx) - 51 FROM period_weeks) AND (SELECT max(idx) FROM period_weeks);

-- 5. Benefit weeks: each person, benefit and week once, however many spells of that
--    benefit cover the week.
CREATE OR REPLACE TEMP TABLE benefit_weeks AS
SELECT DISTINCT b.person_id, b.benefit_id, b.public_support, b.unemployed, w.idx
FROM benefits b
JOIN spell_weeks w ON w.yyyyww BETWEEN b.from_week AND b.to_week;

-- 6. Weeks on public support (any benefit but barselsdagpenge): how many such benefits,
--    and how many of the 52 weeks ending with this one were on public support.
CREATE OR REPLACE TEMP TABLE support_weeks AS
WITH per_week AS (
    SELECT person_id, idx, count(*) AS benefits
    FROM benefit_weeks
    WHERE public_support
    GROUP BY person_id, idx
)
SELECT person_id, idx, benefits,
       count(*) OVER (PARTITION BY person_id ORDER BY idx RANGE BETWEEN 51 PRECEDING AND CURRENT ROW) AS weeks_in_window
FROM per_week;

-- 7. Unemployed weeks (the base of the activation shares) and activation weeks.
CREATE OR REPLACE TEMP TABLE unemployed_weeks AS
SELECT DISTINCT person_id, idx
FROM benefit_weeks
WHERE unemployed;

CREATE OR REPLACE TEMP TABLE activation_weeks AS
SELECT a.person_id, w.idx,
       bool_or(a.kind IN ('virksomhedspraktik', 'loentilskud', 'nytteindsats')) AS company,
       bool_or(a.kind = 'opkvalificering') AS upskilling
FROM activation a
JOIN counted_weeks w ON w.yyyyww BETWEEN a.from_week AND a.to_week
GROUP BY a.person_id, w.idx;

-- 8. What each person-week counts towards, besides the population: measure (see the
--    measures table) and weeks. offentlig_forsoergelse counts a week once per
--    public-support benefit. Weeks outside the counted periods go (they were only needed
--    for the long-term window).
CREATE OR REPLACE TEMP TABLE measure_weeks AS
WITH all_weeks AS (
    SELECT person_id, idx, benefit_id AS measure_id, 1 AS n FROM benefit_weeks
    UNION ALL
    SELECT person_id, idx, 14, benefits::INTEGER FROM support_weeks
    UNION ALL
    SELECT person_id, idx, 15, 1 FROM support_weeks WHERE weeks_in_window >= 42
    UNION ALL
    SELECT person_id, idx, 16, 1 FROM unemployed_weeks
    UNION ALL
    SELECT u.person_id, u.idx, 17, 1
    FROM unemployed_weeks u JOIN activation_weeks a USING (person_id, idx) WHERE a.company
    UNION ALL
    SELECT u.person_id, u.idx, 18, 1
    FROM unemployed_weeks u JOIN activation_weeks a USING (person_id, idx) WHERE a.upskilling
)
SELECT m.*, w.thursday, w.thursday_year, w.thursday_md
FROM all_weeks m
JOIN counted_weeks w USING (idx);

DROP TABLE benefit_weeks;
DROP TABLE support_weeks;
DROP TABLE unemployed_weeks;
DROP TABLE activation_weeks;

-- 9. Every counted person-week, placed: the municipality whose residence spell covers the
--    week's Thursday, and the age on that Thursday. Weeks without residence or outside ages
--    16-66 are dropped. The population is every resident week (measure 19, befolkning);
--    measure weeks are placed the same way.
CREATE OR REPLACE TEMP VIEW placed_weeks AS
SELECT r.person_id, w.idx, r.municipality, 19 AS measure_id, 1 AS n,
       age_on(r.birth_year, r.birth_md, w.thursday_year, w.thursday_md) AS age
FROM residence r
JOIN counted_weeks w ON w.thursday BETWEEN r.from_date AND r.until
WHERE age_on(r.birth_year, r.birth_md, w.thursday_year, w.thursday_md) BETWEEN 16 AND 66
UNION ALL
SELECT m.person_id, m.idx, r.municipality, m.measure_id, m.n,
       age_on(r.birth_year, r.birth_md, m.thursday_year, m.thursday_md) AS age
FROM measure_weeks m
JOIN residence r ON r.person_id = m.person_id AND m.thursday BETWEEN r.from_date AND r.until
WHERE age_on(r.birth_year, r.birth_md, m.thursday_year, m.thursday_md) BETWEEN 16 AND 66;

-- 10. Per person, municipality, period, measure and age: the weeks. This shrinks the
--     person-weeks to person-periods (a person can change age within a period).
CREATE OR REPLACE TEMP TABLE person_ages AS
SELECT c.municipality, p.period_id, c.measure_id, c.person_id, c.age, sum(c.n)::INTEGER AS weeks
FROM placed_weeks c
JOIN period_weeks p USING (idx)
GROUP BY ALL;

-- (Intermediate tables are dropped once used: at scale they are gigabytes.)
DROP TABLE measure_weeks;

-- 11. Per municipality, period, measure, sex and origin: the weeks and the persons with at
--     least one week, in all and per age band. person_cells has one row per person, so
--     counting its rows with weeks > 0 counts distinct persons.
CREATE OR REPLACE TEMP TABLE sex_origin_cells AS
WITH with_country AS (
    -- The whole country is municipality 0: every row again, there.
    SELECT municipality, period_id, measure_id, person_id, age, weeks FROM person_ages
    UNION ALL
    SELECT 0, period_id, measure_id, person_id, age, weeks FROM person_ages
), person_cells AS (
    -- Per person, municipality, period and measure: the weeks in all and per age band. A
    -- person who moved within the period has one row in each municipality and one in 0.
    SELECT municipality, period_id, measure_id, person_id,
           sum(weeks)::INTEGER AS w_all,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 16 AND 24), 0)::INTEGER AS w_16_24,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 25 AND 29), 0)::INTEGER AS w_25_29,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 30 AND 39), 0)::INTEGER AS w_30_39,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 40 AND 49), 0)::INTEGER AS w_40_49,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 50 AND 59), 0)::INTEGER AS w_50_59,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 60 AND 66), 0)::INTEGER AS w_60_66,
           coalesce(sum(weeks) FILTER (WHERE age BETWEEN 20 AND 29), 0)::INTEGER AS w_20_29
    FROM with_country
    GROUP BY municipality, period_id, measure_id, person_id
)
SELECT c.municipality, c.period_id, c.measure_id, p.sex, p.origin,
       sum(w_all) AS w_all, count(*) FILTER (WHERE w_all > 0) AS p_all,
       sum(w_16_24) AS w_16_24, count(*) FILTER (WHERE w_16_24 > 0) AS p_16_24,
       sum(w_25_29) AS w_25_29, count(*) FILTER (WHERE w_25_29 > 0) AS p_25_29,
       sum(w_30_39) AS w_30_39, count(*) FILTER (WHERE w_30_39 > 0) AS p_30_39,
       sum(w_40_49) AS w_40_49, count(*) FILTER (WHERE w_40_49 > 0) AS p_40_49,
       sum(w_50_59) AS w_50_59, count(*) FILTER (WHERE w_50_59 > 0) AS p_50_59,
       sum(w_60_66) AS w_60_66, count(*) FILTER (WHERE w_60_66 > 0) AS p_60_66,
       sum(w_20_29) AS w_20_29, count(*) FILTER (WHERE w_20_29 > 0) AS p_20_29
FROM person_cells c
JOIN persons p USING (person_id)
GROUP BY ALL;

DROP TABLE person_ages;

-- 12. The categories. A person has one sex and one origin, so a category's weeks and
--     persons are sums over the (sex, origin) cells it includes.
CREATE OR REPLACE TEMP TABLE categories AS
SELECT * FROM (VALUES
    ( 0, 'i_alt',      'i_alt',                    'all',   NULL::VARCHAR, NULL::VARCHAR[]),
    ( 1, 'alder',      '16-24',                    '16_24', NULL, NULL),
    ( 2, 'alder',      '25-29',                    '25_29', NULL, NULL),
    ( 3, 'alder',      '30-39',                    '30_39', NULL, NULL),
    ( 4, 'alder',      '40-49',                    '40_49', NULL, NULL),
    ( 5, 'alder',      '50-59',                    '50_59', NULL, NULL),
    ( 6, 'alder',      '60-66',                    '60_66', NULL, NULL),
    ( 7, 'alder',      '20-29',                    '20_29', NULL, NULL),
    ( 8, 'koen',       'M',                        'all',   'M',  NULL),
    ( 9, 'koen',       'K',                        'all',   'K',  NULL),
    (10, 'oprindelse', 'dansk',                    'all',   NULL, ['dansk']),
    (11, 'oprindelse', 'vestlig_indvandrer',       'all',   NULL, ['vestlig_indvandrer']),
    (12, 'oprindelse', 'vestlig_efterkommer',      'all',   NULL, ['vestlig_efterkommer']),
    (13, 'oprindelse', 'ikke_vestlig_indvandrer',  'all',   NULL, ['ikke_vestlig_indvandrer']),
    (14, 'oprindelse', 'ikke_vestlig_efterkommer', 'all',   NULL, ['ikke_vestlig_efterkommer']),
    (15, 'oprindelse', 'ikke_vestlig_i_alt',       'all',   NULL, ['ikke_vestlig_indvandrer', 'ikke_vestlig_efterkommer'])
) AS t(category_order, dimension, category, age_band, sex, origins);

CREATE OR REPLACE TEMP TABLE cells AS
WITH banded AS (
    -- one row per age band column: ('all', weeks, persons), ('16_24', ...), ...
    UNPIVOT sex_origin_cells
    ON (w_all, p_all) AS "all", (w_16_24, p_16_24) AS "16_24", (w_25_29, p_25_29) AS "25_29",
       (w_30_39, p_30_39) AS "30_39", (w_40_49, p_40_49) AS "40_49", (w_50_59, p_50_59) AS "50_59",
       (w_60_66, p_60_66) AS "60_66", (w_20_29, p_20_29) AS "20_29"
    INTO NAME age_band VALUE weeks, persons
)
SELECT b.municipality, b.period_id, c.category_order, b.measure_id, sum(b.weeks) AS weeks, sum(b.persons) AS persons
FROM banded b
JOIN categories c
  ON c.age_band = b.age_band
 AND (c.sex IS NULL OR c.sex = b.sex)
 AND (c.origins IS NULL OR list_contains(c.origins, b.origin))
GROUP BY ALL;

-- 13. The indicators, in the engine's order: befolkning; fuldtid.* for the 16 subjects
--     (the 14 benefits, offentlig_forsoergelse, langvarige: measures 0-15); andel.* for the
--     same; then andel.virksomhedsrettet and andel.opkvalificering.
--     A (municipality, period, category) has rows when it has residents; then every
--     fuldtid and andel row (0 when nobody), and the activation shares when it has
--     unemployed weeks. Values are computed as the engine documents them: weeks / weeks in
--     the period, and 100 * part / whole.
CREATE OR REPLACE TEMP TABLE panel AS
WITH population AS (
    SELECT c.municipality, c.period_id, c.category_order, c.weeks, c.persons, p.weeks_in_period
    FROM cells c JOIN periods p USING (period_id)
    WHERE c.measure_id = 19 AND c.weeks > 0
), unemployed AS (
    SELECT municipality, period_id, category_order, weeks FROM cells WHERE measure_id = 16 AND weeks > 0
), rows AS (
    SELECT pop.municipality, pop.period_id, pop.category_order, 0 AS indicator_order, 'befolkning' AS indicator,
           pop.weeks::DOUBLE / pop.weeks_in_period::DOUBLE AS value, pop.persons
    FROM population pop
    UNION ALL
    SELECT pop.municipality, pop.period_id, pop.category_order, 1 + s.measure_id, 'fuldtid.' || s.measure,
           coalesce(c.weeks, 0)::DOUBLE / pop.weeks_in_period::DOUBLE, coalesce(c.persons, 0)
    FROM population pop
    CROSS JOIN measures s
    LEFT JOIN cells c USING (municipality, period_id, category_order, measure_id)
    WHERE s.measure_id < 16
    UNION ALL
    SELECT pop.municipality, pop.period_id, pop.category_order, 17 + s.measure_id, 'andel.' || s.measure,
           100::DOUBLE * coalesce(c.weeks, 0)::DOUBLE / pop.weeks::DOUBLE, coalesce(c.persons, 0)
    FROM population pop
    CROSS JOIN measures s
    LEFT JOIN cells c USING (municipality, period_id, category_order, measure_id)
    WHERE s.measure_id < 16
    UNION ALL
    SELECT u.municipality, u.period_id, u.category_order, 33 + (s.measure_id - 17), 'andel.' || s.measure,
           100::DOUBLE * coalesce(c.weeks, 0)::DOUBLE / u.weeks::DOUBLE, coalesce(c.persons, 0)
    FROM unemployed u
    CROSS JOIN measures s
    LEFT JOIN cells c USING (municipality, period_id, category_order, measure_id)
    WHERE s.measure_id IN (17, 18)
)
SELECT lpad(r.municipality::VARCHAR, 3, '0') AS municipality, p.period, r.indicator, c.dimension, c.category,
       r.value, r.persons::BIGINT AS persons,
       p.kind_order, r.municipality AS municipality_order, r.period_id, r.indicator_order, r.category_order
FROM rows r
JOIN periods p USING (period_id)
JOIN categories c USING (category_order);

-- The panel, in the engine's row order: period kind, municipality (000 first), period,
-- indicator, category.
SELECT municipality, period, indicator, dimension, category, value, persons
FROM panel
ORDER BY kind_order, municipality_order, period_id, indicator_order, category_order;
