# Problems in a plan file (indsats_domain::plan::ProblemKind::code): the same words as the
# CLI prints (ProblemKind's Display); a test checks that they agree.
plan-problem-not-toml = not valid TOML: { $detail }
plan-problem-unknown-key = unknown key `{ $key }`: expected one of format, policy, plan, goals
plan-problem-missing-format = missing key `format`: expected `format = { $format }` at the top
plan-problem-unsupported-format = unsupported format: expected { $format }
plan-problem-missing-table = missing table [{ $table }]
plan-problem-not-a-table = { $what } must be a table
plan-problem-invalid-section = { $what }: { $detail }
plan-problem-goals-not-tables = goals must be written as [[goals]] tables
plan-problem-no-strategic-goals = the policy has no strategic goals: expected at least one [[policy.strategic_goals]]
plan-problem-ends-before-start = the plan ends ({ $to }) before it starts ({ $from })
plan-problem-adopted-after-period = adopted { $adopted } is after the plan period { $period }
plan-problem-unknown-goal-kind = unknown goal kind { $kind }: expected "national" or "local"
plan-problem-unknown-indicator = unknown indicator { $measure }: expected a register figure such as andel.offentlig_forsoergelse, or fritidsjob.startet or virksomheder.tilfredshed (see docs/plan-format.md)
plan-problem-unknown-category = unknown category { $category }: expected i_alt, an age band such as 20-29, M, K or an origin
plan-problem-no-categories = { $measure } has no categories: expected i_alt
plan-problem-age-categories-only = { $measure } can only be split by age: expected i_alt or an age band
plan-problem-target-period-outside-plan = target period { $target } is outside the plan period { $plan }
plan-problem-baseline-not-before-target = baseline period { $baseline } must end before the target period { $target } starts
plan-problem-rule-needs-baseline = target rule { $rule } needs a baseline: add baseline = {"{"} period = ..., value = ... {"}"}
plan-problem-unknown-rule = unknown target rule { $rule }: expected below_baseline, above_baseline, at_most, below, at_least, above, change_by_percent or count_at_least
plan-problem-rule-needs-value = target rule { $rule } needs a value (non-zero for change_by_percent)
plan-problem-rule-takes-no-value = target rule { $rule } takes no value: the baseline is the target
plan-problem-too-large = the plan is too large: at most { $goals } goals and { $indicators } indicators
plan-problem-value-not-finite = a value must be a finite number, not nan or inf
plan-problem-count-rule-expected = { $measure } is a count: expected the rule count_at_least
plan-problem-count-measure-expected = count_at_least needs a count measure, and { $measure } is not one
plan-problem-due-outside-plan = due date { $due } is outside the plan period { $plan }
plan-problem-unknown-action-status = unknown status { $status }: expected not_started, in_progress, done or dropped
plan-problem-invalid-id = invalid id { $id }: expected lower-case letters a-z, digits and '-'
plan-problem-duplicate-id = duplicate id { $id }: first used on line { $line }
plan-problem-missing-strategic-goal = goal linked to a missing strategic goal { $id }: expected one of the ids in [[policy.strategic_goals]]
plan-problem-invalid-municipality = invalid municipality code { $code }: expected a kommunekode from 101 to 999
plan-problem-invalid-quarter = invalid quarter { $text }: expected e.g. "2023Q1"
plan-problem-invalid-period = invalid period { $text }: expected a year ("2022") or a quarter ("2022Q4")
plan-problem-invalid-date = invalid date { $text }: expected a date such as 2023-06-30
