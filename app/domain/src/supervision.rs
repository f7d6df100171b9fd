//! Supervision (督查): what the office, a committee secretary or a leader sees
//! of the units under them — per unit, commitments by state, the report
//! package's timeliness, items crossed off / due / overdue, claims waiting,
//! the round's ballots against the quorum and the grades — with a drill-down
//! from the school to a committee to a branch to a commitment.
//!
//! The server gathers the facts; [`Dashboard::build`] counts them. Nothing
//! here reads the clock or the database.

use crate::evaluation::{Grade, RoundKind};
use crate::ids::{CommitmentId, CycleId, OrgUnitId, RoundId};
use crate::org::{Ancestry, OrgUnitKind};
use crate::workflow::{CommitmentState, ItemState, ItemStatus};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One item of a commitment in force, as supervision counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ItemFact {
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
    pub state: ItemState,
    #[serde(default, deserialize_with = "crate::day::de_option")]
    pub crossed_off_on: Option<NaiveDate>,
}

/// What supervision needs of a commitment. It reads a stored dossier's JSON
/// directly (the fields it names; the rest is skipped unread).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommitmentFacts {
    pub id: CommitmentId,
    /// The committer's place in the tree (a person's branch first).
    pub ancestry: Ancestry,
    pub state: CommitmentState,
    #[serde(default, rename = "fulfilment")]
    pub items: Vec<ItemFact>,
}

/// What the round and the report packages add to the facts.
#[derive(Debug, Clone, Default)]
pub struct Evaluated {
    /// Ballots counted per commitment in the round shown.
    pub ballots: HashMap<CommitmentId, u32>,
    /// The fewest ballots for the masses' score to count (群众评议 quorum).
    pub quorum: u32,
    /// Grades of the last closed round.
    pub grades: HashMap<CommitmentId, Grade>,
    /// Report packages (报送): each committee's day of submission.
    pub reports: HashMap<OrgUnitId, NaiveDate>,
    /// The day the report packages are due.
    pub report_deadline: Option<NaiveDate>,
}

/// The counts of one row (or of the whole scope): each commitment, item,
/// ballot and report package counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub commitments: u32,
    pub draft: u32,
    pub submitted: u32,
    pub returned: u32,
    pub approved: u32,
    pub signed: u32,
    pub published: u32,
    /// Items of the commitments in force (signed or published).
    pub items: u32,
    /// Items whose deadline has come (on or before today).
    pub due: u32,
    /// Items crossed off (销号), due or not.
    pub crossed_off: u32,
    /// Items due and crossed off: what 到期事项完成率 counts over `due`
    /// (absent from an older server's answer: read as 0).
    #[serde(default)]
    pub due_crossed_off: u32,
    /// Open items past their deadline (逾期).
    pub overdue: u32,
    /// Items claimed done, waiting for the parent unit (待审核销号).
    pub claims_waiting: u32,
    /// Ballots counted in the round shown.
    pub ballots: u32,
    /// Commitments in force whose ballots reached the quorum.
    pub quorum_reached: u32,
    /// Commitments in force (what ballots and grades are counted against).
    pub in_force: u32,
    pub excellent: u32,
    pub competent: u32,
    pub basically_competent: u32,
    pub not_competent: u32,
    /// Committees' report packages sent by the deadline.
    pub reports_on_time: u32,
    /// Sent after the deadline.
    pub reports_late: u32,
    /// Not sent and the deadline has passed.
    pub reports_missing: u32,
    /// Not sent, the deadline still ahead.
    pub reports_pending: u32,
}

impl Counts {
    /// Adds another row's counts (every field is a count).
    pub fn add(&mut self, other: &Counts) {
        let mut fields = self.fields_mut();
        for (mine, theirs) in fields.iter_mut().zip(other.fields()) {
            **mine += theirs;
        }
    }

    /// The fields in the order of [`Column::ALL`].
    pub fn fields(&self) -> [u32; 24] {
        [
            self.commitments,
            self.draft,
            self.submitted,
            self.returned,
            self.approved,
            self.signed,
            self.published,
            self.items,
            self.due,
            self.crossed_off,
            self.due_crossed_off,
            self.overdue,
            self.claims_waiting,
            self.ballots,
            self.quorum_reached,
            self.in_force,
            self.excellent,
            self.competent,
            self.basically_competent,
            self.not_competent,
            self.reports_on_time,
            self.reports_late,
            self.reports_missing,
            self.reports_pending,
        ]
    }

