//! Statistical disclosure control: when a figure may be shown.

/// The fewest persons a published cell may be based on.
pub const MIN_PERSONS: u32 = 5;

/// Whether a cell based on `persons` distinct persons must be hidden from readers who may not
/// see individuals (everyone but caseworkers). Empty cells reveal nobody and are shown.
pub fn is_suppressed(persons: u32) -> bool {
    persons > 0 && persons < MIN_PERSONS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_one_to_four_persons_are_hidden() {
        assert!(!is_suppressed(0));
        for n in 1..5 {
            assert!(is_suppressed(n), "{n}");
        }
        assert!(!is_suppressed(5));
        assert!(!is_suppressed(10_000));
    }
}
