//! 待办 the server decides: what a person has to do that depends on records
//! their device does not hold (the rounds the office opened, rectification
//! orders, scores already given, report packages sent). The server answers
//! it (`GET /api/todo`) whenever the app is online; the device keeps the
//! last answer, so the list stays whole offline, and the lines that depend
//! on the day (a round's or an order's last day) are judged on the device
//! against today.
//!
//! The calendar's windows say when a round *should* run; what counts is
//! the round the office opened: the round line carries that round's end.

use crate::cycle::{Cycle, DateWindow};
use crate::evaluation::{Assessor, RectificationState, Round, RoundKind};
use crate::ids::{CommitmentId, OrgUnitId};
use crate::permission::{can, Action, Actor, CommitmentTarget, Target};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One line of the to-do list decided by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServerTodo {
    /// A round the office opened takes input until its end, and the person
    /// has something to do in it (a self-check, scores).
    RoundOpen {
        kind: RoundKind,
        #[serde(deserialize_with = "crate::day::de")]
        closes_on: NaiveDate,
    },
    /// The office: the calendar's window of a round has begun and no round
    /// was opened for it.
    RoundToOpen {
        kind: RoundKind,
        #[serde(deserialize_with = "crate::day::de")]
        closes_on: NaiveDate,
    },
    /// A leader's or the parent unit's score, not yet given in the open round.
    ScoreWaiting {
        commitment: CommitmentId,
        committer_name: String,
        by: Assessor,
    },
    /// A rectification order of one of the person's commitments, not closed
    /// (`claimed`: said done, waiting for the parent unit).
    Rectify {
        commitment: CommitmentId,
        #[serde(deserialize_with = "crate::day::de")]
        deadline: NaiveDate,
        claimed: bool,
    },
    /// An order claimed done, for the parent unit to close or return.
    RectificationClaimed {
        commitment: CommitmentId,
        committer_name: String,
    },
    /// A committee's report package (报送), due and not sent.
    ReportLate {
        committee: OrgUnitId,
        #[serde(deserialize_with = "crate::day::de")]
        deadline: NaiveDate,
    },
}

impl ServerTodo {
    /// Whether it still stands on `today` (a device may show a list fetched
    /// days ago): a round past its last day is over, an order is kept.
    pub fn stands_on(&self, today: NaiveDate) -> bool {
        match self {
            ServerTodo::RoundOpen { closes_on, .. } | ServerTodo::RoundToOpen { closes_on, .. } => {
                today <= *closes_on
            }
            _ => true,
        }
    }

    /// The commitment to open for it, if it is about one.
    pub fn commitment(&self) -> Option<CommitmentId> {
        match self {
            ServerTodo::ScoreWaiting { commitment, .. }
            | ServerTodo::Rectify { commitment, .. }
            | ServerTodo::RectificationClaimed { commitment, .. } => Some(*commitment),
            _ => None,
        }
    }
}

/// A commitment in force, as the server reads it for the list.
#[derive(Debug, Clone)]
pub struct InForce {
    pub id: CommitmentId,
    pub target: CommitmentTarget,
    pub committer_name: String,
}

/// An order not closed, with its commitment.
#[derive(Debug, Clone)]
pub struct OpenOrder {
    pub commitment: InForce,
    pub deadline: NaiveDate,
    pub state: RectificationState,
}

/// What the server reads to decide the list of one person.
#[derive(Debug, Clone)]
pub struct FeedInputs<'a> {
    pub actor: &'a Actor,
    pub cycle: &'a Cycle,
    pub today: NaiveDate,
    /// The rounds of the cycle the office opened (held or open).
    pub rounds: &'a [Round],
    /// The cycle's commitments in force the person may see.
    pub in_force: &'a [InForce],
    /// Those the person already scored in the round open today, and how.
    pub scored: &'a [(CommitmentId, Assessor)],
    /// The cycle's orders not closed, on commitments the person may see.
    pub orders: &'a [OpenOrder],
    /// The committees whose report package of the cycle is sent.
    pub reports_sent: &'a [OrgUnitId],
    /// The committees whose package the person sends (报送).
    pub sends_report_for: &'a [OrgUnitId],
}