    fn fields_mut(&mut self) -> [&mut u32; 24] {
        [
            &mut self.commitments,
            &mut self.draft,
            &mut self.submitted,
            &mut self.returned,
            &mut self.approved,
            &mut self.signed,
            &mut self.published,
            &mut self.items,
            &mut self.due,
            &mut self.crossed_off,
            &mut self.due_crossed_off,
            &mut self.overdue,
            &mut self.claims_waiting,
            &mut self.ballots,
            &mut self.quorum_reached,
            &mut self.in_force,
            &mut self.excellent,
            &mut self.competent,
            &mut self.basically_competent,
            &mut self.not_competent,
            &mut self.reports_on_time,
            &mut self.reports_late,
            &mut self.reports_missing,
            &mut self.reports_pending,
        ]
    }

    /// 到期事项完成率: the due items crossed off among the due items, in
    /// per cent rounded half up (none when nothing is due). An item crossed
    /// off before its deadline counts once it is due, not before.
    pub fn completion(&self) -> Option<u32> {
        (self.due > 0).then(|| (self.due_crossed_off * 100 + self.due / 2) / self.due)
    }

    /// One column's value.
    pub fn get(&self, column: Column) -> u32 {
        self.fields()[column as usize]
    }

    /// The counts of one commitment on `today`.
    pub fn of(facts: &CommitmentFacts, evaluated: &Evaluated, today: NaiveDate) -> Counts {
        let mut counts = Counts {
            commitments: 1,
            ..Counts::default()
        };
        *match facts.state {
            CommitmentState::Draft => &mut counts.draft,
            CommitmentState::Submitted => &mut counts.submitted,
            CommitmentState::Returned => &mut counts.returned,
            CommitmentState::Approved => &mut counts.approved,
            CommitmentState::Signed => &mut counts.signed,
            CommitmentState::Published => &mut counts.published,
        } += 1;
        if !facts.state.is_signed() {
            return counts;
        }
        counts.in_force = 1;
        for item in &facts.items {
            counts.items += 1;
            let due = item.deadline <= today;
            counts.due += u32::from(due);
            match item.state.status_on(item.deadline, today) {
                ItemStatus::CrossedOff => {
                    counts.crossed_off += 1;
                    counts.due_crossed_off += u32::from(due);
                }
                ItemStatus::ClaimedDone => counts.claims_waiting += 1,
                ItemStatus::Overdue => counts.overdue += 1,
                ItemStatus::Open => {}
            }
        }
        let ballots = evaluated.ballots.get(&facts.id).copied().unwrap_or(0);
        counts.ballots = ballots;
        counts.quorum_reached = u32::from(ballots > 0 && ballots >= evaluated.quorum);
        if let Some(grade) = evaluated.grades.get(&facts.id) {
            *match grade {
                Grade::Excellent => &mut counts.excellent,
                Grade::Competent => &mut counts.competent,
                Grade::BasicallyCompetent => &mut counts.basically_competent,
                Grade::NotCompetent => &mut counts.not_competent,
            } += 1;
        }
        counts
    }

    /// A committee's report package on `today`.
    pub fn of_report(committee: OrgUnitId, evaluated: &Evaluated, today: NaiveDate) -> Counts {
        let mut counts = Counts::default();
        let Some(deadline) = evaluated.report_deadline else {
            return counts;
        };
        match evaluated.reports.get(&committee) {
            Some(day) if *day <= deadline => counts.reports_on_time = 1,
            Some(_) => counts.reports_late = 1,
            None if today > deadline => counts.reports_missing = 1,
            None => counts.reports_pending = 1,
        }
        counts
    }
}

