//! The in-memory register data: persons and their spells, grouped by person.
//!
//! Each table is a vector of small plain records, the shape an importer fills column by
//! column from Parquet or CSV. [`Dataset::new`] sorts every table by person and keeps an
//! offset array per table, so a person's spells are one contiguous slice and the engine
//! can hand contiguous ranges of persons to its threads.

use chrono::NaiveDate;
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek, MunicipalityCode, Origin, Sex};

use crate::RegisterError;

/// The most persons a data set may hold. The engine stamps cells with a person's position as
/// `u32` (keeping `u32::MAX` for "nobody") and counts a cell's person-weeks in 32 bits, which
/// holds as long as every person adds at most 53 weeks (a year) to it: about 81 million
/// persons, far above Denmark's 6.
pub const MAX_PERSONS: usize = (u32::MAX / 53) as usize;

/// A person in the population register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// A pseudonymous person id, never a CPR number.
    pub id: i64,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Origin.
    pub origin: Origin,
}

/// A spell of residence in one municipality, from one date to another (inclusive) or open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Residence {
    /// The person.
    pub person_id: i64,
    /// The municipality code, 101-999.
    pub municipality: u16,
    /// The first day of residence.
    pub from: NaiveDate,
    /// The last day of residence; `None` while the person still lives there.
    pub to: Option<NaiveDate>,
}

/// A spell on one benefit, in whole ISO weeks, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenefitSpell {
    /// The person.
    pub person_id: i64,
    /// The benefit group.
    pub group: BenefitGroup,
    /// The first week on the benefit.
    pub from: IsoWeek,
    /// The last week on the benefit.
    pub to: IsoWeek,
}

/// A spell in one kind of activation, in whole ISO weeks, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivationSpell {
    /// The person.
    pub person_id: i64,
    /// The kind of offer.
    pub kind: ActivationKind,
    /// The first week of activation.
    pub from: IsoWeek,
    /// The last week of activation.
    pub to: IsoWeek,
}

/// Persons and their spells, sorted and indexed by person.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    persons: Vec<Person>,
    residences: Vec<Residence>,
    benefits: Vec<BenefitSpell>,
    activations: Vec<ActivationSpell>,
    // offsets[i]..offsets[i + 1] is person i's slice of each table.
    residence_offsets: Vec<usize>,
    benefit_offsets: Vec<usize>,
    activation_offsets: Vec<usize>,
    municipalities: Vec<u16>,
    provenance: Option<crate::import::Provenance>,
}

