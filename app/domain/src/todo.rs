//! 待办: what a person has to do, decided from the calendar and the
//! commitments on their device, so the list is the same offline and online.
//!
//! - items of their own published commitments past their deadline and not
//!   crossed off (逾期), and those due within [`DUE_SOON_DAYS`];
//! - claims of done (申请销号) waiting for them, as the unit that crosses off;
//! - commitments waiting for their review;
//! - the window of the calendar in which they have something to do, while it
//!   is open (drafting, review, signing, publication, the report);
//! - their own draft not yet submitted once drafting has ended.
//!
//! What depends on records a device does not hold (the rounds the office
//! opened, rectification orders, scores, report packages) the server
//! decides: `todo_feed`.
//!
//! Most urgent first: overdue, claims and reviews waiting, windows closing,
//! items due soon.

use crate::cycle::{Cycle, DateWindow, Phase};
use crate::dossier::ItemFulfilment;
use crate::ids::{CommitmentId, ItemId};
use crate::permission::{can, Action, Actor, CommitmentTarget, Target};
use crate::sync::replica::Replica;
use crate::workflow::{CommitmentState, ItemState};
use chrono::NaiveDate;

/// Items due within this many days are listed.
pub const DUE_SOON_DAYS: i64 = 14;

/// One commitment as the device holds it.
#[derive(Debug, Clone)]
pub struct OnDevice<'a> {
    pub id: CommitmentId,
    pub in_current_cycle: bool,
    pub target: CommitmentTarget,
    pub fulfilment: std::borrow::Cow<'a, [ItemFulfilment]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Todo {
    /// One of my items is past its deadline and not done.
    Overdue {
        commitment: CommitmentId,
        item: ItemId,
        deadline: NaiveDate,
    },
    /// Someone claims an item done; I confirm or return it.
    ClaimWaiting {
        commitment: CommitmentId,
        item: ItemId,
    },
    /// A commitment waits for my review.
    ReviewWaiting { commitment: CommitmentId },
    /// A window in which I have something to do closes on this day.
    WindowClosing { phase: Phase, closes_on: NaiveDate },
    /// My draft is not submitted and drafting ended on this day.
    DraftLate {
        commitment: CommitmentId,
        drafting_ended: NaiveDate,
    },
    /// One of my items is due soon.
    DueSoon {
        commitment: CommitmentId,
        item: ItemId,
        deadline: NaiveDate,
    },
}

impl Todo {
    /// The commitment to open for it, if it is about one.
    pub fn commitment(&self) -> Option<CommitmentId> {
        match self {
            Todo::Overdue { commitment, .. }
            | Todo::ClaimWaiting { commitment, .. }
            | Todo::ReviewWaiting { commitment }
            | Todo::DraftLate { commitment, .. }
            | Todo::DueSoon { commitment, .. } => Some(*commitment),
            Todo::WindowClosing { .. } => None,
        }
    }

    /// What stays the same while this to-do stands: a reminder is given
    /// once per key, and again only if it goes and comes back.
    pub fn key(&self) -> String {
        match self {
            Todo::Overdue { item, .. } => format!("overdue:{item}"),
            Todo::ClaimWaiting { item, .. } => format!("claim:{item}"),
            Todo::ReviewWaiting { commitment } => format!("review:{commitment}"),
            Todo::WindowClosing { phase, closes_on } => format!("window:{phase:?}:{closes_on}"),
            Todo::DraftLate { commitment, .. } => format!("draft:{commitment}"),
            Todo::DueSoon { item, .. } => format!("due:{item}"),
        }
    }

    fn rank(&self) -> (u8, Option<NaiveDate>) {
        match self {
            Todo::Overdue { deadline, .. } => (0, Some(*deadline)),
            Todo::DraftLate { drafting_ended, .. } => (0, Some(*drafting_ended)),
            Todo::ClaimWaiting { .. } => (1, None),
            Todo::ReviewWaiting { .. } => (2, None),
            Todo::WindowClosing { closes_on, .. } => (3, Some(*closes_on)),
            Todo::DueSoon { deadline, .. } => (4, Some(*deadline)),
        }
    }
}

