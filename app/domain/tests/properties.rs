//! Property tests of the rules: the workflow never reaches a state the table
//! forbids, scores stay bounded and monotonic and ignore ballot order, every
//! type survives JSON, and validation accepts exactly what the parser accepts.

mod common;

use chengnuo_domain::commitment::{CommitmentDraft, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::{Cycle, CycleSettings};
use chengnuo_domain::evaluation::{assess, Ballot, ItemStanding, RoundInputs, RoundKind, Score};
use chengnuo_domain::ids::ItemId;
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory};
use chengnuo_domain::permission::{can, rule, Action, Actor, Target};
use chengnuo_domain::validation::CommitmentRules;
use chengnuo_domain::workflow::{next_state, CommitmentState, ItemState, Transition};
use chrono::NaiveDate;
use common::University;
use proptest::prelude::*;

fn action_of(transition: Transition) -> Action {
    match transition {
        Transition::Submit => Action::Submit,
        Transition::Withdraw => Action::Withdraw,
        Transition::Approve | Transition::Return => Action::Review,
        Transition::Sign => Action::Sign,
        Transition::Publish => Action::Publish,
    }
}

fn actors(u: &University) -> Vec<Actor> {
    vec![
        u.as_member(),
        u.as_peer(),
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_leader(),
        u.as_office(),
        u.as_stranger(),
        u.as_other_secretary(),
        Actor::public(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random people attempt random steps on a member's commitment: every
    /// accepted step is a line of the transition table taken by the role the
    /// permission table names, and the state path stays on the table's graph.
    #[test]
    fn random_actions_never_reach_a_forbidden_state(steps in prop::collection::vec((0usize..9, 0usize..6), 0..40)) {
        let u = University::new();
        let people = actors(&u);
        let mut state = CommitmentState::Draft;
        let mut path = vec![state];
        for (who, step) in steps {
            let actor = &people[who];
            let transition = Transition::ALL[step];
            let target = u.member_commitment(state);
            if can(actor, action_of(transition), &target).is_ok() {
                let next = next_state(state, transition).expect("permission implies a legal transition");
                prop_assert!(rule(action_of(transition)).states.contains(&state));
                if transition == Transition::Approve || transition == Transition::Return {
                    prop_assert!(actor.person != Some(u.member), "nobody reviews their own commitment");
                }
                if matches!(transition, Transition::Submit | Transition::Withdraw | Transition::Sign) {
                    prop_assert_eq!(actor.person, Some(u.member), "only the author submits, withdraws and signs");
                }
                state = next;
                path.push(state);
            }
        }
        for pair in path.windows(2) {
            let reachable = Transition::ALL.iter().any(|&t| next_state(pair[0], t) == Ok(pair[1]));
            prop_assert!(reachable, "{:?} → {:?}", pair[0], pair[1]);
        }
        if state == CommitmentState::Published {
            prop_assert!(path.contains(&CommitmentState::Signed) && path.contains(&CommitmentState::Approved));
        }
    }

    /// Whatever the target, an actor who may not see a commitment gets the
    /// same answer for every action: it does not exist for them.
    #[test]
    fn invisibility_is_uniform(who in 0usize..9, state in 0usize..6, branch in any::<bool>()) {
        let u = University::new();
        let actor = &actors(&u)[who];
        let target = if branch {
            u.branch_commitment(u.branch, CommitmentState::ALL[state])
        } else {
            u.member_commitment(CommitmentState::ALL[state])
        };
        if can(actor, Action::View, &target).is_err() {
            for action in Action::ALL {
                let result = can(actor, action, &target);
                prop_assert!(result.is_err());
            }
        }
    }
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2011, 1, 1).unwrap() + chrono::Duration::days(offset)
}

fn ballot() -> impl Strategy<Value = Ballot> {
    prop_oneof![
        Just(Ballot::Satisfied),
        Just(Ballot::FairlySatisfied),
        Just(Ballot::Dissatisfied)
    ]
}

fn item_state() -> impl Strategy<Value = ItemState> {
    prop_oneof![
        Just(ItemState::Open),
        Just(ItemState::ClaimedDone),
        Just(ItemState::CrossedOff)
    ]
}

prop_compose! {
    fn round_inputs()(
        annual in any::<bool>(),
        leaders in prop::collection::vec(0u8..=100, 0..6),
        ballots in prop::collection::vec(ballot(), 0..30),
        organization in prop::option::of(0u8..=100),
        items in prop::collection::vec((item_state(), -60i64..60), 0..8),
    ) -> RoundInputs {
        RoundInputs {
            kind: if annual { RoundKind::Annual } else { RoundKind::Quarterly },
            on: day(0),
            leader_scores: leaders.into_iter().filter_map(Score::new).collect(),
            ballots,
            organization: organization.and_then(Score::new),
            items: items.into_iter().map(|(state, offset)| ItemStanding { item: ItemId::new(), state, deadline: day(offset) }).collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scores_are_bounded(inputs in round_inputs()) {
        let result = assess(&inputs, &CycleSettings::default());
        for score in [result.leader, result.organization, result.composite].into_iter().flatten() {
            prop_assert!(score.0 <= 1000);
        }
        if let chengnuo_domain::evaluation::MassScore::Present(mass) = result.mass {
            prop_assert!(mass.0 <= 1000);
        }
        prop_assert!(result.grade <= result.grade_before_caps);
    }

    #[test]
    fn the_composite_is_monotonic_in_each_component(inputs in round_inputs(), which in 0usize..3, bump in 1u8..=100) {
        let settings = CycleSettings::default();
        let before = assess(&inputs, &settings);
        let mut better = inputs.clone();
        match which {
            0 => {
                if let Some(first) = better.leader_scores.first_mut() {
                    *first = Score::new(first.points().saturating_add(bump).min(100)).unwrap();
                }
            }
            1 => {
                if let Some(b) = better.ballots.iter_mut().find(|b| **b != Ballot::Satisfied) {
                    *b = if *b == Ballot::Dissatisfied { Ballot::FairlySatisfied } else { Ballot::Satisfied };
                }
            }
            _ => {
                better.organization = better.organization.map(|o| Score::new(o.points().saturating_add(bump).min(100)).unwrap());
            }
        }
        let after = assess(&better, &settings);
        prop_assert!(after.composite >= before.composite, "{:?} → {:?}", before.composite, after.composite);
        prop_assert!(after.grade >= before.grade);
    }

    #[test]
    fn ballot_order_does_not_matter(inputs in round_inputs(), seed in any::<u64>()) {
        let settings = CycleSettings::default();
        let mut shuffled = inputs.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.ballots.len();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.ballots.swap(i, (state >> 33) as usize % (i + 1));
        }
        shuffled.leader_scores.reverse();
        prop_assert_eq!(assess(&inputs, &settings), assess(&shuffled, &settings));
    }

    /// The caps hold whatever the scores: Excellent only with every due item
    /// crossed off; at the annual round an overdue item caps at 基本合格 and
    /// every overdue item (and only those) gets a rectification order.
    #[test]
    fn the_caps_hold_and_overdue_items_are_ordered_rectified(inputs in round_inputs()) {
        use chengnuo_domain::evaluation::Grade;
        use chengnuo_domain::workflow::ItemStatus;
        let result = assess(&inputs, &CycleSettings::default());
        let due_undone = inputs.items.iter().any(|i| i.deadline <= inputs.on && i.state != ItemState::CrossedOff);
        let overdue: Vec<ItemId> = inputs.items.iter()
            .filter(|i| i.state.status_on(i.deadline, inputs.on) == ItemStatus::Overdue)
            .map(|i| i.item)
            .collect();
        if due_undone {
            prop_assert!(result.grade != Some(Grade::Excellent));
        }
        if inputs.kind == RoundKind::Annual {
            if !overdue.is_empty() {
                prop_assert!(result.grade.is_none_or(|g| g <= Grade::BasicallyCompetent));
            }
            prop_assert_eq!(&result.to_rectify, &overdue);
        } else {
            prop_assert!(result.to_rectify.is_empty());
        }
    }

    /// The mass score counts from the quorum on (5 by default): 4 ballots
    /// leave it out and say so, 5 count.
    #[test]
    fn the_mass_score_counts_from_the_quorum(inputs in round_inputs(), quorum in 1usize..12) {
        let settings = CycleSettings { mass_quorum: quorum, ..CycleSettings::default() };
        let mut below = inputs.clone();
        below.ballots = vec![Ballot::Satisfied; quorum - 1];
        let mut at = inputs;
        at.ballots = vec![Ballot::FairlySatisfied; quorum];
        prop_assert_eq!(
            assess(&below, &settings).mass,
            chengnuo_domain::evaluation::MassScore::BelowQuorum { ballots: quorum - 1, quorum }
        );
        prop_assert_eq!(
            assess(&at, &settings).mass,
            chengnuo_domain::evaluation::MassScore::Present(chengnuo_domain::evaluation::Tenths(600))
        );
    }

    /// Whatever steps are tried in whatever order, an order is closed only
    /// after a claim, stays closed, and knows its closing day exactly then;
    /// every step taken is recorded, every refused one leaves it as it was.
    #[test]
    fn a_rectification_order_closes_only_after_a_claim_and_for_good(
        steps in proptest::collection::vec((0usize..4, any::<bool>()), 0..12)
    ) {
        use chengnuo_domain::evaluation::{Rectification, RectificationState, RectificationStep};
        let day = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        let mut order = Rectification {
            id: chengnuo_domain::ids::RectificationId::new(),
            item: None,
            ordered_on: day,
            deadline: day,
            state: RectificationState::Open,
            closed_on: None,
            entries: Vec::new(),
        };
        let all = [RectificationStep::Report, RectificationStep::Claim, RectificationStep::Close, RectificationStep::Return];
        for (step, with_text) in steps {
            let before = order.clone();
            let step = all[step];
            let taken = order.take(step, if with_text { "已整改" } else { " " }, Vec::new(), day).is_ok();
            if taken {
                prop_assert_eq!(order.entries.len(), before.entries.len() + 1);
                if step == RectificationStep::Close {
                    prop_assert_eq!(before.state, RectificationState::Claimed);
                }
            } else {
                prop_assert_eq!(&order, &before);
            }
            prop_assert_eq!(order.closed_on.is_some(), order.state == RectificationState::Closed);
            if before.state == RectificationState::Closed {
                prop_assert_eq!(&order, &before, "closed is final");
            }
        }
    }

    #[test]
    fn round_results_survive_json(inputs in round_inputs()) {
        let result = assess(&inputs, &CycleSettings::default());
        let json = serde_json::to_string(&result).unwrap();
        prop_assert_eq!(serde_json::from_str::<chengnuo_domain::evaluation::RoundResult>(&json).unwrap(), result);
        let json = serde_json::to_string(&inputs).unwrap();
        prop_assert_eq!(serde_json::from_str::<RoundInputs>(&json).unwrap(), inputs);
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_owned()),
        "[a-z 承诺措施]{1,20}",
        "[承]{295,305}",
    ]
}

fn code() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[CBMZ][0-9]", "[GL][0-6]"]
}

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2011-02-30".to_owned()),
        (2010i32..2012, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
}