impl Dataset {
    /// Checks and indexes the tables.
    ///
    /// The checks are the ones the engine relies on: unique person ids, spells that refer
    /// to a known person and do not end before they start, valid municipality codes.
    /// Overlapping residence spells of one person are assumed to have been rejected on import.
    /// The first bad row is reported: persons first, then residence, benefit, activation.
    pub fn new(
        mut persons: Vec<Person>,
        residences: Vec<Residence>,
        benefits: Vec<BenefitSpell>,
        activations: Vec<ActivationSpell>,
    ) -> Result<Self, RegisterError> {
        if persons.len() > MAX_PERSONS {
            return Err(RegisterError::TooManyPersons(persons.len()));
        }
        // Files are usually written sorted by person; one pass shows there is nothing to do.
        if !persons.is_sorted_by(|a, b| a.id < b.id) {
            // Rows are reported in input order, so find duplicates before sorting loses it.
            let mut order: Vec<usize> = (0..persons.len()).collect();
            order.sort_by_key(|&i| (persons[i].id, i));
            if let Some(pair) = order.windows(2).find(|p| persons[p[0]].id == persons[p[1]].id) {
                return Err(RegisterError::DuplicatePerson { row: pair[1] });
            }
            drop(order);
            persons.sort_unstable_by_key(|p| p.id);
        }

        // The spell tables are independent of each other, so each is checked and sorted on a thread.
        let (residences, benefits, activations) = std::thread::scope(|scope| {
            let persons = &persons;
            let residences = scope.spawn(move || {
                let check = |row, r: &Residence| {
                    if r.to.is_some_and(|to| to < r.from) {
                        return Err(RegisterError::InvertedSpell { table: "residence", row });
                    }
                    if MunicipalityCode::new(r.municipality).is_err() {
                        return Err(RegisterError::InvalidMunicipality { row, code: r.municipality });
                    }
                    Ok(())
                };
                index(persons, residences, "residence", |r| r.person_id, check, |r| (r.person_id, r.from))
            });
            // Grouping by benefit (and activation kind) lets the engine merge a group's spells in one pass.
            let benefits = scope.spawn(move || {
                let check = |row, b: &BenefitSpell| {
                    if b.to < b.from { Err(RegisterError::InvertedSpell { table: "benefit", row }) } else { Ok(()) }
                };
                index(persons, benefits, "benefit", |b| b.person_id, check, |b| (b.person_id, b.group, b.from))
            });
            let activations = index(
                persons,
                activations,
                "activation",
                |a| a.person_id,
                |row, a| {
                    if a.to < a.from { Err(RegisterError::InvertedSpell { table: "activation", row }) } else { Ok(()) }
                },
                |a| (a.person_id, a.kind, a.from),
            );
            (joined(residences), joined(benefits), activations)
        });
        let (residences, residence_offsets) = residences?;
        let (benefits, benefit_offsets) = benefits?;
        let (activations, activation_offsets) = activations?;

        // A table of the codes seen, not a sort of millions of rows for a hundred distinct codes.
        let mut seen = vec![false; usize::from(u16::MAX) + 1];
        for r in &residences {
            seen[usize::from(r.municipality)] = true;
        }
        let municipalities: Vec<u16> = (0..=u16::MAX).filter(|&code| seen[usize::from(code)]).collect();
        Ok(Self {
            persons,
            residences,
            benefits,
            activations,
            residence_offsets,
            benefit_offsets,
            activation_offsets,
            municipalities,
            provenance: None,
        })
    }

    /// The data set, named: which version it is and whether it is synthetic.
    #[must_use]
    pub fn with_provenance(mut self, provenance: crate::import::Provenance) -> Self {
        self.provenance = Some(provenance);
        self
    }

    /// Which version the data set is, when it was loaded from a data set directory.
    pub fn provenance(&self) -> Option<&crate::import::Provenance> {
        self.provenance.as_ref()
    }

    /// The first and last week any benefit or activation spell covers, as week indices.
    pub fn week_span(&self) -> Option<(i32, i32)> {
        let weeks = self
            .benefits
            .iter()
            .map(|b| (b.from.index(), b.to.index()))
            .chain(self.activations.iter().map(|a| (a.from.index(), a.to.index())));
        weeks.fold(None, |span, (from, to)| match span {
            None => Some((from, to)),
            Some((a, b)) => Some((a.min(from), b.max(to))),
        })
    }

    /// Residence, benefit and activation spells together: what the engine's cost grows with.
    pub fn spell_count(&self) -> usize {
        self.residences.len() + self.benefits.len() + self.activations.len()
    }

    /// The persons, sorted by id.
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }

    /// The municipality codes that occur in the residence spells, ascending.
    pub fn municipalities(&self) -> &[u16] {
        &self.municipalities
    }

    /// The residence spells of the `i`-th person (in [`Dataset::persons`] order), by start date.
    pub fn residences_of(&self, i: usize) -> &[Residence] {
        &self.residences[self.residence_offsets[i]..self.residence_offsets[i + 1]]
    }

    /// The benefit spells of the `i`-th person, by benefit group and then start week.
    pub fn benefits_of(&self, i: usize) -> &[BenefitSpell] {
        &self.benefits[self.benefit_offsets[i]..self.benefit_offsets[i + 1]]
    }

    /// The activation spells of the `i`-th person, by kind and then start week.
    pub fn activations_of(&self, i: usize) -> &[ActivationSpell] {
        &self.activations[self.activation_offsets[i]..self.activation_offsets[i + 1]]
    }
}