fn allowed(actor: &Actor, action: Action, target: &CommitmentTarget) -> bool {
    can(actor, action, &Target::Commitment(target.clone())).is_ok()
}

/// The commitments a device holds, as the list reads them (states as the
/// device predicts them once its queued work applies).
pub fn on_device<'a>(replica: &'a Replica, cycle: Option<&Cycle>) -> Vec<OnDevice<'a>> {
    replica
        .commitments
        .iter()
        .filter_map(|local| {
            let Some(Target::Commitment(target)) = replica.target(local.id) else {
                return None;
            };
            Some(OnDevice {
                id: local.id,
                in_current_cycle: cycle.is_some_and(|c| c.id == local.cycle),
                target,
                // What the device predicts: a claim made offline is waiting.
                fulfilment: replica.predicted_fulfilment(local.id).into(),
            })
        })
        .collect()
}

/// What to remind the person of: the to-dos not among those already
/// reminded of (`reminded`, their keys); and the keys to keep for next time
/// (today's list: what was done drops out, so it is reminded of again if it
/// comes back).
pub fn reminders<'a>(
    list: &'a [Todo],
    reminded: &std::collections::BTreeSet<String>,
) -> (Vec<&'a Todo>, std::collections::BTreeSet<String>) {
    let fresh = list
        .iter()
        .filter(|t| !reminded.contains(&t.key()))
        .collect();
    // Inserted one by one: `collect` into a set sorts a vector first, and
    // that sort of strings was 1 KB of the client's first load.
    let mut keep = std::collections::BTreeSet::new();
    for todo in list {
        keep.insert(todo.key());
    }
    (fresh, keep)
}

