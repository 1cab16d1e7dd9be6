# The quarterly goal-fulfilment report (indsats_report::labels::Labels), in HTML, in PDF and
# on the web's plan and goal pages.

## Number and date formats
report-decimal-mark = ,
report-thousands-separator = .
report-date = { $day }.{ $month }.{ $year }
report-quarter = { $year }K{ $quarter }
report-quarter-long = { $quarter }. kvartal { $year }

## Statuses and trends
report-status-met = Opfyldt
report-status-on-track = På vej
report-status-at-risk = I risiko
report-status-not-met = Ikke opfyldt
report-status-no-data = Ingen data
report-trend-better = bedre end kvartalet før
report-trend-worse = dårligere end kvartalet før
report-trend-unchanged = uændret fra kvartalet før
report-action-not-started = Ikke startet
report-action-in-progress = I gang
report-action-done = Gennemført
report-action-dropped = Opgivet

## Headings and tables
report-title = Målopfyldelse { $quarter }
report-plan-version = planversion { $version }
report-plan-file = efter planfilen
report-made-on = udarbejdet { $date }
report-summary = Oversigt
report-intro = Hvert mål er vurderet ud fra sine indikatorer i { $quarter }. Et mål har den dårligste status blandt sine indikatorer; en indikator uden tal tæller som { $no-data }, så et mål aldrig vises som opfyldt uden tal. Tal for færre end 5 personer vises ikke.
report-quote-html = «{ $text }»
report-quote-pdf = »{ $text }«
report-summary-caption = Alle mål og indikatorer, { $quarter }
report-col-goal = Mål
report-col-indicator = Indikator
report-col-status = Status
report-col-value = Værdi
report-col-baseline = Basislinje
report-col-target = Mål
report-col-trend = Udvikling
report-col-action-plan = Handleplan
report-col-action = Handling
report-col-owner = Ansvarlig
report-col-due = Frist
report-no-indicator = Ingen indikator
report-comparison = Sammenlignes med hele landet.
report-comparison-with = Sammenlignes med hele landet og med { $municipalities } ({ $how }).
report-comparable-from-plan = valgt i planen
report-comparable-chosen = valgt af indsats som de kommuner, hvis befolkning ligner mest i alder og oprindelse
report-goal-national = Ministerens mål
report-goal-local = Kommunalbestyrelsens mål
report-strategic-goals = Strategiske mål
report-comment = Kommentar fra ledelsen
report-wording = Planens ordlyd
report-history = Status kvartal for kvartal
report-strategy = Strategi
report-activities = Prioriterede aktiviteter
report-action-plans = Handleplaner

## Charts
report-chart-country = Hele landet
report-chart-comparable = Sammenlignelige kommuner
report-chart-baseline = Basislinje
report-chart-target = Mål

## Targets and verdicts
report-target-below-baseline = under basislinjen
report-target-above-baseline = over basislinjen
report-target-at-most = højst { $value }
report-target-below = under { $value }
report-target-at-least = mindst { $value }
report-target-above = over { $value }
report-target-change = { $percent } % fra basislinjen
report-target-change-to = { $percent } % fra basislinjen ({ $value })
report-target-count = mindst { $value } i alt
report-target-in = { $target } i { $period }
report-side-below = under
report-side-above = over
report-side-at-most = højst
report-side-at-least = mindst
report-side-not = ikke { $side }
report-compare = { $value } er { $side } { $threshold }
report-explain-final = Tallet for { $period }: { $comparison }: { $verdict }.
report-explain-final-sum = Summen for { $period }: { $comparison }: { $verdict }.
report-explain-so-far = Gennemsnittet af { $quarters }: { $comparison }: { $verdict }.
report-explain-so-far-sum = Summen for { $quarters } (målet forholdsmæssigt): { $comparison }: { $verdict }.
report-explain-late = Tal for { $quarters } mangler endnu.
report-explain-rolling = Målperioden er ikke begyndt; de seneste kvartaler { $quarters }: { $comparison }: { $verdict }.
report-explain-not-collected = Tallet indsamles ikke i indsats endnu; målet vurderes ikke.
report-explain-no-baseline = Basislinjen findes ikke i data, så målet kan ikke vurderes.
report-explain-suppressed = Tallet bygger på færre end 5 personer og vises ikke.
report-explain-no-indicator = Målet har ingen indikator i planen.
report-explain-no-figures = Der er ingen tal for perioden endnu.

## Why no report can be made
report-error-outside-plan = { $quarter } ligger uden for planens periode { $period }; vælg et kvartal i perioden.
report-error-no-data = Der er ingen registertal for { $municipality } til og med { $quarter }, så målene kan ikke vurderes.