/// Checks a spell table row by row, sorts it by `key` (whose first part is the person) and
/// finds each person's run: the rows and their offsets, or the first bad row.
fn index<T, K: Ord>(
    persons: &[Person],
    mut rows: Vec<T>,
    table: &'static str,
    person_id: impl Fn(&T) -> i64,
    check: impl Fn(usize, &T) -> Result<(), RegisterError>,
    key: impl Fn(&T) -> K,
) -> Result<(Vec<T>, Vec<usize>), RegisterError> {
    // Files are usually sorted by person. Then one walk beside the persons checks the rows
    // and finds the runs, and at most each person's few spells need sorting, not all rows.
    if rows.is_sorted_by_key(&person_id) {
        let offsets = checked_offsets(persons, &rows, table, &person_id, check)?;
        if !rows.is_sorted_by_key(&key) {
            for run in rows.chunk_by_mut(|a, b| person_id(a) == person_id(b)) {
                run.sort_unstable_by_key(&key);
            }
        }
        return Ok((rows, offsets));
    }
    for (row, r) in rows.iter().enumerate() {
        if persons.binary_search_by_key(&person_id(r), |p| p.id).is_err() {
            return Err(RegisterError::UnknownPerson { table, row });
        }
        check(row, r)?;
    }
    rows.sort_unstable_by_key(&key);
    let offsets = offsets(persons, &rows, person_id);
    Ok((rows, offsets))
}

fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Checks `rows`, sorted by person, in one walk beside the persons; returns [`offsets`].
fn checked_offsets<T>(
    persons: &[Person],
    rows: &[T],
    table: &'static str,
    person_id: impl Fn(&T) -> i64,
    check: impl Fn(usize, &T) -> Result<(), RegisterError>,
) -> Result<Vec<usize>, RegisterError> {
    // offsets[i] is the first row whose person is persons[i] or comes after.
    let mut offsets = Vec::with_capacity(persons.len() + 1);
    for (row, r) in rows.iter().enumerate() {
        let id = person_id(r);
        while let Some(p) = persons.get(offsets.len())
            && p.id <= id
        {
            offsets.push(row);
        }
        // The row's person, if known, is the last one reached.
        if offsets.len().checked_sub(1).is_none_or(|last| persons[last].id != id) {
            return Err(RegisterError::UnknownPerson { table, row });
        }
        check(row, r)?;
    }
    offsets.resize(persons.len() + 1, rows.len());
    Ok(offsets)
}

