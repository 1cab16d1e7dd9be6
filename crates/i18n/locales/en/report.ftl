# The quarterly goal-fulfilment report (indsats_report::labels::Labels), in HTML, in PDF and
# on the web's plan and goal pages.

## Number and date formats
report-decimal-mark = .
report-thousands-separator = ,
report-date = { $year }-{ $month }-{ $day }
report-quarter = { $year } Q{ $quarter }
report-quarter-long = Q{ $quarter } { $year }

## Statuses and trends
report-status-met = Met
report-status-on-track = On track
report-status-at-risk = At risk
report-status-not-met = Not met
report-status-no-data = No data
report-trend-better = better than the quarter before
report-trend-worse = worse than the quarter before
report-trend-unchanged = unchanged from the quarter before
report-action-not-started = Not started
report-action-in-progress = In progress
report-action-done = Done
report-action-dropped = Dropped

## Headings and tables
report-title = Goal fulfilment { $quarter }
report-plan-version = plan version { $version }
report-plan-file = from the plan file
report-made-on = made { $date }
report-summary = Summary
report-intro = Each goal is judged by its indicators in { $quarter }. A goal has the worst status among its indicators; an indicator without figures counts as { $no-data }, so a goal is never shown as met without figures. Figures for fewer than 5 persons are not shown.
report-quote-html = “{ $text }”
report-quote-pdf = “{ $text }”
report-summary-caption = All goals and indicators, { $quarter }
report-col-goal = Goal
report-col-indicator = Indicator
report-col-status = Status
report-col-value = Value
report-col-baseline = Baseline
report-col-target = Target
report-col-trend = Trend
report-col-action-plan = Action plan
report-col-action = Action
report-col-owner = Responsible
report-col-due = Due
report-no-indicator = No indicator
report-comparison = Compared with the whole country.
report-comparison-with = Compared with the whole country and with { $municipalities } ({ $how }).
report-comparable-from-plan = chosen in the plan
report-comparable-chosen = chosen by indsats as the municipalities whose population is most alike in age and origin
report-goal-national = The minister's goal
report-goal-local = The council's goal
report-strategic-goals = Strategic goals
report-comment = Management's comment
report-wording = The plan's wording
report-history = Status quarter by quarter
report-strategy = Strategy
report-activities = Prioritised activities
report-action-plans = Action plans

## Charts
report-chart-country = Whole country
report-chart-comparable = Comparable municipalities
report-chart-baseline = Baseline
report-chart-target = Target

## Targets and verdicts
report-target-below-baseline = below the baseline
report-target-above-baseline = above the baseline
report-target-at-most = at most { $value }
report-target-below = below { $value }
report-target-at-least = at least { $value }
report-target-above = above { $value }
report-target-change = { $percent } % from the baseline
report-target-change-to = { $percent } % from the baseline ({ $value })
report-target-count = at least { $value } in total
report-target-in = { $target } in { $period }
report-side-below = below
report-side-above = above
report-side-at-most = at most
report-side-at-least = at least
report-side-not = not { $side }
report-compare = { $value } is { $side } { $threshold }
report-explain-final = The figure for { $period }: { $comparison }: { $verdict }.
report-explain-final-sum = The sum for { $period }: { $comparison }: { $verdict }.
report-explain-so-far = The mean of { $quarters }: { $comparison }: { $verdict }.
report-explain-so-far-sum = The sum for { $quarters } (the target pro rata): { $comparison }: { $verdict }.
report-explain-late = Figures for { $quarters } are still missing.
report-explain-rolling = The target period has not begun; the latest quarters { $quarters }: { $comparison }: { $verdict }.
report-explain-not-collected = indsats does not collect this figure yet; the goal is not judged.
report-explain-no-baseline = The baseline is not in the data, so the goal cannot be judged.
report-explain-suppressed = The figure rests on fewer than 5 persons and is not shown.
report-explain-no-indicator = The goal has no indicator in the plan.
report-explain-no-figures = There are no figures for the period yet.

## Why no report can be made
report-error-outside-plan = { $quarter } is outside the plan period { $period }; choose a quarter in the period.
report-error-no-data = There are no register figures for { $municipality } up to and including { $quarter }, so the goals cannot be judged.
