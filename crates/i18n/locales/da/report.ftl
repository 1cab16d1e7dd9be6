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
report-status-no-figures = Ingen tal endnu
report-status-not-measured = Ikke målt
report-status-partly = { $status }, { $judged } af { $total } indikatorer målt
report-judged-of = { $judged } af { $total } indikatorer målt
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
report-intro = Hvert mål er vurderet ud fra de af dets indikatorer, der har tal i { $quarter }: målet får den dårligste status blandt dem, og er ikke alle målt, står antallet ved statussen. { $not-measured } betyder, at indsats ikke måler indikatoren endnu (eller at målet ingen indikator har); { $no-figures } betyder, at indikatoren måles, men at der endnu ikke er tal for perioden, eller at tallet bygger på færre end 5 personer og derfor ikke vises.
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

## The committee document (first page, sections, appendix)
report-sender = { $municipality } Kommune
report-sender-with = { $municipality } Kommune, { $administration }
report-meeting = Til { $committee }, mødet { $date }
report-synthetic = Demodata: alle tal i denne rapport er opdigtede (syntetiske registerdata) og siger intet om en virkelig kommune.
report-summary-counts = Planen har { $goals } mål. I { $quarter } er { $counts }.
report-summary-partly = { $count } af målene er vurderet på en del af deres indikatorer; antallet målte står ved statussen.
report-nothing-measurable = Ingen af planens { $goals } mål har en indikator, som indsats måler endnu, så ingen mål er vurderet.
report-list-and = { $items } og { $last }
report-count-met = { $count } opfyldt
report-count-on-track = { $count } på vej
report-count-at-risk = { $count } i risiko
report-count-not-met = { $count } ikke opfyldt
report-count-no-figures = { $count } uden tal endnu
report-count-not-measured = { $count } ikke målt
report-comment-by = Skrevet af { $author } { $date }
report-comment-on = Skrevet { $date }
report-col-value-basis = Værdi ({ $basis })
report-basis-year = { $year }, hele året
report-basis-year-sum = { $year }, i alt
report-basis-period = { $period }
report-basis-period-sum = { $period }, i alt
report-basis-so-far = { $quarters }, til dato
report-basis-so-far-sum = { $quarters }, i alt til dato
report-basis-rolling = { $quarters }, seneste kvartaler
report-chart-baseline-target = Basislinje og mål
report-chart-table = Tallene bag figuren; – betyder intet tal eller færre end 5 personer.
report-unmeasured = Mål uden indikator
report-unmeasured-intro = Disse mål har ingen indikator i planen, så indsats kan ikke vurdere dem. De følges gennem handleplaner og ledelsens kommentarer.
report-col-kind = Type
report-appendix = Bilag: indikatorer og data
report-col-measure = Datagrundlag
report-col-definition = Definition
report-data = Registertallene er fra datasæt { $version }, som rækker til og med { $week }.
report-data-synthetic = Registertallene er fra datasæt { $version }, som rækker til og med { $week }. Datasættet er syntetisk: tallene er opdigtede af indsats' demo.
report-week = uge { $week } { $year }
report-def-befolkning = Fuldtidspersoner 16-66 år med bopæl i kommunen: personuger divideret med antal uger i perioden.
report-def-fuldtid = Fuldtidspersoner: personuger på ydelsen blandt 16-66-årige med bopæl i kommunen, divideret med antal uger i perioden.
report-def-andel = Fuldtidspersoner på ydelsen i procent af alle fuldtidspersoner 16-66 år med bopæl i kommunen i samme befolkningsgruppe.
report-def-virksomhedsrettet = Den del af personugerne på a-dagpenge, kontanthjælp, uddannelseshjælp eller selvforsørgelsesydelse, der er dækket af virksomhedsrettet aktivering (virksomhedspraktik, løntilskud eller nytteindsats), i procent.
report-def-opkvalificering = Den del af personugerne på a-dagpenge, kontanthjælp, uddannelseshjælp eller selvforsørgelsesydelse, der er dækket af opkvalificering, i procent.
report-def-offentlig-forsoergelse = Alle offentlige forsørgelsesydelser lagt sammen; en person på to ydelser i samme uge tæller to gange (som på jobindsats.dk).
report-def-langvarige = En personuge tæller, når personen er på offentlig forsørgelse i ugen og i mindst 42 af de 52 uger, der slutter med den.
report-def-benefit = Ydelsen hedder { $benefit } i registerformatet.
report-def-not-collected = Indsamles ikke i indsats endnu; indikatoren vurderes ikke.
report-def-sager-all = alle
report-def-sager-samtaler = Jobcentrets egne sager ({ $which }): de frister for samtaler, som reglerne giver kommunen for borgerens nuværende forløb, og som faldt i perioden, mens sagen var åben; andelen i procent, der var overholdt ved fristen. Bygger på borgerne med en frist i perioden.
report-def-sager-tilbud = Jobcentrets egne sager: tilbud ({ $which }) med første dag i perioden, talt som tilbud.
report-def-sager-virksomhedsrettet = Jobcentrets egne sager: de virksomhedsrettede tilbud (virksomhedspraktik, løntilskud, nytteindsats, ordinære timer, voksenlærling, IPS) i procent af alle tilbud med første dag i perioden.
report-def-sager-sagsbehandlerskift = Jobcentrets egne sager: skift af sagsbehandler i perioden pr. borgerår, hvor et borgerår er 365 dage, en sag var åben i perioden.
report-def-sager-langvarige = Jobcentrets egne sager: åbne sager i målgruppen ({ $which }) på periodens sidste dag, som da havde været åbne i mindst et år.
