//! One whole cycle for one teaching branch, day by day on the plan's 2010
//! calendar: members draft, the branch returns one and approves, they sign,
//! publish for 7 days, record progress, cross off, a quarterly round, and the
//! annual round with one overdue item: the grade is capped and a rectification
//! is ordered.

mod common;

use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::{Cycle, Phase};
use chengnuo_domain::dossier::{Dossier, Refusal};
use chengnuo_domain::evaluation::{
    assess, rectification_orders, Ballot, Cap, Grade, RoundInputs, RoundKind, Score,
};
use chengnuo_domain::ids::{CommitmentId, ItemId};
use chengnuo_domain::ledger::ProgressDraft;
use chengnuo_domain::messages::Message;
use chengnuo_domain::org::MemberCategory;
use chengnuo_domain::permission::Denied;
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::review::{Criteria, ReviewDecision, ReviewDraft};
use chengnuo_domain::workflow::{CommitmentState, ItemStep};
use chrono::{DateTime, NaiveDate, Utc};
use common::University;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

fn item(area: &str, content: &str, deadline: &str) -> ItemDraft {
    ItemDraft {
        id: ItemId::new(),
        area: area.into(),
        content: content.into(),
        measures: "制定计划，按月推进，学期末总结".into(),
        deadline: deadline.into(),
        target: String::new(),
        practical_deed: false,
    }
}

fn member_draft(
    person: chengnuo_domain::ids::PersonId,
    u: &University,
    cycle: &Cycle,
    items: Vec<ItemDraft>,
) -> Dossier {
    Dossier::new(
        CommitmentId::new(),
        cycle.id,
        Committer::Person(person),
        CommitterKind::Member {
            category: MemberCategory::Teacher,
            cadre_rank: None,
            is_activist: false,
        },
        u.ancestry(u.branch),
        CommitmentDraft {
            needs_summary: "学生反映实验课太少".into(),
            items,
            standards: vec!["L1".into(), "L3".into()],
        },
    )
}

