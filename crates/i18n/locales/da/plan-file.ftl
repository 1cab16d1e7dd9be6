# Problems in a plan file (indsats_domain::plan::ProblemKind::code). Names and values the
# file wrote come quoted in the arguments.
plan-problem-not-toml = ikke gyldig TOML
plan-problem-unknown-key = ukendt nøgle `{ $key }`: forventede format, policy, plan eller goals
plan-problem-missing-format = mangler `format = { $format }` øverst i filen
plan-problem-unsupported-format = ukendt formatversion: forventede { $format }
plan-problem-missing-table = mangler tabellen [{ $table }]
plan-problem-not-a-table = { $what } skal være en tabel
plan-problem-invalid-section = { $what }: ugyldig værdi eller nøgle ({ $detail })
plan-problem-goals-not-tables = mål skal skrives som [[goals]]-tabeller
plan-problem-no-strategic-goals = politikken har ingen strategiske mål: forventede mindst én [[policy.strategic_goals]]
plan-problem-ends-before-start = planen slutter ({ $to }) før den begynder ({ $from })
plan-problem-adopted-after-period = vedtaget { $adopted } ligger efter planperioden { $period }
plan-problem-unknown-goal-kind = ukendt måltype { $kind }: forventede "national" eller "local"
plan-problem-unknown-indicator = ukendt indikator { $measure } (se docs/plan-format.md)
plan-problem-unknown-category = ukendt kategori { $category }
plan-problem-no-categories = { $measure } kan ikke opdeles: forventede i_alt
plan-problem-age-categories-only = { $measure } kan kun opdeles på alder: forventede i_alt eller et aldersinterval
plan-problem-target-period-outside-plan = målperioden { $target } ligger uden for planperioden { $plan }
plan-problem-baseline-not-before-target = basisperioden { $baseline } skal slutte før målperioden { $target } begynder
plan-problem-rule-needs-baseline = målreglen { $rule } kræver en basislinje (baseline)
plan-problem-unknown-rule = ukendt målregel { $rule }
plan-problem-rule-needs-value = målreglen { $rule } kræver en værdi (value)
plan-problem-rule-takes-no-value = målreglen { $rule } tager ingen værdi: basislinjen er målet
plan-problem-too-large = planen er for stor: højst { $goals } mål og { $indicators } indikatorer
plan-problem-value-not-finite = en værdi skal være et endeligt tal, ikke nan eller inf
plan-problem-count-rule-expected = målreglen { $rule } passer ikke til indikatoren { $measure }
plan-problem-count-measure-expected = målreglen { $rule } passer ikke til indikatoren { $measure }
plan-problem-due-outside-plan = fristen { $due } ligger uden for planperioden { $plan }
plan-problem-unknown-action-status = ukendt status { $status }
plan-problem-invalid-id = ugyldigt id { $id }: brug små bogstaver a-z, tal og '-'
plan-problem-duplicate-id = id'et { $id } er brugt før (linje { $line })
plan-problem-missing-strategic-goal = målet henviser til et strategisk mål, der ikke findes: { $id }
plan-problem-invalid-municipality = ugyldig kommunekode { $code }: forventede 101-999
plan-problem-invalid-quarter = ugyldigt kvartal { $text }: skriv fx "2023Q1"
plan-problem-invalid-period = ugyldig periode { $text }: skriv et år ("2022") eller et kvartal ("2022Q4")
plan-problem-invalid-date = ugyldig dato { $text }: skriv fx 2023-06-30