/// The person's to-do list on `today`. `sends_report`: the person sends a
/// committee's report package (报送), which is due by the calendar's
/// report deadline.
pub fn todo_list(
    actor: &Actor,
    cycle: Option<&Cycle>,
    commitments: &[OnDevice<'_>],
    today: NaiveDate,
    sends_report: bool,
) -> Vec<Todo> {
    let mut list = Vec::new();
    // The phases in which the person has something to do.
    let mut busy_in: Vec<Phase> = Vec::new();
    let drafting_ended = cycle.map(|c| c.calendar.draft.end);
    for commitment in commitments.iter().filter(|c| c.in_current_cycle) {
        let target = &commitment.target;
        match target.state {
            CommitmentState::Draft | CommitmentState::Returned
                if allowed(actor, Action::Edit, target) =>
            {
                busy_in.push(Phase::Draft);
                if let Some(ended) = drafting_ended {
                    if target.state == CommitmentState::Draft && today > ended {
                        list.push(Todo::DraftLate {
                            commitment: commitment.id,
                            drafting_ended: ended,
                        });
                    }
                }
            }
            CommitmentState::Submitted if allowed(actor, Action::Review, target) => {
                busy_in.push(Phase::Review);
                list.push(Todo::ReviewWaiting {
                    commitment: commitment.id,
                });
            }
            CommitmentState::Approved if allowed(actor, Action::Sign, target) => {
                busy_in.push(Phase::Sign);
            }
            CommitmentState::Signed if allowed(actor, Action::Publish, target) => {
                busy_in.push(Phase::Publish);
            }
            CommitmentState::Published => {
                let mine = allowed(actor, Action::ClaimDone, target);
                let confirms = allowed(actor, Action::CrossOff, target);
                for item in commitment.fulfilment.iter() {
                    match item.state {
                        ItemState::Open if mine => {
                            let days = (item.deadline - today).num_days();
                            if days < 0 {
                                list.push(Todo::Overdue {
                                    commitment: commitment.id,
                                    item: item.item,
                                    deadline: item.deadline,
                                });
                            } else if days <= DUE_SOON_DAYS {
                                list.push(Todo::DueSoon {
                                    commitment: commitment.id,
                                    item: item.item,
                                    deadline: item.deadline,
                                });
                            }
                        }
                        ItemState::ClaimedDone if confirms => list.push(Todo::ClaimWaiting {
                            commitment: commitment.id,
                            item: item.item,
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(cycle) = cycle {
        let calendar = &cycle.calendar;
        let windows: [(Phase, &DateWindow); 4] = [
            (Phase::Draft, &calendar.draft),
            (Phase::Review, &calendar.review),
            (Phase::Sign, &calendar.sign),
            (Phase::Publish, &calendar.publish),
        ];
        for (phase, window) in windows {
            if busy_in.contains(&phase) && window.contains(today) {
                list.push(Todo::WindowClosing {
                    phase,
                    closes_on: window.end,
                });
            }
        }
        let report = DateWindow::new(calendar.publish.start, calendar.report_deadline);
        if sends_report && report.contains(today) {
            list.push(Todo::WindowClosing {
                phase: Phase::Report,
                closes_on: calendar.report_deadline,
            });
        }
    }
    crate::sorting::sort_by_key(&mut list, Todo::rank);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitment::{Committer, CommitterKind};
    use crate::ids::{OrgUnitId, PersonId};
    use crate::org::{Ancestry, MemberCategory};
    use crate::permission::{Role, RoleGrant};
    use proptest::prelude::*;

    struct World {
        branch: OrgUnitId,
        member: PersonId,
        secretary: PersonId,
        cycle: Cycle,
    }

    fn world() -> World {
        World {
            branch: OrgUnitId::new(),
            member: PersonId::new(),
            secretary: PersonId::new(),
            cycle: Cycle::from_template(2026),
        }
    }

    impl World {
        fn member(&self) -> Actor {
            Actor {
                person: Some(self.member),
                grants: vec![RoleGrant {
                    role: Role::Member,
                    unit: self.branch,
                }],
            }
        }
        fn secretary(&self) -> Actor {
            Actor {
                person: Some(self.secretary),
                grants: vec![
                    RoleGrant {
                        role: Role::BranchSecretary,
                        unit: self.branch,
                    },
                    RoleGrant {
                        role: Role::Member,
                        unit: self.branch,
                    },
                ],
            }
        }
        fn members_commitment(&self, state: CommitmentState) -> CommitmentTarget {
            CommitmentTarget {
                committer: Committer::Person(self.member),
                kind: CommitterKind::Member {
                    category: MemberCategory::Teacher,
                    cadre_rank: None,
                    is_activist: false,
                },
                ancestry: Ancestry(vec![self.branch]),
                state,
            }
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn item(deadline: &str, state: ItemState) -> ItemFulfilment {
        ItemFulfilment {
            item: ItemId::new(),
            deadline: day(deadline),
            state,
            returned: None,
            crossed_off_on: None,
            plan: Vec::new(),
        }
    }

    #[test]
    fn my_items_overdue_and_due_soon_are_listed_most_urgent_first() {
        let w = world();
        let items = [
            item("2026-12-20", ItemState::Open),        // due in 10 days
            item("2026-12-01", ItemState::Open),        // overdue
            item("2027-03-01", ItemState::Open),        // far away
            item("2026-11-01", ItemState::CrossedOff),  // done
            item("2026-11-15", ItemState::ClaimedDone), // waiting for the branch
        ];
        let mine = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: true,
            target: w.members_commitment(CommitmentState::Published),
            fulfilment: (&items[..]).into(),
        };
        let list = todo_list(
            &w.member(),
            Some(&w.cycle),
            &[mine],
            day("2026-12-10"),
            false,
        );
        assert_eq!(
            list,
            vec![
                Todo::Overdue {
                    commitment: mine_id(&list),
                    item: items[1].item,
                    deadline: items[1].deadline
                },
                Todo::DueSoon {
                    commitment: mine_id(&list),
                    item: items[0].item,
                    deadline: items[0].deadline
                },
            ]
        );
        // The branch secretary sees the claim, not the member's deadlines.
        let theirs = todo_list(
            &w.secretary(),
            Some(&w.cycle),
            &[OnDevice {
                id: CommitmentId::new(),
                in_current_cycle: true,
                target: w.members_commitment(CommitmentState::Published),
                fulfilment: (&items[..]).into(),
            }],
            day("2026-12-10"),
            false,
        );
        assert!(matches!(
            theirs[..],
            [Todo::ClaimWaiting { item, .. }] if item == items[4].item
        ));
    }

    fn mine_id(list: &[Todo]) -> CommitmentId {
        list[0].commitment().unwrap()
    }

    #[test]
    fn windows_are_listed_while_open_and_only_with_something_to_do_in_them() {
        let w = world();
        let drafting = day("2026-10-20");
        let draft = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: true,
            target: w.members_commitment(CommitmentState::Draft),
            fulfilment: Default::default(),
        };
        let list = todo_list(
            &w.member(),
            Some(&w.cycle),
            std::slice::from_ref(&draft),
            drafting,
            false,
        );
        assert_eq!(
            list,
            vec![Todo::WindowClosing {
                phase: Phase::Draft,
                closes_on: w.cycle.calendar.draft.end
            }]
        );
        // After the window: no window to announce, the draft is late.
        assert!(!todo_list(
            &w.member(),
            Some(&w.cycle),
            std::slice::from_ref(&draft),
            day("2026-11-20"),
            false
        )
        .iter()
        .any(|t| matches!(t, Todo::WindowClosing { .. })));
        // The secretary does not draft the member's commitment.
        assert!(todo_list(&w.secretary(), Some(&w.cycle), &[draft], drafting, false).is_empty());
        // A submitted one waits for the secretary's review, in the review window.
        let submitted = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: true,
            target: w.members_commitment(CommitmentState::Submitted),
            fulfilment: Default::default(),
        };
        let review_day = w.cycle.calendar.review.start;
        let list = todo_list(
            &w.secretary(),
            Some(&w.cycle),
            std::slice::from_ref(&submitted),
            review_day,
            false,
        );
        assert_eq!(
            list,
            vec![
                Todo::ReviewWaiting {
                    commitment: submitted.id
                },
                Todo::WindowClosing {
                    phase: Phase::Review,
                    closes_on: w.cycle.calendar.review.end
                }
            ]
        );
        assert!(todo_list(&w.member(), Some(&w.cycle), &[submitted], review_day, false).is_empty());
    }

    #[test]
    fn a_reminder_is_given_once_and_again_only_when_it_comes_back() {
        let commitment = CommitmentId::new();
        let review = Todo::ReviewWaiting { commitment };
        let claim = Todo::ClaimWaiting {
            commitment,
            item: ItemId::new(),
        };
        let both = [review, claim];
        let (fresh, kept) = reminders(&both, &Default::default());
        assert_eq!(fresh, vec![&review, &claim]);
        // The next sync: nothing new.
        let (fresh, kept) = reminders(&both, &kept);
        assert!(fresh.is_empty());
        // The review is done; later a new one for the same commitment.
        let (_, kept) = reminders(&both[1..], &kept);
        let (fresh, _) = reminders(&both, &kept);
        assert_eq!(fresh, vec![&review]);
    }

    #[test]
    fn last_years_commitments_ask_nothing() {
        let w = world();
        let items = [item("2026-01-01", ItemState::Open)];
        let old = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: false,
            target: w.members_commitment(CommitmentState::Published),
            fulfilment: (&items[..]).into(),
        };
        assert!(todo_list(
            &w.member(),
            Some(&w.cycle),
            &[old],
            day("2026-12-10"),
            false
        )
        .is_empty());
    }

    #[test]
    fn the_report_deadline_is_on_the_list_of_who_sends_it_and_a_late_draft_on_its_authors() {
        let w = world();
        let calendar = w.cycle.calendar.clone();
        // The rounds are not the calendar's to say (the server's list says
        // which one the office opened): nothing here in a round's window.
        let items = [item("2027-05-20", ItemState::Open)];
        let published = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: true,
            target: w.members_commitment(CommitmentState::Published),
            fulfilment: (&items[..]).into(),
        };
        let first_round = calendar.quarterly_rounds[0];
        assert!(!todo_list(
            &w.member(),
            Some(&w.cycle),
            &[published],
            first_round.start,
            false
        )
        .iter()
        .any(|t| matches!(t, Todo::WindowClosing { .. })));
        // A draft not submitted: its window while drafting, late after.
        let draft = OnDevice {
            id: CommitmentId::new(),
            in_current_cycle: true,
            target: w.members_commitment(CommitmentState::Draft),
            fulfilment: (&[][..]).into(),
        };
        let during = todo_list(
            &w.member(),
            Some(&w.cycle),
            std::slice::from_ref(&draft),
            calendar.draft.end,
            false,
        );
        assert_eq!(
            during,
            [Todo::WindowClosing {
                phase: Phase::Draft,
                closes_on: calendar.draft.end
            }]
        );
        let after = calendar.draft.end + chrono::Duration::days(1);
        assert_eq!(
            todo_list(
                &w.member(),
                Some(&w.cycle),
                std::slice::from_ref(&draft),
                after,
                false
            ),
            [Todo::DraftLate {
                commitment: draft.id,
                drafting_ended: calendar.draft.end
            }]
        );
        // Not the secretary's to finish; a returned one is in review's hands.
        assert!(todo_list(
            &w.secretary(),
            Some(&w.cycle),
            std::slice::from_ref(&draft),
            after,
            false
        )
        .is_empty());
        // The report package: from publication to its deadline, for whoever sends it.
        let report = Todo::WindowClosing {
            phase: Phase::Report,
            closes_on: calendar.report_deadline,
        };
        let on = |today, sends| todo_list(&w.secretary(), Some(&w.cycle), &[], today, sends);
        assert_eq!(on(calendar.publish.start, true), vec![report]);
        assert_eq!(on(calendar.report_deadline, true), vec![report]);
        assert!(on(calendar.report_deadline + chrono::Duration::days(1), true).is_empty());
        assert!(on(calendar.publish.start, false).is_empty());
    }

    fn any_state() -> impl Strategy<Value = ItemState> {
        prop_oneof![
            Just(ItemState::Open),
            Just(ItemState::ClaimedDone),
            Just(ItemState::CrossedOff)
        ]
    }

    proptest! {
        /// Whatever the items and the day: a crossed-off item is never
        /// listed, an overdue one is open and past its deadline, a due one
        /// is open within the next 14 days, each item at most once, and
        /// the list is ordered by urgency.
        #[test]
        fn the_list_follows_the_items(
            items in prop::collection::vec((0i64..400, any_state()), 0..12),
            today in 0i64..400,
            secretary in any::<bool>(),
        ) {
            let w = world();
            let start = day("2026-10-01");
            let today = start + chrono::Duration::days(today);
            let items: Vec<ItemFulfilment> = items
                .iter()
                .map(|(d, s)| ItemFulfilment {
                    item: ItemId::new(),
                    deadline: start + chrono::Duration::days(*d),
                    state: *s,
                    returned: None,
                    crossed_off_on: None,
                    plan: Vec::new(),
                })
                .collect();
            let actor = if secretary { w.secretary() } else { w.member() };
            let on_device = OnDevice {
                id: CommitmentId::new(),
                in_current_cycle: true,
                target: w.members_commitment(CommitmentState::Published),
                fulfilment: (&items[..]).into(),
            };
            let list = todo_list(&actor, Some(&w.cycle), &[on_device], today, false);
            let mut seen = std::collections::HashSet::new();
            for todo in &list {
                let (item, expected) = match todo {
                    Todo::Overdue { item, deadline, .. } => {
                        prop_assert!(*deadline < today);
                        (*item, ItemState::Open)
                    }
                    Todo::DueSoon { item, deadline, .. } => {
                        prop_assert!(*deadline >= today);
                        prop_assert!((*deadline - today).num_days() <= DUE_SOON_DAYS);
                        (*item, ItemState::Open)
                    }
                    Todo::ClaimWaiting { item, .. } => (*item, ItemState::ClaimedDone),
                    other => { prop_assert!(false, "{other:?}"); unreachable!() }
                };
                prop_assert!(seen.insert(item), "listed twice");
                let found = items.iter().find(|i| i.item == item).unwrap();
                prop_assert_eq!(found.state, expected);
                // Only the member lists their deadlines; only the secretary confirms.
                prop_assert_eq!(matches!(todo, Todo::ClaimWaiting { .. }), secretary);
            }
            prop_assert!(list.windows(2).all(|p| p[0].rank() <= p[1].rank()));
            // Every open item of the member's that is late is there.
            if !secretary {
                let late = items.iter().filter(|i| i.state == ItemState::Open && i.deadline < today).count();
                prop_assert_eq!(list.iter().filter(|t| matches!(t, Todo::Overdue { .. })).count(), late);
            }
        }
    }
}