#[test]
fn one_teaching_branch_through_a_whole_cycle() {
    let u = University::new();
    let cycle = Cycle::from_template(2010);
    let calendar = &cycle.calendar;
    let (member, peer, secretary) = (u.as_member(), u.as_peer(), u.as_branch_secretary());

    // 1. Draft (10-19..10-22): two members draft on their phones.
    assert_eq!(calendar.phase_on(day("2010-10-20")), Phase::Draft);
    let mut mine = member_draft(
        u.member,
        &u,
        &cycle,
        vec![
            item("M1", "开设一门实验课", "2011-01-15"),
            item("M3", "指导两名学生参加竞赛", "2011-04-30"),
        ],
    );
    let mut theirs = member_draft(
        u.peer,
        &u,
        &cycle,
        vec![item("M1", "每周答疑两次", "2011-05-31")],
    );
    // The peer's single item is too few for an ordinary member: refused, unchanged.
    let before = theirs.clone();
    let refusal = theirs.submit(&peer, &cycle, day("2010-10-22")).unwrap_err();
    assert!(
        matches!(&refusal, Refusal::Invalid(errors) if errors.0[0].message == Message::TooFewItems { min: 2 })
    );
    assert_eq!(theirs, before);
    let mut revised = theirs.draft.clone();
    revised
        .items
        .push(item("M4", "带头遵守实验室安全规范", "2011-05-31"));
    theirs.edit(&peer, revised).unwrap();
    mine.submit(&member, &cycle, day("2010-10-22")).unwrap();
    theirs.submit(&peer, &cycle, day("2010-10-22")).unwrap();
    // Nobody edits a submitted commitment.
    assert_eq!(
        mine.edit(&member, CommitmentDraft::default()),
        Err(Refusal::Denied(Denied::WrongState(
            CommitmentState::Submitted
        )))
    );

    // 2. Review (10-23..10-24): the branch returns one with guidance, approves the other.
    assert_eq!(calendar.phase_on(day("2010-10-23")), Phase::Review);
    let no_guidance = ReviewDraft {
        criteria: Criteria::default(),
        decision: ReviewDecision::Return,
        guidance: String::new(),
    };
    assert!(matches!(
        theirs.review(&secretary, &no_guidance, at("2010-10-23")),
        Err(Refusal::Invalid(_))
    ));
    assert_eq!(theirs.state, CommitmentState::Submitted);
    let guidance = ReviewDraft {
        guidance: "答疑安排请写明时间地点".into(),
        ..no_guidance
    };
    theirs
        .review(&secretary, &guidance, at("2010-10-23"))
        .unwrap();
    assert_eq!(theirs.state, CommitmentState::Returned);
    let approve = ReviewDraft {
        criteria: Criteria::all(),
        decision: ReviewDecision::Approve,
        guidance: String::new(),
    };
    mine.review(&secretary, &approve, at("2010-10-23")).unwrap();
    let mut revised = theirs.draft.clone();
    revised.items[0].measures = "每周二、周四晚七点，实验楼 301".into();
    theirs.edit(&peer, revised).unwrap();
    theirs.submit(&peer, &cycle, day("2010-10-24")).unwrap();
    theirs
        .review(&secretary, &approve, at("2010-10-24"))
        .unwrap();
    assert_eq!(
        theirs.reviews.len(),
        2,
        "each round of review stays in the history"
    );

    // 3. Sign (10-25..10-26): the text is fixed and numbered; a reviewer cannot sign for them.
    assert_eq!(
        mine.sign(&secretary, &cycle, "x".into()),
        Err(Refusal::Denied(Denied::NotAllowed))
    );
    mine.sign(&member, &cycle, "2010-计算机-001".into())
        .unwrap();
    theirs
        .sign(&peer, &cycle, "2010-计算机-002".into())
        .unwrap();
    assert_eq!(mine.fulfilment.len(), 2);

    // 4. Publish (10-27..): six days are refused, seven are enough.
    let six = DisplayDraft {
        start: "2010-10-27".into(),
        end: "2010-11-01".into(),
    };
    assert!(matches!(
        mine.publish(&secretary, &cycle, &six, day("2010-10-27")),
        Err(Refusal::Invalid(_))
    ));
    assert_eq!(mine.state, CommitmentState::Signed);
    let seven = DisplayDraft {
        end: "2010-11-02".into(),
        ..six
    };
    mine.publish(&secretary, &cycle, &seven, day("2010-10-27"))
        .unwrap();
    assert_eq!(mine.state, CommitmentState::Published);

    // 6. Fulfil: progress in the ledger, a claim, the branch crosses it off.
    let first = mine.fulfilment[0].item;
    let second = mine.fulfilment[1].item;
    let item_ids: Vec<ItemId> = mine.fulfilment.iter().map(|f| f.item).collect();
    let entry = ProgressDraft {
        item: Some(first),
        date: "2010-12-10".into(),
        text: "实验课已开出，32 名同学选课".into(),
        ..Default::default()
    }
    .parse(
        &item_ids,
        u.member,
        day("2010-12-10"),
        cycle.calendar.fulfilment(),
    )
    .unwrap();
    assert_eq!(entry.item, first);
    assert!(matches!(
        mine.step_item(&member, first, ItemStep::CrossOff, "", day("2010-12-10")),
        Err(Refusal::Denied(Denied::NotAllowed))
    ));
    mine.step_item(&member, first, ItemStep::Claim, "", day("2010-12-10"))
        .unwrap();
    mine.step_item(&secretary, first, ItemStep::CrossOff, "", day("2010-12-12"))
        .unwrap();
    let crossed = mine.fulfilment.iter().find(|f| f.item == first).unwrap();
    assert_eq!(crossed.crossed_off_on, Some(day("2010-12-12")));

    // 7. The quarterly round in December: all due items crossed off.
    let quarterly = RoundInputs {
        kind: RoundKind::Quarterly,
        on: calendar.quarterly_rounds[0].end,
        leader_scores: vec![Score::new(92).unwrap()],
        ballots: vec![Ballot::Satisfied; 6],
        organization: Score::new(93),
        items: mine.standings(),
    };
    let result = assess(&quarterly, &cycle.settings);
    assert_eq!(result.grade, Some(Grade::Excellent));
    assert!(result.caps.is_empty());

    // The second item's deadline (04-30) passes with the item still open.
    // 8. The annual round in May: capped at Basically competent, rectification ordered.
    let annual = RoundInputs {
        kind: RoundKind::Annual,
        on: calendar.annual_round.end,
        leader_scores: vec![Score::new(92).unwrap(), Score::new(95).unwrap()],
        ballots: vec![
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::FairlySatisfied,
        ],
        organization: Score::new(90),
        items: mine.standings(),
    };
    let result = assess(&annual, &cycle.settings);
    assert_eq!(result.grade_before_caps, Some(Grade::Excellent));
    assert_eq!(result.grade, Some(Grade::BasicallyCompetent));
    assert!(result.caps.contains(&Cap::OverdueAtAnnualRound));
    let orders = rectification_orders(&result, calendar.annual_round.end, &cycle.settings);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].item, Some(second));
    assert_eq!(orders[0].deadline, day("2011-06-30"));
}