/// `offsets[i]..offsets[i + 1]` is the run of `rows` that belongs to `persons[i]`.
///
/// Both inputs are sorted by person id and every row's person exists.
fn offsets<T>(persons: &[Person], rows: &[T], person_id: impl Fn(&T) -> i64) -> Vec<usize> {
    let mut out = Vec::with_capacity(persons.len() + 1);
    let mut at = 0;
    for p in persons {
        out.push(at);
        while at < rows.len() && person_id(&rows[at]) == p.id {
            at += 1;
        }
    }
    out.push(at);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn person(id: i64) -> Person {
        Person { id, birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(), sex: Sex::K, origin: Origin::Dansk }
    }

    fn week(w: u32) -> IsoWeek {
        IsoWeek::from_yyyyww(w).unwrap()
    }

    fn benefit(person_id: i64, group: BenefitGroup, from: u32, to: u32) -> BenefitSpell {
        BenefitSpell { person_id, group, from: week(from), to: week(to) }
    }

    #[test]
    fn groups_spells_by_person_in_id_order() {
        let d = Dataset::new(
            vec![person(9), person(3)],
            vec![],
            vec![
                benefit(9, BenefitGroup::Sygedagpenge, 202_310, 202_312),
                benefit(3, BenefitGroup::Kontanthjaelp, 202_305, 202_306),
                benefit(9, BenefitGroup::ADagpenge, 202_301, 202_302),
            ],
            vec![],
        )
        .unwrap();
        assert_eq!(d.persons().iter().map(|p| p.id).collect::<Vec<_>>(), vec![3, 9]);
        assert_eq!(d.benefits_of(0).len(), 1);
        let nine: Vec<_> = d.benefits_of(1).iter().map(|b| b.group).collect();
        assert_eq!(nine, vec![BenefitGroup::ADagpenge, BenefitGroup::Sygedagpenge]);
        assert!(d.residences_of(1).is_empty());
    }

    #[test]
    fn rejects_bad_rows_naming_the_row() {
        let err = Dataset::new(vec![person(1), person(2), person(1)], vec![], vec![], vec![]).unwrap_err();
        assert_eq!(err, RegisterError::DuplicatePerson { row: 2 });
        let err = Dataset::new(
            vec![person(1)],
            vec![],
            vec![
                benefit(1, BenefitGroup::Fleksjob, 202_301, 202_302),
                benefit(5, BenefitGroup::Fleksjob, 202_301, 202_302),
            ],
            vec![],
        )
        .unwrap_err();
        assert_eq!(err, RegisterError::UnknownPerson { table: "benefit", row: 1 });
        let err =
            Dataset::new(vec![person(1)], vec![], vec![benefit(1, BenefitGroup::Fleksjob, 202_305, 202_302)], vec![])
                .unwrap_err();
        assert_eq!(err, RegisterError::InvertedSpell { table: "benefit", row: 0 });
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let err = Dataset::new(
            vec![person(1)],
            vec![Residence { person_id: 1, municipality: 7, from, to: None }],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert_eq!(err, RegisterError::InvalidMunicipality { row: 0, code: 7 });
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Rows sorted by person, by the whole key or not at all are checked and indexed alike.
        #[test]
        fn indexes_rows_in_any_order(
            ids in prop::collection::btree_set(0_i64..300, 0..60),
            spells in prop::collection::vec((0_i64..300, 0_usize..3, 0_u32..40, 0_u32..5), 0..200),
            persons_reversed: bool,
            spell_order in 0_u8..3,
        ) {
            let groups = [BenefitGroup::ADagpenge, BenefitGroup::Kontanthjaelp, BenefitGroup::Sygedagpenge];
            let mut spells: Vec<BenefitSpell> = spells
                .into_iter()
                .map(|(id, g, from, length)| benefit(id, groups[g], 202_101 + from, 202_101 + from + length))
                .collect();
            match spell_order {
                0 => {}
                1 => spells.sort_by_key(|b| b.person_id),
                _ => spells.sort_by_key(|b| (b.person_id, b.group, b.from)),
            }
            let mut persons: Vec<Person> = ids.iter().map(|&id| person(id)).collect();
            if persons_reversed {
                persons.reverse();
            }
            let unknown = spells.iter().position(|b| !ids.contains(&b.person_id));
            match Dataset::new(persons, vec![], spells.clone(), vec![]) {
                Err(err) => prop_assert_eq!(Some(err), unknown.map(|row| RegisterError::UnknownPerson { table: "benefit", row })),
                Ok(d) => {
                    prop_assert_eq!(unknown, None);
                    let sorted_ids: Vec<i64> = ids.iter().copied().collect();
                    prop_assert_eq!(d.persons().iter().map(|p| p.id).collect::<Vec<_>>(), sorted_ids);
                    let mut indexed = Vec::new();
                    for (i, p) in d.persons().iter().enumerate() {
                        let own = d.benefits_of(i);
                        prop_assert!(own.iter().all(|b| b.person_id == p.id));
                        prop_assert!(own.is_sorted_by_key(|b| (b.group, b.from)));
                        indexed.extend_from_slice(own);
                    }
                    let key = |b: &BenefitSpell| (b.person_id, b.group, b.from, b.to);
                    spells.sort_by_key(key);
                    indexed.sort_by_key(key);
                    prop_assert_eq!(indexed, spells);
                }
            }
        }
    }
}