prop_compose! {
    fn item_draft()(area in code(), content in text(), measures in text(), deadline in date_text(), target in text(), practical_deed in any::<bool>()) -> ItemDraft {
        ItemDraft { id: ItemId::new(), area, content, measures, deadline, target, practical_deed }
    }
}

prop_compose! {
    fn commitment_draft()(needs_summary in text(), items in prop::collection::vec(item_draft(), 0..5), standards in prop::collection::vec(code(), 0..4)) -> CommitmentDraft {
        CommitmentDraft { needs_summary, items, standards }
    }
}

fn committer_kind() -> impl Strategy<Value = CommitterKind> {
    prop_oneof![
        Just(CommitterKind::Committee),
        Just(CommitterKind::Branch {
            kind: BranchKind::Student
        }),
        (any::<bool>(), any::<bool>()).prop_map(|(cadre, is_activist)| CommitterKind::Member {
            category: MemberCategory::Staff,
            cadre_rank: cadre.then_some(CadreRank::Division),
            is_activist,
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validation_accepts_exactly_what_the_parser_accepts(draft in commitment_draft(), kind in committer_kind()) {
        let rules = CommitmentRules::new(kind, &Cycle::from_template(2010));
        let errors = draft.validate(&rules);
        match draft.parse(&rules) {
            Ok(commitment) => {
                prop_assert!(errors.is_empty());
                // What parses gives itself back through its draft.
                prop_assert_eq!(commitment.to_draft().parse(&rules).unwrap(), commitment.clone());
                let json = serde_json::to_string(&commitment).unwrap();
                prop_assert_eq!(serde_json::from_str::<chengnuo_domain::commitment::Commitment>(&json).unwrap(), commitment);
            }
            Err(refused) => {
                prop_assert!(!errors.is_empty());
                prop_assert_eq!(refused, errors.clone());
                for error in &errors.0 {
                    prop_assert!(error.field == "items" || error.field == "needs_summary" || error.field.starts_with("items[") || error.field.starts_with("standards["), "{}", error.field);
                }
            }
        }
        let json = serde_json::to_string(&draft).unwrap();
        prop_assert_eq!(serde_json::from_str::<CommitmentDraft>(&json).unwrap(), draft);
        let json = serde_json::to_string(&errors).unwrap();
        prop_assert_eq!(serde_json::from_str::<chengnuo_domain::messages::ValidationErrors>(&json).unwrap(), errors);
    }

    #[test]
    fn targets_and_actors_survive_json(who in 0usize..9, state in 0usize..6) {
        let u = University::new();
        let actor = actors(&u)[who].clone();
        let target = u.member_commitment(CommitmentState::ALL[state]);
        prop_assert_eq!(serde_json::from_str::<Actor>(&serde_json::to_string(&actor).unwrap()).unwrap(), actor);
        prop_assert_eq!(serde_json::from_str::<Target>(&serde_json::to_string(&target).unwrap()).unwrap(), target);
    }
}
