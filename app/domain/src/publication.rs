//! Publication (公开展示承诺, plan 4.1.4): a display window of at least the
//! cycle's minimum (7 days in the plan), and who may give feedback when.

use crate::commitment::{Commitment, Committer, CommitterKind};
use crate::cycle::{Cycle, DateWindow};
use crate::ids::{CommitmentId, CycleId, OrgUnitId};
use crate::messages::{Message, ValidationErrors};
use crate::validation::parse_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The display window as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DisplayDraft {
    pub start: String,
    pub end: String,
}

impl DisplayDraft {
    /// A window of at least the cycle's minimum days (both ends counted),
    /// starting no earlier than today and when the cycle allows
    /// (`Calendar::display_starts`), ending within the cycle.
    pub fn parse(&self, cycle: &Cycle, today: NaiveDate) -> Result<DateWindow, ValidationErrors> {
        let window = self.parse_days(cycle.settings.min_display_days)?;
        let mut errors = ValidationErrors::default();
        let starts = cycle
            .calendar
            .display_starts(cycle.settings.publication_grace_days);
        if window.start < today {
            errors.push("start", Message::DateBeforeToday { today });
        } else if !starts.contains(window.start) {
            errors.push(
                "start",
                Message::DateOutside {
                    start: starts.start,
                    end: starts.end,
                },
            );
        }
        let cycle_end = cycle.calendar.fulfilment_until;
        if window.end > cycle_end {
            errors.push(
                "end",
                Message::DateOutside {
                    start: cycle.calendar.draft.start,
                    end: cycle_end,
                },
            );
        }
        errors.into_result(|| window)
    }

    /// A window of at least `min_days` days, both ends counted.
    fn parse_days(&self, min_days: i64) -> Result<DateWindow, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut day = |field: &str, value: &str| {
            if value.trim().is_empty() {
                errors.push(field, Message::Required);
                None
            } else {
                let parsed = parse_date(value);
                if parsed.is_none() {
                    errors.push(field, Message::InvalidDate);
                }
                parsed
            }
        };
        let start = day("start", &self.start);
        let end = day("end", &self.end);
        if let (Some(start), Some(end)) = (start, end) {
            let window = DateWindow::new(start, end);
            if end < start {
                errors.push("end", Message::DisplayEndsBeforeStart);
            } else if window.days() < min_days {
                errors.push("end", Message::DisplayTooShort { min: min_days });
            }
            return errors.into_result(|| window);
        }
        Err(errors)
    }
}

/// A published commitment as the public board shows it: the signed text,
/// never the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    pub id: CommitmentId,
    pub cycle: CycleId,
    pub number: Option<String>,
    pub committer: Committer,
    pub kind: CommitterKind,
    pub committer_name: String,
    pub branch: Option<String>,
    pub committee: Option<String>,
    pub committee_id: Option<OrgUnitId>,
    pub display: Option<DateWindow>,
    pub commitment: Option<Commitment>,
    /// Each signed item's deadline and state: the board shows progress.
    #[serde(default)]
    pub fulfilment: Vec<crate::ledger::ItemFulfilment>,
}

/// One line of the public board's list: enough to find and open an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardItem {
    pub id: CommitmentId,
    pub year: i32,
    pub number: Option<String>,
    pub kind: CommitterKind,
    pub committer_name: String,
    pub branch: Option<String>,
    pub committee: Option<String>,
    pub display: Option<DateWindow>,
    /// Each signed item's deadline and state: the list shows progress.
    #[serde(default)]
    pub fulfilment: Vec<crate::ledger::ItemFulfilment>,
}

/// How far a published commitment has come on a day (the board's bar):
/// items crossed off, items due by then (deadline passed), overdue (due and
/// not crossed off), all items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub crossed_off: usize,
    pub due: usize,
    pub overdue: usize,
    pub total: usize,
}

/// The progress of several commitments together (a unit's page).
impl std::ops::Add for Progress {
    type Output = Progress;
    fn add(self, other: Progress) -> Progress {
        Progress {
            crossed_off: self.crossed_off + other.crossed_off,
            due: self.due + other.due,
            overdue: self.overdue + other.overdue,
            total: self.total + other.total,
        }
    }
}

impl Progress {
    pub fn of(items: &[crate::ledger::ItemFulfilment], today: chrono::NaiveDate) -> Progress {
        use crate::workflow::{ItemState, ItemStatus};
        let mut progress = Progress {
            total: items.len(),
            ..Progress::default()
        };
        for item in items {
            if item.state == ItemState::CrossedOff {
                progress.crossed_off += 1;
            }
            if item.deadline < today {
                progress.due += 1;
            }
            if item.state.status_on(item.deadline, today) == ItemStatus::Overdue {
                progress.overdue += 1;
            }
        }
        progress
    }

    /// Crossed off, in percent of all items (0 when there are none).
    pub fn percent(&self) -> usize {
        (self.crossed_off * 100)
            .checked_div(self.total)
            .unwrap_or(0)
    }
}

/// A unit with published commitments, to filter the board by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardUnit {
    pub id: OrgUnitId,
    pub name: String,
    /// For a branch, its committee.
    pub committee: Option<OrgUnitId>,
}

