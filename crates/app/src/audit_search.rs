//! The manager's search of the audit log (issue 12 item 9): who read or changed what, by
//! staff user, event, date range and citizen. The search is audited with its filters (the
//! citizen by internal id; a CPR number typed in the form is turned into that id by an audited
//! look-up first and goes no further).

use chrono::{NaiveDate, TimeZone};
use indsats_domain::{AuditEvent, CitizenId, UserId, Username};
use indsats_store::{AuditPage, AuditQuery, Store, StoreError};

/// Rows per page.
pub const PER_PAGE: i64 = 50;

/// The filters as the form gives them, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// The staff user.
    pub user: Option<Username>,
    /// The event code; one of [`AuditEvent::CODES`].
    pub kind: Option<String>,
    /// The first day (local time).
    pub from: Option<NaiveDate>,
    /// The last day, included (local time).
    pub to: Option<NaiveDate>,
    /// The citizen, by internal id.
    pub citizen: Option<CitizenId>,
    /// The newest row id the first page showed, for the later pages.
    pub upto: Option<i64>,
    /// The page, from 1.
    pub page: i64,
}

/// Midnight in Denmark at the start of `day`, as Unix seconds.
fn local_midnight(day: NaiveDate) -> Option<i64> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    chrono_tz::Europe::Copenhagen.from_local_datetime(&midnight).earliest().map(|t| t.timestamp())
}

/// One page of the log matching `filters`, newest first; the search is recorded.
pub async fn search(store: &dyn Store, actor: UserId, filters: &Filters) -> Result<AuditPage, StoreError> {
    let page = filters.page.max(1);
    let query = AuditQuery {
        user: filters.user.clone(),
        kind: filters.kind.clone(),
        from: filters.from.and_then(local_midnight),
        until: filters.to.and_then(|d| d.succ_opt()).and_then(local_midnight),
        citizen: filters.citizen,
        upto: filters.upto,
        page,
        per_page: PER_PAGE,
    };
    // The user searched for, by id: a name in the log could later belong to someone else.
    let user = match &filters.user {
        Some(name) => store.user_by_username(name).await?.map(|u| u.id),
        None => None,
    };
    let event = AuditEvent::AuditSearched {
        user,
        kind: filters.kind.clone(),
        from: filters.from.map(|d| d.to_string()),
        to: filters.to.map(|d| d.to_string()),
        citizen: filters.citizen,
        page,
    };
    store.search_audit(&query, &event, actor).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_danish_midnight_in_summer_and_winter() {
        let winter = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(local_midnight(winter), Some(1_796_079_600), "23:00 UTC the day before");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(local_midnight(summer), Some(1_782_856_800), "22:00 UTC the day before");
    }
}