/// A column of the dashboard's table (the order of [`Counts::fields`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Column {
    Commitments,
    Draft,
    Submitted,
    Returned,
    Approved,
    Signed,
    Published,
    Items,
    Due,
    CrossedOff,
    DueCrossedOff,
    Overdue,
    ClaimsWaiting,
    Ballots,
    QuorumReached,
    InForce,
    Excellent,
    Competent,
    BasicallyCompetent,
    NotCompetent,
    ReportsOnTime,
    ReportsLate,
    ReportsMissing,
    ReportsPending,
}

impl Column {
    pub const ALL: [Column; 24] = [
        Column::Commitments,
        Column::Draft,
        Column::Submitted,
        Column::Returned,
        Column::Approved,
        Column::Signed,
        Column::Published,
        Column::Items,
        Column::Due,
        Column::CrossedOff,
        Column::DueCrossedOff,
        Column::Overdue,
        Column::ClaimsWaiting,
        Column::Ballots,
        Column::QuorumReached,
        Column::InForce,
        Column::Excellent,
        Column::Competent,
        Column::BasicallyCompetent,
        Column::NotCompetent,
        Column::ReportsOnTime,
        Column::ReportsLate,
        Column::ReportsMissing,
        Column::ReportsPending,
    ];

    /// Its heading, in Chinese and English (the table, the workbook).
    pub fn heading(self, locale: crate::Locale) -> &'static str {
        let (zh, en) = match self {
            Column::Commitments => ("承诺数", "Commitments"),
            Column::Draft => ("起草", "Draft"),
            Column::Submitted => ("待审核", "Submitted"),
            Column::Returned => ("退回", "Returned"),
            Column::Approved => ("已通过", "Approved"),
            Column::Signed => ("已签署", "Signed"),
            Column::Published => ("已公示", "Published"),
            Column::Items => ("承诺事项", "Items"),
            Column::Due => ("已到期", "Due"),
            Column::CrossedOff => ("已销号", "Crossed off"),
            Column::DueCrossedOff => ("到期已销号", "Due and crossed off"),
            Column::Overdue => ("逾期", "Overdue"),
            Column::ClaimsWaiting => ("待销号审核", "Claims waiting"),
            Column::Ballots => ("评议票数", "Ballots"),
            Column::QuorumReached => ("达到法定票数", "Quorum reached"),
            Column::InForce => ("践诺中", "In force"),
            Column::Excellent => ("优秀", "Excellent"),
            Column::Competent => ("合格", "Competent"),
            Column::BasicallyCompetent => ("基本合格", "Basically competent"),
            Column::NotCompetent => ("不合格", "Not competent"),
            Column::ReportsOnTime => ("按时报送", "Reports on time"),
            Column::ReportsLate => ("逾期报送", "Reports late"),
            Column::ReportsMissing => ("未报送", "Reports missing"),
            Column::ReportsPending => ("待报送", "Reports pending"),
        };
        match locale {
            crate::Locale::Zh => zh,
            crate::Locale::En => en,
        }
    }
}

/// What a row of the dashboard is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Subject {
    /// A unit under the one shown: its row sums its whole subtree; open it
    /// to see its own rows.
    Unit {
        id: OrgUnitId,
        name: String,
        kind: OrgUnitKind,
    },
    /// A commitment made at the unit shown (the unit's own, or a member's
    /// at a branch).
    Commitment {
        id: CommitmentId,
        committer: String,
        number: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub subject: Subject,
    pub counts: Counts,
}

/// A unit on the way down (the breadcrumb), or one the person supervises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: OrgUnitId,
    pub name: String,
}

/// A round the dashboard counts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundRef {
    pub id: RoundId,
    pub kind: RoundKind,
    #[serde(deserialize_with = "crate::day::de")]
    pub closes_on: NaiveDate,
    pub is_closed: bool,
    /// The day the office closed it (see `Round::closed_on`).
    #[serde(default, deserialize_with = "crate::day::de_option")]
    pub closed_on: Option<NaiveDate>,
}

impl RoundRef {
    /// The day its results are dated with (see `Round::assessed_on`).
    pub fn assessed_on(&self) -> NaiveDate {
        self.closed_on.unwrap_or(self.closes_on)
    }
}

/// The year's progress at the end of a month: items due by then and items
/// crossed off by then (none for months still ahead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthPoint {
    /// The month's first day.
    #[serde(deserialize_with = "crate::day::de")]
    pub month: NaiveDate,
    pub due: u32,
    pub crossed_off: Option<u32>,
}