/// A page of the public board (`GET /api/board`), newest numbers first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardPage {
    pub items: Vec<BoardItem>,
    /// The offset of the next page, when there is one.
    pub next: Option<u32>,
    /// The year shown, and every year with published commitments, newest first.
    pub year: Option<i32>,
    pub years: Vec<i32>,
    /// The committees and branches with published commitments that year.
    pub committees: Vec<BoardUnit>,
    pub branches: Vec<BoardUnit>,
    /// When the page is a unit's (a committee or a branch chosen): its
    /// published commitments' progress summed, on the school's today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitProgress>,
}

/// A unit's published commitments and their items' progress together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitProgress {
    pub commitments: usize,
    pub progress: Progress,
}

impl UnitProgress {
    /// The sum over each commitment's items.
    pub fn of<'a>(
        commitments: impl IntoIterator<Item = &'a [crate::ledger::ItemFulfilment]>,
        today: chrono::NaiveDate,
    ) -> UnitProgress {
        let mut sum = UnitProgress {
            commitments: 0,
            progress: Progress::default(),
        };
        for items in commitments {
            sum.commitments += 1;
            sum.progress = sum.progress + Progress::of(items, today);
        }
        sum
    }
}

/// How many board items a page holds.
pub const BOARD_PAGE: u32 = 50;

#[cfg(test)]
mod tests {
    use crate::ledger::ItemFulfilment;
    use crate::workflow::ItemState;

    #[test]
    fn progress_counts_crossed_off_due_and_overdue_items_on_a_day() {
        let item = |deadline: &str, state| ItemFulfilment {
            item: crate::ids::ItemId::new(),
            deadline: deadline.parse().unwrap(),
            state,
            returned: None,
            crossed_off_on: None,
            plan: Vec::new(),
        };
        let items = [
            item("2026-12-01", ItemState::CrossedOff),
            item("2026-12-10", ItemState::ClaimedDone),
            item("2026-12-15", ItemState::Open),
            item("2027-03-01", ItemState::Open),
            item("2027-04-01", ItemState::CrossedOff),
        ];
        let on = |day: &str| Progress::of(&items, day.parse().unwrap());
        assert_eq!(
            on("2026-12-20"),
            Progress {
                crossed_off: 2,
                due: 3,
                overdue: 1,
                total: 5
            }
        );
        assert_eq!(on("2026-12-20").percent(), 40);
        // On the deadline itself an item is not yet due.
        assert_eq!(on("2026-12-15").overdue, 0);
        assert_eq!(
            Progress::of(&[], "2026-12-20".parse().unwrap()).percent(),
            0
        );
        // A unit's page: its commitments summed.
        let other = [item("2026-12-02", ItemState::Open)];
        let unit = UnitProgress::of(
            [&items[..], &other[..], &[][..]],
            "2026-12-20".parse().unwrap(),
        );
        assert_eq!(unit.commitments, 3);
        assert_eq!(
            unit.progress,
            Progress {
                crossed_off: 2,
                due: 4,
                overdue: 2,
                total: 6
            }
        );
    }

    use super::*;

    fn window(start: &str, end: &str) -> DisplayDraft {
        DisplayDraft {
            start: start.into(),
            end: end.into(),
        }
    }

    fn cycle() -> Cycle {
        Cycle::from_template(2010)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn seven_days_are_enough_six_are_not() {
        let today = day("2010-10-27");
        let seven = window("2010-10-27", "2010-11-02")
            .parse(&cycle(), today)
            .unwrap();
        assert_eq!(seven.days(), 7);
        let six = window("2010-10-27", "2010-11-01")
            .parse(&cycle(), today)
            .unwrap_err();
        assert_eq!(six.0[0].message, Message::DisplayTooShort { min: 7 });
        assert_eq!(six.0[0].field, "end");
    }

    #[test]
    fn the_window_must_be_two_dates_in_order() {
        let today = day("2010-10-27");
        assert_eq!(
            window("", "x").parse(&cycle(), today).unwrap_err().0.len(),
            2
        );
        assert_eq!(
            window("2010-11-02", "2010-10-27")
                .parse(&cycle(), today)
                .unwrap_err()
                .0[0]
                .message,
            Message::DisplayEndsBeforeStart
        );
    }

    #[test]
    fn the_window_starts_from_today_within_the_cycle() {
        let cycle = cycle();
        let today = day("2010-10-27");
        // Not in the past.
        let past = window("2010-10-20", "2010-10-30")
            .parse(&cycle, today)
            .unwrap_err();
        assert_eq!(past.0[0].message, Message::DateBeforeToday { today });
        // Not in the year 9999.
        let far = window("9999-12-25", "9999-12-31")
            .parse(&cycle, today)
            .unwrap_err();
        assert_eq!(far.0[0].field, "start");
        assert!(matches!(far.0[0].message, Message::DateOutside { .. }));
        // Late within the grace is allowed; after it, not.
        let grace = cycle.settings.publication_grace_days;
        let last = cycle.calendar.publish.end + chrono::Duration::days(grace);
        let late = DisplayDraft {
            start: last.to_string(),
            end: (last + chrono::Duration::days(6)).to_string(),
        };
        assert!(late.parse(&cycle, today).is_ok());
        let too_late = DisplayDraft {
            start: (last + chrono::Duration::days(1)).to_string(),
            end: (last + chrono::Duration::days(7)).to_string(),
        };
        assert!(too_late.parse(&cycle, today).is_err());
    }
}