fn allowed(actor: &Actor, action: Action, target: &CommitmentTarget) -> bool {
    can(actor, action, &Target::Commitment(target.clone())).is_ok()
}

/// The lines the server adds to the person's list on `today`.
pub fn decide(inputs: &FeedInputs<'_>) -> Vec<ServerTodo> {
    let FeedInputs {
        actor,
        cycle,
        today,
        ..
    } = *inputs;
    let mut list = Vec::new();
    let open = inputs.rounds.iter().find(|r| r.takes_input_on(today));
    if let Some(round) = open {
        let mut busy = false;
        for commitment in inputs.in_force {
            let target = &commitment.target;
            busy |= allowed(actor, Action::SelfCheck, target);
            for (action, by) in [
                (Action::LeaderComment, Assessor::Leader),
                (Action::AssessOrganization, Assessor::Organization),
            ] {
                if allowed(actor, action, target) {
                    busy = true;
                    if !inputs.scored.contains(&(commitment.id, by)) {
                        list.push(ServerTodo::ScoreWaiting {
                            commitment: commitment.id,
                            committer_name: commitment.committer_name.clone(),
                            by,
                        });
                    }
                }
            }
        }
        if busy {
            // Late input is taken until the office closes the round; the
            // line says the day asked for.
            list.insert(
                0,
                ServerTodo::RoundOpen {
                    kind: round.kind,
                    closes_on: round.closes_on.max(today),
                },
            );
        }
    }
    if can(actor, Action::ConfigureCycle, &Target::Campaign).is_ok() && open.is_none() {
        let calendar = &cycle.calendar;
        let windows = calendar
            .quarterly_rounds
            .iter()
            .map(|w| (RoundKind::Quarterly, *w))
            .chain([(RoundKind::Annual, calendar.annual_round)]);
        for (kind, window) in windows {
            let opened = inputs.rounds.iter().any(|r| {
                r.kind == kind && DateWindow::new(window.start, window.end).contains(r.opens_on)
            });
            if window.contains(today) && !opened {
                list.push(ServerTodo::RoundToOpen {
                    kind,
                    closes_on: window.end,
                });
            }
        }
    }
    for order in inputs.orders {
        let target = &order.commitment.target;
        if allowed(actor, Action::RecordProgress, target) {
            list.push(ServerTodo::Rectify {
                commitment: order.commitment.id,
                deadline: order.deadline,
                claimed: order.state == RectificationState::Claimed,
            });
        } else if order.state == RectificationState::Claimed
            && allowed(actor, Action::CrossOff, target)
        {
            let line = ServerTodo::RectificationClaimed {
                commitment: order.commitment.id,
                committer_name: order.commitment.committer_name.clone(),
            };
            if !list.contains(&line) {
                list.push(line);
            }
        }
    }
    let deadline = cycle.calendar.report_deadline;
    if today > deadline {
        for committee in inputs.sends_report_for {
            if !inputs.reports_sent.contains(committee) {
                list.push(ServerTodo::ReportLate {
                    committee: *committee,
                    deadline,
                });
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitment::{Committer, CommitterKind};
    use crate::ids::{PersonId, RoundId};
    use crate::org::{Ancestry, MemberCategory};
    use crate::permission::{Role, RoleGrant};
    use crate::workflow::CommitmentState;

    struct School {
        committee: OrgUnitId,
        branch: OrgUnitId,
        member: PersonId,
        cycle: Cycle,
    }

    fn school() -> School {
        School {
            committee: OrgUnitId::new(),
            branch: OrgUnitId::new(),
            member: PersonId::new(),
            cycle: Cycle::from_template(2026),
        }
    }

    fn actor(person: PersonId, grants: &[(Role, OrgUnitId)]) -> Actor {
        Actor {
            person: Some(person),
            grants: grants
                .iter()
                .map(|&(role, unit)| RoleGrant { role, unit })
                .collect(),
        }
    }

    impl School {
        fn members(&self) -> InForce {
            InForce {
                id: CommitmentId::new(),
                target: CommitmentTarget {
                    committer: Committer::Person(self.member),
                    kind: CommitterKind::Member {
                        category: MemberCategory::Teacher,
                        // A cadre: leaders score cadres (and units).
                        cadre_rank: Some(crate::org::CadreRank::Section),
                        is_activist: false,
                    },
                    ancestry: Ancestry(vec![self.branch, self.committee]),
                    state: CommitmentState::Published,
                },
                committer_name: "王老师".into(),
            }
        }
        fn member(&self) -> Actor {
            actor(self.member, &[(Role::Member, self.branch)])
        }
        fn secretary(&self) -> Actor {
            actor(PersonId::new(), &[(Role::BranchSecretary, self.branch)])
        }
        fn leader(&self) -> Actor {
            actor(PersonId::new(), &[(Role::Leader, self.branch)])
        }
        fn office(&self) -> Actor {
            actor(PersonId::new(), &[(Role::Office, OrgUnitId::new())])
        }
        fn round(&self, kind: RoundKind, opens_on: NaiveDate, days: i64) -> Round {
            Round {
                id: RoundId::new(),
                cycle: self.cycle.id,
                kind,
                opens_on,
                closes_on: opens_on + chrono::Duration::days(days),
                is_closed: false,
                closed_on: None,
            }
        }
    }

    fn decide_for(
        school: &School,
        actor: &Actor,
        today: NaiveDate,
        rounds: &[Round],
        in_force: &[InForce],
        scored: &[(CommitmentId, Assessor)],
        orders: &[OpenOrder],
    ) -> Vec<ServerTodo> {
        decide(&FeedInputs {
            actor,
            cycle: &school.cycle,
            today,
            rounds,
            in_force,
            scored,
            orders,
            reports_sent: &[],
            sends_report_for: &[],
        })
    }

    #[test]
    fn the_round_line_is_the_opened_rounds_and_only_while_it_takes_input() {
        let school = school();
        let window = school.cycle.calendar.quarterly_rounds[0];
        let commitment = school.members();
        let all = [commitment.clone()];
        // Opened two days into the window, asked until 5 days before its end.
        let opened = school.round(
            RoundKind::Quarterly,
            window.start + chrono::Duration::days(2),
            10,
        );
        let rounds = [opened.clone()];
        let inside = opened.opens_on + chrono::Duration::days(1);
        assert_eq!(
            decide_for(&school, &school.member(), inside, &rounds, &all, &[], &[]),
            [ServerTodo::RoundOpen {
                kind: RoundKind::Quarterly,
                closes_on: opened.closes_on
            }]
        );
        // In the calendar's window but before the office opened it: nothing.
        assert!(decide_for(
            &school,
            &school.member(),
            window.start,
            &rounds,
            &all,
            &[],
            &[]
        )
        .is_empty());
        // Closed: nothing, even inside its days.
        let closed = [Round {
            is_closed: true,
            ..opened.clone()
        }];
        assert!(decide_for(&school, &school.member(), inside, &closed, &all, &[], &[]).is_empty());
        // Nothing in force for the person: no round line.
        assert!(decide_for(&school, &school.member(), inside, &rounds, &[], &[], &[]).is_empty());
        // Late (the office has not closed it): still asked, dated today.
        let late = opened.closes_on + chrono::Duration::days(3);
        assert_eq!(
            decide_for(&school, &school.member(), late, &rounds, &all, &[], &[]),
            [ServerTodo::RoundOpen {
                kind: RoundKind::Quarterly,
                closes_on: late
            }]
        );
        assert!(ServerTodo::RoundOpen {
            kind: RoundKind::Quarterly,
            closes_on: late
        }
        .stands_on(late));
        assert!(!ServerTodo::RoundOpen {
            kind: RoundKind::Quarterly,
            closes_on: late
        }
        .stands_on(late + chrono::Duration::days(1)));
    }

    #[test]
    fn leaders_and_the_parent_unit_are_asked_for_the_scores_they_have_not_given() {
        let school = school();
        let window = school.cycle.calendar.quarterly_rounds[0];
        let round = school.round(RoundKind::Quarterly, window.start, 10);
        let (a, b) = (school.members(), school.members());
        let all = [a.clone(), b.clone()];
        let waiting =
            |actor: &Actor, scored: &[(CommitmentId, Assessor)]| -> Vec<(CommitmentId, Assessor)> {
                decide_for(
                    &school,
                    actor,
                    window.start,
                    std::slice::from_ref(&round),
                    &all,
                    scored,
                    &[],
                )
                .into_iter()
                .filter_map(|t| match t {
                    ServerTodo::ScoreWaiting { commitment, by, .. } => Some((commitment, by)),
                    _ => None,
                })
                .collect()
            };
        assert_eq!(
            waiting(&school.leader(), &[(a.id, Assessor::Leader)]),
            [(b.id, Assessor::Leader)]
        );
        assert_eq!(
            waiting(&school.secretary(), &[(a.id, Assessor::Leader)]),
            [
                (a.id, Assessor::Organization),
                (b.id, Assessor::Organization)
            ]
        );
        assert!(waiting(&school.member(), &[]).is_empty());
    }

    #[test]
    fn the_office_is_asked_to_open_the_round_the_calendar_has_begun() {
        let school = school();
        let window = school.cycle.calendar.quarterly_rounds[1];
        let office = school.office();
        let today = window.start + chrono::Duration::days(1);
        assert_eq!(
            decide_for(&school, &office, today, &[], &[], &[], &[]),
            [ServerTodo::RoundToOpen {
                kind: RoundKind::Quarterly,
                closes_on: window.end
            }]
        );
        // Opened (and closed already): done.
        let held = Round {
            is_closed: true,
            ..school.round(RoundKind::Quarterly, window.start, 3)
        };
        assert!(decide_for(&school, &office, today, &[held], &[], &[], &[]).is_empty());
        // Before the window: nothing yet.
        assert!(decide_for(
            &school,
            &office,
            window.start - chrono::Duration::days(1),
            &[],
            &[],
            &[],
            &[]
        )
        .is_empty());
        // Nobody else is asked.
        assert!(decide_for(&school, &school.secretary(), today, &[], &[], &[], &[]).is_empty());
    }

    #[test]
    fn orders_are_the_committers_to_work_off_and_the_parent_units_to_close() {
        let school = school();
        let commitment = school.members();
        let deadline = school.cycle.calendar.fulfilment_until;
        let order = |state| OpenOrder {
            commitment: commitment.clone(),
            deadline,
            state,
        };
        let today = school.cycle.calendar.annual_round.end;
        let orders = [
            order(RectificationState::Open),
            order(RectificationState::Claimed),
        ];
        assert_eq!(
            decide_for(&school, &school.member(), today, &[], &[], &[], &orders),
            [
                ServerTodo::Rectify {
                    commitment: commitment.id,
                    deadline,
                    claimed: false
                },
                ServerTodo::Rectify {
                    commitment: commitment.id,
                    deadline,
                    claimed: true
                }
            ]
        );
        // The branch closes the claimed one (one line per commitment).
        let claimed = [
            order(RectificationState::Claimed),
            order(RectificationState::Claimed),
        ];
        assert_eq!(
            decide_for(&school, &school.secretary(), today, &[], &[], &[], &claimed),
            [ServerTodo::RectificationClaimed {
                commitment: commitment.id,
                committer_name: "王老师".into()
            }]
        );
        assert!(decide_for(
            &school,
            &school.secretary(),
            today,
            &[],
            &[],
            &[],
            &orders[..1]
        )
        .is_empty());
        assert!(decide_for(&school, &school.leader(), today, &[], &[], &[], &claimed).is_empty());
    }

    #[test]
    fn a_committees_package_not_sent_by_the_deadline_is_late() {
        let school = school();
        let deadline = school.cycle.calendar.report_deadline;
        let secretary = actor(
            PersonId::new(),
            &[(Role::CommitteeSecretary, school.committee)],
        );
        let late = |today: NaiveDate, sent: &[OrgUnitId]| {
            decide(&FeedInputs {
                actor: &secretary,
                cycle: &school.cycle,
                today,
                rounds: &[],
                in_force: &[],
                scored: &[],
                orders: &[],
                reports_sent: sent,
                sends_report_for: &[school.committee],
            })
        };
        assert!(late(deadline, &[]).is_empty(), "due that day, not late yet");
        let next = deadline + chrono::Duration::days(1);
        assert_eq!(
            late(next, &[]),
            [ServerTodo::ReportLate {
                committee: school.committee,
                deadline
            }]
        );
        assert!(late(next, &[school.committee]).is_empty());
    }
}