/// The supervision dashboard of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub unit: UnitRef,
    pub kind: OrgUnitKind,
    /// From the highest unit the person supervises down to this one.
    pub path: Vec<UnitRef>,
    /// The highest units the person supervises (a leader may have several).
    pub mine: Vec<UnitRef>,
    pub cycle: CycleId,
    pub cycle_name: String,
    #[serde(deserialize_with = "crate::day::de")]
    pub as_of: NaiveDate,
    /// The round whose ballots are counted (the open one, else the last).
    pub ballot_round: Option<RoundRef>,
    /// The closed round whose grades are counted.
    pub graded_round: Option<RoundRef>,
    pub quorum: u32,
    /// The whole subtree: equal to the sum of the rows.
    pub total: Counts,
    pub rows: Vec<Row>,
    pub progress: Vec<MonthPoint>,
}

/// A unit under the one shown, as [`Dashboard::build`] needs it.
#[derive(Debug, Clone)]
pub struct Child {
    pub id: OrgUnitId,
    pub name: String,
    pub kind: OrgUnitKind,
    /// The committees in its subtree (itself included), for the reports.
    pub committees: Vec<OrgUnitId>,
}

/// The rows and totals of a dashboard, before names and rounds are added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub total: Counts,
    pub rows: Vec<Row>,
    pub progress: Vec<MonthPoint>,
}

