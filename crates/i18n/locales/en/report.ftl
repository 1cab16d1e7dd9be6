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
report-status-no-figures = No figures yet
report-status-not-measured = Not measured
report-status-partly = { $status }, { $judged } of { $total } indicators measured
report-judged-of = { $judged } of { $total } indicators measured
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
report-intro = Each goal is judged by those of its indicators that have figures in { $quarter }: the goal takes the worst status among them, and when not all were measured, the number is given beside the status. { $not-measured } means that indsats does not measure the indicator yet (or that the goal has no indicator); { $no-figures } means that the indicator is measured but there are no figures for the period yet, or that the figure covers fewer than 5 persons and is therefore not shown.
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

## The committee document (first page, sections, appendix)
report-sender = { $municipality } Municipality
report-sender-with = { $municipality } Municipality, { $administration }
report-meeting = To { $committee }, meeting on { $date }
report-synthetic = Demo data: every figure in this report is invented (synthetic register data) and says nothing about a real municipality.
report-summary-counts = The plan has { $goals } goals. In { $quarter }: { $counts }.
report-summary-partly = { $count } of the goals are judged on some of their indicators; the number measured is given beside the status.
report-nothing-measurable = None of the plan's { $goals } goals has an indicator that indsats measures yet, so no goal is judged.
report-list-and = { $items } and { $last }
report-count-met = { $count } met
report-count-on-track = { $count } on track
report-count-at-risk = { $count } at risk
report-count-not-met = { $count } not met
report-count-no-figures = { $count } without figures yet
report-count-not-measured = { $count } not measured
report-comment-by = Written by { $author } on { $date }
report-comment-on = Written on { $date }
report-col-value-basis = Value ({ $basis })
report-basis-year = { $year }, whole year
report-basis-year-sum = { $year }, total
report-basis-period = { $period }
report-basis-period-sum = { $period }, total
report-basis-so-far = { $quarters }, to date
report-basis-so-far-sum = { $quarters }, total to date
report-basis-rolling = { $quarters }, latest quarters
report-chart-baseline-target = Baseline and target
report-chart-table = The figures behind the chart; – means no figure or fewer than 5 persons.
report-unmeasured = Goals without an indicator
report-unmeasured-intro = These goals have no indicator in the plan, so indsats cannot judge them. They are followed through action plans and management comments.
report-col-kind = Kind
report-appendix = Appendix: indicators and data
report-col-measure = Measure
report-col-definition = Definition
report-data = The register figures come from data set { $version }, which reaches up to and including { $week }.
report-data-synthetic = The register figures come from data set { $version }, which reaches up to and including { $week }. The data set is synthetic: its figures were invented by the indsats demo.
report-week = week { $week } of { $year }
report-def-befolkning = Full-time persons aged 16-66 resident in the municipality: person-weeks divided by the weeks in the period.
report-def-fuldtid = Full-time persons: person-weeks on the benefit among residents aged 16-66, divided by the weeks in the period.
report-def-andel = Full-time persons on the benefit as a percentage of all full-time persons aged 16-66 resident in the municipality, in the same population group.
report-def-virksomhedsrettet = The share of person-weeks on unemployment insurance, social assistance, education assistance or self-support benefit that is covered by company-oriented activation (work placement, wage subsidy or utility work), in percent.
report-def-opkvalificering = The share of person-weeks on unemployment insurance, social assistance, education assistance or self-support benefit that is covered by upskilling, in percent.
report-def-offentlig-forsoergelse = All public income support benefits added up; a person on two benefits in the same week counts twice (as on jobindsats.dk).
report-def-langvarige = A person-week counts when the person is on public income support that week and in at least 42 of the 52 weeks ending with it.
report-def-benefit = The benefit is called { $benefit } in the register format.
report-def-not-collected = Not collected by indsats yet; the indicator is not judged.
report-def-sager-all = all
report-def-sager-samtaler = The jobcentre's own cases ({ $which }): the conversation deadlines the rules give the municipality for the citizen's current course that fell in the period while the case was open; the percentage met by the deadline. Based on the citizens with a deadline in the period.
report-def-sager-tilbud = The jobcentre's own cases: offers ({ $which }) whose first day lies in the period, counted as offers.
report-def-sager-virksomhedsrettet = The jobcentre's own cases: company-oriented offers (work placement, wage subsidy, utility work, ordinary hours, adult apprenticeship, IPS) as a percentage of all offers whose first day lies in the period.
report-def-sager-sagsbehandlerskift = The jobcentre's own cases: changes of caseworker in the period per citizen-year, a citizen-year being 365 days a case was open in the period.
report-def-sager-langvarige = The jobcentre's own cases: open cases in the target group ({ $which }) on the period's last day that had then been open for at least a year.