impl Dashboard {
    /// Counts the commitments under `unit` (each `facts` must have `unit` in
    /// its ancestry): one row per child unit (its subtree), one per
    /// commitment made at `unit` itself (`name_of` names its committer and
    /// number); `own_committee` is `unit` when it is a committee (its report
    /// package counts on the total only).
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        unit: OrgUnitId,
        own_committee: bool,
        children: &[Child],
        facts: &[CommitmentFacts],
        evaluated: &Evaluated,
        name_of: impl Fn(CommitmentId) -> (String, Option<String>),
        year: (NaiveDate, NaiveDate),
        today: NaiveDate,
    ) -> Counted {
        let mut rows: Vec<Row> = children
            .iter()
            .map(|child| {
                let mut counts = Counts::default();
                for committee in &child.committees {
                    counts.add(&Counts::of_report(*committee, evaluated, today));
                }
                Row {
                    subject: Subject::Unit {
                        id: child.id,
                        name: child.name.clone(),
                        kind: child.kind,
                    },
                    counts,
                }
            })
            .collect();
        let index: HashMap<OrgUnitId, usize> = children
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let mut own = Vec::new();
        for fact in facts {
            let counts = Counts::of(fact, evaluated, today);
            let child = fact.ancestry.0.iter().find_map(|u| index.get(u));
            match child {
                Some(&i) => rows[i].counts.add(&counts),
                None if fact.ancestry.unit() == Some(unit) => {
                    let (committer, number) = name_of(fact.id);
                    own.push(Row {
                        subject: Subject::Commitment {
                            id: fact.id,
                            committer,
                            number,
                        },
                        counts,
                    });
                }
                // Under `unit` but below no child the caller named: counted
                // in the total only (the caller names every child).
                None => {}
            }
        }
        own.sort_by(|a, b| match (&a.subject, &b.subject) {
            (
                Subject::Commitment { committer: x, .. },
                Subject::Commitment { committer: y, .. },
            ) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
        rows.splice(0..0, own);
        let mut total = Counts::default();
        for fact in facts {
            total.add(&Counts::of(fact, evaluated, today));
        }
        if own_committee {
            total.add(&Counts::of_report(unit, evaluated, today));
        }
        for child in children {
            for committee in &child.committees {
                total.add(&Counts::of_report(*committee, evaluated, today));
            }
        }
        Counted {
            total,
            rows,
            progress: progress(facts, year, today),
        }
    }
}

/// The year month by month: items (of commitments in force) due by the end
/// of each month and crossed off by then.
pub fn progress(
    facts: &[CommitmentFacts],
    (start, end): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Vec<MonthPoint> {
    let items: Vec<&ItemFact> = facts
        .iter()
        .filter(|f| f.state.is_signed())
        .flat_map(|f| &f.items)
        .collect();
    let mut points = Vec::new();
    let mut month = start.with_day(1).unwrap_or(start);
    while month <= end && points.len() < 24 {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(end);
        let last = next.pred_opt().unwrap_or(month);
        let due = items.iter().filter(|i| i.deadline <= last).count() as u32;
        let crossed_off = (month <= today).then(|| {
            items
                .iter()
                .filter(|i| i.crossed_off_on.is_some_and(|d| d <= last.min(today)))
                .count() as u32
        });
        points.push(MonthPoint {
            month,
            due,
            crossed_off,
        });
        month = next;
    }
    points
}

/// The highest units an actor supervises (their dashboard's default and its
/// chips): the units of their grants other than membership, without those
/// under another of them. `exists`: the unit is in the tree.
pub fn highest_supervised(
    actor: &crate::permission::Actor,
    ancestry: impl Fn(OrgUnitId) -> Ancestry,
    exists: impl Fn(OrgUnitId) -> bool,
) -> Vec<OrgUnitId> {
    let held: Vec<OrgUnitId> = actor
        .grants
        .iter()
        .filter(|g| g.role != crate::permission::Role::Member && exists(g.unit))
        .map(|g| g.unit)
        .collect();
    let mut highest: Vec<OrgUnitId> = held
        .iter()
        .copied()
        .filter(|u| {
            !ancestry(*u)
                .0
                .iter()
                .skip(1)
                .any(|above| held.contains(above))
        })
        .collect();
    highest.sort();
    highest.dedup();
    highest
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn fact(ancestry: &[OrgUnitId], state: CommitmentState, items: &[ItemFact]) -> CommitmentFacts {
        CommitmentFacts {
            id: CommitmentId::new(),
            ancestry: Ancestry(ancestry.to_vec()),
            state,
            items: items.to_vec(),
        }
    }

    fn item(deadline: NaiveDate, state: ItemState, crossed: Option<NaiveDate>) -> ItemFact {
        ItemFact {
            deadline,
            state,
            crossed_off_on: crossed,
        }
    }

    #[test]
    fn a_commitment_counts_its_state_items_ballots_and_grade() {
        let school = OrgUnitId::new();
        let today = day(6, 1);
        let f = fact(
            &[school],
            CommitmentState::Published,
            &[
                item(day(3, 1), ItemState::CrossedOff, Some(day(2, 20))),
                item(day(4, 1), ItemState::Open, None),
                item(day(5, 1), ItemState::ClaimedDone, None),
                item(day(9, 1), ItemState::Open, None),
            ],
        );
        let mut evaluated = Evaluated {
            quorum: 5,
            ..Evaluated::default()
        };
        evaluated.ballots.insert(f.id, 5);
        evaluated.grades.insert(f.id, Grade::Competent);
        let c = Counts::of(&f, &evaluated, today);
        assert_eq!(
            (
                c.published,
                c.in_force,
                c.items,
                c.due,
                c.crossed_off,
                c.overdue,
                c.claims_waiting
            ),
            (1, 1, 4, 3, 1, 1, 1)
        );
        assert_eq!((c.ballots, c.quorum_reached, c.competent), (5, 1, 1));
        assert_eq!(c.completion(), Some(33));
        // a draft has no items, ballots or grade counted
        let draft = fact(&[school], CommitmentState::Draft, &[]);
        let d = Counts::of(&draft, &evaluated, today);
        assert_eq!((d.commitments, d.draft, d.in_force, d.items), (1, 1, 0, 0));
    }

    #[test]
    fn a_report_is_on_time_late_missing_or_pending() {
        let committee = OrgUnitId::new();
        let mut evaluated = Evaluated {
            report_deadline: Some(day(3, 31)),
            ..Evaluated::default()
        };
        assert_eq!(
            Counts::of_report(committee, &evaluated, day(3, 1)).reports_pending,
            1
        );
        assert_eq!(
            Counts::of_report(committee, &evaluated, day(4, 1)).reports_missing,
            1
        );
        evaluated.reports.insert(committee, day(3, 31));
        assert_eq!(
            Counts::of_report(committee, &evaluated, day(4, 1)).reports_on_time,
            1
        );
        evaluated.reports.insert(committee, day(4, 1));
        assert_eq!(
            Counts::of_report(committee, &evaluated, day(4, 2)).reports_late,
            1
        );
    }

    #[test]
    fn progress_is_cumulative_and_stops_at_today() {
        let school = OrgUnitId::new();
        let f = fact(
            &[school],
            CommitmentState::Signed,
            &[
                item(day(1, 15), ItemState::CrossedOff, Some(day(1, 10))),
                item(day(2, 15), ItemState::CrossedOff, Some(day(3, 2))),
                item(day(5, 15), ItemState::Open, None),
            ],
        );
        let points = progress(&[f], (day(1, 5), day(6, 30)), day(3, 10));
        let due: Vec<u32> = points.iter().map(|p| p.due).collect();
        let done: Vec<Option<u32>> = points.iter().map(|p| p.crossed_off).collect();
        assert_eq!(due, [1, 2, 2, 2, 3, 3]);
        assert_eq!(done, [Some(1), Some(1), Some(2), None, None, None]);
    }

    fn state() -> impl Strategy<Value = CommitmentState> {
        prop::sample::select(CommitmentState::ALL.to_vec())
    }

    fn item_state() -> impl Strategy<Value = ItemState> {
        prop::sample::select(vec![
            ItemState::Open,
            ItemState::ClaimedDone,
            ItemState::CrossedOff,
        ])
    }

    #[test]
    fn an_item_crossed_off_early_is_not_counted_before_it_is_due() {
        // One item due yesterday left open, one due next month crossed off
        // early: nothing due is done (it read 100 % with 逾期 1).
        let today = day(6, 15);
        let f = fact(
            &[OrgUnitId::new()],
            CommitmentState::Published,
            &[
                item(day(6, 14), ItemState::Open, None),
                item(day(7, 15), ItemState::CrossedOff, Some(day(6, 1))),
            ],
        );
        let c = Counts::of(&f, &Evaluated::default(), today);
        assert_eq!(
            (c.due, c.crossed_off, c.due_crossed_off, c.overdue),
            (1, 1, 0, 1)
        );
        assert_eq!(c.completion(), Some(0));
        // Once it is due, it counts.
        let later = Counts::of(&f, &Evaluated::default(), day(7, 15));
        assert_eq!((later.due, later.due_crossed_off), (2, 1));
        assert_eq!(later.completion(), Some(50));
    }

    proptest! {
        /// 到期事项完成率 = the due items crossed off ÷ the due items, for
        /// any mix of deadlines, states and days, summed over commitments.
        #[test]
        fn completion_is_due_items_crossed_off_over_due_items(
            commitments in prop::collection::vec(
                prop::collection::vec((1u32..=12, 1u32..=28, item_state()), 0..6), 1..6),
            today in (1u32..=12, 1u32..=28),
        ) {
            let today = day(today.0, today.1);
            let mut total = Counts::default();
            let (mut due, mut done) = (0u32, 0u32);
            for items in &commitments {
                let items: Vec<ItemFact> = items.iter().map(|(m, d, st)| {
                    let deadline = day(*m, *d);
                    if deadline <= today {
                        due += 1;
                        done += u32::from(*st == ItemState::CrossedOff);
                    }
                    item(deadline, *st, (*st == ItemState::CrossedOff).then_some(day(1, 1)))
                }).collect();
                total.add(&Counts::of(&fact(&[OrgUnitId::new()], CommitmentState::Published, &items), &Evaluated::default(), today));
            }
            let expected = (due > 0).then(|| ((f64::from(done) * 100.0 / f64::from(due)) + 0.5).floor() as u32);
            prop_assert_eq!(total.completion(), expected);
            prop_assert!(total.completion().is_none_or(|p| p <= 100));
        }
    }

    proptest! {
        /// Every commitment under the unit is counted once: the rows add up
        /// to the total, whatever the tree, the states and the items.
        #[test]
        fn the_rows_add_up_to_the_total(
            shape in prop::collection::vec((0usize..4, 0usize..3, state(),
                prop::collection::vec((1u32..=12, item_state()), 0..4)), 0..40),
            reports in prop::collection::vec(prop::option::of(1u32..=12), 3),
            today_month in 1u32..=12,
        ) {
            let committee = OrgUnitId::new();
            let branches = [OrgUnitId::new(), OrgUnitId::new(), OrgUnitId::new()];
            let children: Vec<Child> = branches.iter().enumerate().map(|(i, b)| Child {
                id: *b, name: format!("b{i}"), kind: OrgUnitKind::Branch(crate::org::BranchKind::Student), committees: vec![],
            }).collect();
            let facts: Vec<CommitmentFacts> = shape.iter().map(|(at, _, s, items)| {
                let ancestry: Vec<OrgUnitId> = if *at < 3 { vec![branches[*at], committee] } else { vec![committee] };
                let items: Vec<ItemFact> = items.iter().map(|(m, st)| item(day(*m, 1), *st,
                    (*st == ItemState::CrossedOff).then(|| day(*m, 1)))).collect();
                fact(&ancestry, *s, &items)
            }).collect();
            let mut evaluated = Evaluated { quorum: 2, report_deadline: Some(day(3, 31)), ..Evaluated::default() };
            for (f, (_, ballots, _, _)) in facts.iter().zip(&shape) {
                evaluated.ballots.insert(f.id, *ballots as u32);
            }
            if let Some(Some(m)) = reports.first() {
                evaluated.reports.insert(committee, day(*m, 1));
            }
            let counted = Dashboard::build(committee, true, &children, &facts, &evaluated,
                |_| ("x".into(), None), (day(1, 1), day(12, 31)), day(today_month, 15));
            let mut sum = Counts::default();
            for row in &counted.rows { sum.add(&row.counts); }
            sum.add(&Counts::of_report(committee, &evaluated, day(today_month, 15)));
            prop_assert_eq!(sum, counted.total);
            prop_assert_eq!(counted.total.commitments as usize, facts.len());
            prop_assert_eq!(counted.rows.len(), 3 + shape.iter().filter(|s| s.0 == 3).count());
            let t = counted.total;
            prop_assert_eq!(t.draft + t.submitted + t.returned + t.approved + t.signed + t.published, t.commitments);
            prop_assert!(t.crossed_off + t.overdue + t.claims_waiting <= t.items);
            prop_assert!(t.overdue <= t.due);
            prop_assert!(t.due_crossed_off + t.overdue <= t.due);
            prop_assert!(t.due_crossed_off <= t.crossed_off);
            prop_assert_eq!(t.reports_on_time + t.reports_late + t.reports_missing + t.reports_pending, 1);
            // the progress line never goes down and ends with every item due by the year's end
            let last = counted.progress.last().unwrap();
            prop_assert_eq!(last.due, t.items);
            for pair in counted.progress.windows(2) {
                prop_assert!(pair[0].due <= pair[1].due);
            }
        }
    }

    #[test]
    fn a_dashboard_starts_at_the_highest_units_held_not_those_under_them() {
        use crate::permission::{Actor, Role, RoleGrant};
        let (school, committee, branch, other) = (
            OrgUnitId::new(),
            OrgUnitId::new(),
            OrgUnitId::new(),
            OrgUnitId::new(),
        );
        let parent = move |u: OrgUnitId| {
            if u == branch {
                Some(committee)
            } else if u == committee || u == other {
                Some(school)
            } else {
                None
            }
        };
        let grant = |role, unit| RoleGrant { role, unit };
        let leader = Actor {
            person: None,
            grants: vec![
                grant(Role::Member, branch),
                grant(Role::BranchSecretary, branch),
                grant(Role::Leader, committee),
                grant(Role::Leader, other),
            ],
        };
        let mut expected = vec![committee, other];
        expected.sort();
        let ancestry = move |u| Ancestry::of(u, parent);
        assert_eq!(highest_supervised(&leader, ancestry, |_| true), expected);
        assert_eq!(
            highest_supervised(&leader, ancestry, |u| u != other),
            vec![committee],
            "a unit no longer in the tree is left out"
        );
        let member = Actor {
            person: None,
            grants: vec![grant(Role::Member, branch)],
        };
        assert!(highest_supervised(&member, ancestry, |_| true).is_empty());
    }
}
