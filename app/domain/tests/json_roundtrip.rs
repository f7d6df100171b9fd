//! Every type that crosses the wire or sits in browser storage comes back from
//! JSON exactly as it went in.

use chengnuo_domain::commitment::{
    Area, CommitmentDraft, Committer, CommitterKind, ItemDraft, Standard,
};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::Refusal;
use chengnuo_domain::evaluation::RectificationState;
use chengnuo_domain::evaluation::{
    Ballot, RectificationOrder, SelfCheck, SelfCheckDraft, SelfCheckStatus, Tenths,
};
use chengnuo_domain::ids::{CommitmentId, CycleId, ItemId, OperationId, OrgUnitId, PersonId};
use chengnuo_domain::ledger::{ProgressDraft, ProgressEntry};
use chengnuo_domain::messages::{FieldError, Message, ValidationErrors};
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory, OrgUnit, OrgUnitKind, Person};
use chengnuo_domain::permission::{Action, Denied, Role, RoleGrant};
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::report::{Entry, Required};
use chengnuo_domain::review::{Criteria, Review, ReviewDecision, ReviewDraft};
use chengnuo_domain::sync::merge::{ItemField, Spot};
use chengnuo_domain::sync::{
    Change, Cursor, Operation, OperationResult, Outcome, PullRequest, PullResponse, PushRequest,
    PushResponse, Revision, Snapshot,
};
use chengnuo_domain::workflow::{CommitmentState, ItemState, ItemStatus};
use chengnuo_domain::Locale;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
    let json = serde_json::to_string(&value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(back, value, "{json}");
}

fn snapshot() -> Snapshot {
    Snapshot {
        id: CommitmentId::new(),
        cycle: CycleId::new(),
        committer: Committer::Person(PersonId::new()),
        kind: CommitterKind::Member {
            category: MemberCategory::Teacher,
            cadre_rank: Some(CadreRank::Section),
            is_activist: false,
        },
        committer_name: "张明".into(),
        ancestry: chengnuo_domain::org::Ancestry(vec![OrgUnitId::new(), OrgUnitId::new()]),
        state: CommitmentState::Returned,
        revision: Revision(4),
        draft: draft(),
        number: Some("2026-经管-007".into()),
        reviews: vec![Review {
            criteria: Criteria::all(),
            decision: ReviewDecision::Return,
            guidance: Some("措施请再具体一些".into()),
            reviewer: PersonId::new(),
            at: "2026-11-27T08:30:00Z".parse().unwrap(),
        }],
        updated_at: "2026-11-27T08:30:00.123Z".parse().unwrap(),
        fulfilment: vec![chengnuo_domain::dossier::ItemFulfilment {
            item: chengnuo_domain::ids::ItemId::new(),
            deadline: "2027-03-31".parse().unwrap(),
            state: chengnuo_domain::workflow::ItemState::Open,
            returned: Some("请补充活动照片".into()),
            crossed_off_on: Some("2027-01-20".parse().unwrap()),
            plan: vec![chengnuo_domain::ledger::PlanStep {
                date: "2027-01-15".parse().unwrap(),
                text: "第一次集中辅导".into(),
            }],
        }],
    }
}

fn draft() -> CommitmentDraft {
    CommitmentDraft {
        needs_summary: "同学们希望实验室晚上开放".into(),
        items: vec![ItemDraft {
            id: ItemId::new(),
            area: "M2".into(),
            content: "牵头实验室夜间开放".into(),
            measures: "排班表，每周三晚值班".into(),
            deadline: "2027-03-01".into(),
            target: "每周开放 2 晚".into(),
            practical_deed: true,
        }],
        standards: vec!["L3".into()],
    }
}

#[test]
fn organization_and_cycle() {
    round_trip(OrgUnit {
        id: OrgUnitId::new(),
        name: "经济管理学院分党委".into(),
        kind: OrgUnitKind::Committee,
        parent: Some(OrgUnitId::new()),
    });
    for kind in BranchKind::ALL {
        round_trip(OrgUnitKind::Branch(kind));
    }
    round_trip(Person {
        id: PersonId::new(),
        name: "李华".into(),
        branch: OrgUnitId::new(),
        category: MemberCategory::Student,
        cadre_rank: None,
        is_activist: true,
    });
    round_trip(Cycle::from_template(2026));
    round_trip(RoleGrant {
        role: Role::BranchSecretary,
        unit: OrgUnitId::new(),
    });
    for action in Action::ALL {
        round_trip(action);
    }
    round_trip(Locale::En);
    assert_eq!(serde_json::to_string(&Locale::Zh).unwrap(), "\"zh-CN\"");
}

#[test]
fn commitment_review_and_ledger() {
    round_trip(draft());
    round_trip(Area::from_code("C8").unwrap());
    round_trip(Standard::GoodReputation);
    assert_eq!(
        serde_json::to_string(&Area::from_code("B2").unwrap()).unwrap(),
        "\"B2\""
    );
    round_trip(Committer::Unit(OrgUnitId::new()));
    round_trip(ReviewDraft {
        criteria: Criteria::default(),
        decision: ReviewDecision::Return,
        guidance: "请补充完成时限".into(),
    });
    round_trip(DisplayDraft {
        start: "2026-12-01".into(),
        end: "2026-12-07".into(),
    });
    round_trip(ProgressDraft {
        item: Some(ItemId::new()),
        date: "2027-01-05".into(),
        text: "完成第一阶段".into(),
        ..Default::default()
    });
    round_trip(ProgressEntry {
        item: ItemId::new(),
        date: "2027-01-05".parse().unwrap(),
        text: "完成第一阶段".into(),
        by: PersonId::new(),
        evidence: Vec::new(),
        public: false,
    });
    for state in CommitmentState::ALL {
        round_trip(state);
    }
    round_trip(ItemState::ClaimedDone);
    round_trip(ItemStatus::Overdue);
    round_trip(RectificationState::Open);
    round_trip(FieldError::new(
        "items[0].deadline",
        Message::DeadlineInPast {
            today: "2026-11-27".parse().unwrap(),
        },
    ));
}

#[test]
fn evaluation() {
    round_trip(Tenths(891));
    round_trip(Ballot::FairlySatisfied);
    round_trip(SelfCheckDraft {
        item: ItemId::new(),
        status: SelfCheckStatus::Behind,
        explanation: "设备未到位".into(),
    });
    round_trip(SelfCheck {
        item: ItemId::new(),
        status: SelfCheckStatus::Fulfilled,
        explanation: None,
    });
    round_trip(RectificationOrder {
        item: Some(ItemId::new()),
        ordered_on: "2027-05-31".parse().unwrap(),
        deadline: "2027-06-30".parse().unwrap(),
    });
    round_trip(Entry {
        required: Required::Cadre(PersonId::new()),
        state: Some(CommitmentState::Signed),
    });
}

#[test]
fn sync_messages() {
    let operation = Operation {
        id: OperationId::new(),
        commitment: CommitmentId::new(),
        base_revision: Some(Revision(3)),
        after: None,
        change: Change::Create {
            cycle: CycleId::new(),
            committer: Committer::Person(PersonId::new()),
            draft: draft(),
        },
    };
    round_trip(PushRequest {
        operations: vec![
            operation.clone(),
            Operation {
                change: Change::Review {
                    review: ReviewDraft {
                        criteria: Criteria::all(),
                        decision: ReviewDecision::Approve,
                        guidance: String::new(),
                    },
                },
                ..operation.clone()
            },
            Operation {
                change: Change::Publish {
                    display: DisplayDraft::default(),
                },
                ..operation.clone()
            },
        ],
        compact: true,
    });
    round_trip(PushResponse {
        results: vec![
            OperationResult {
                id: OperationId::new(),
                outcome: Outcome::Saved {
                    revision: chengnuo_domain::sync::Revision(3),
                },
            },
            OperationResult {
                id: OperationId::new(),
                outcome: Outcome::Applied {
                    snapshot: Box::new(snapshot()),
                },
            },
            OperationResult {
                id: OperationId::new(),
                outcome: Outcome::Conflict {
                    server: Box::new(snapshot()),
                },
            },
            OperationResult {
                id: OperationId::new(),
                outcome: Outcome::Refused {
                    refusal: Refusal::Invalid(ValidationErrors(vec![FieldError::new(
                        "items",
                        Message::NoItems,
                    )])),
                },
            },
            OperationResult {
                id: OperationId::new(),
                outcome: Outcome::AlreadyApplied {
                    revision: Revision(9),
                },
            },
        ],
    });
    round_trip(PullRequest { since: Cursor(17) });
    round_trip(PullResponse {
        changes: vec![snapshot()],
        cursor: Cursor(18),
        more: true,
    });
    round_trip(Spot::Item {
        id: ItemId::new(),
        field: ItemField::Deadline,
    });
}

/// The sync enums' JSON is what devices keep in their outboxes and the server
/// in its record of applied operations: every variant reads and writes the same
/// shape, and a malformed one is refused.
#[test]
fn sync_enums_keep_their_wire_shape() {
    let changes = [
        Change::Create {
            cycle: CycleId::new(),
            committer: Committer::Unit(OrgUnitId::new()),
            draft: draft(),
        },
        Change::SaveDraft {
            draft: draft(),
            set_aside: vec![draft()],
        },
        Change::Submit,
        Change::Withdraw,
        Change::Review {
            review: ReviewDraft {
                criteria: Criteria::all(),
                decision: ReviewDecision::Approve,
                guidance: String::new(),
            },
        },
        Change::Sign,
        Change::Publish {
            display: DisplayDraft::default(),
        },
        Change::StepItem {
            item: chengnuo_domain::ids::ItemId::new(),
            step: chengnuo_domain::workflow::ItemStep::RejectClaim,
            reason: "请补充照片".into(),
        },
        Change::RecordProgress {
            entry: chengnuo_domain::ledger::ProgressDraft {
                item: Some(chengnuo_domain::ids::ItemId::new()),
                date: "2026-12-01".into(),
                text: "完成第一次辅导".into(),
                ..Default::default()
            },
        },
        Change::Assess {
            round: chengnuo_domain::ids::RoundId::new(),
            by: chengnuo_domain::evaluation::Assessor::Leader,
            assessment: chengnuo_domain::evaluation::AssessmentDraft {
                score: "88".into(),
                comment: "带头作用明显".into(),
            },
        },
        Change::Rectify {
            order: chengnuo_domain::ids::RectificationId::new(),
            rectify: chengnuo_domain::evaluation::RectificationStep::Report,
            text: "已补会议记录".into(),
            evidence: vec![chengnuo_domain::evidence::Evidence {
                hash: "ab".repeat(32),
                kind: chengnuo_domain::evidence::EvidenceKind::Pdf,
                size: 20,
                name: "会议记录.pdf".into(),
            }],
        },
    ];
    let tags = [
        "create",
        "save_draft",
        "submit",
        "withdraw",
        "review",
        "sign",
        "publish",
        "step_item",
        "record_progress",
    ];
    for (change, tag) in changes.into_iter().zip(tags) {
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["type"], tag);
        round_trip(change);
    }
    let outcomes = [
        Outcome::Applied {
            snapshot: Box::new(snapshot()),
        },
        Outcome::AlreadyApplied {
            revision: Revision(2),
        },
        Outcome::Conflict {
            server: Box::new(snapshot()),
        },
        Outcome::Stale {
            server: Box::new(snapshot()),
        },
        Outcome::Refused {
            refusal: Refusal::Invalid(ValidationErrors(vec![FieldError::new(
                "items",
                Message::NoItems,
            )])),
        },
        Outcome::Refused {
            refusal: Refusal::Denied(Denied::WrongState(CommitmentState::Submitted)),
        },
        Outcome::Failed,
    ];
    let tags = [
        "applied",
        "already_applied",
        "conflict",
        "stale",
        "refused",
        "refused",
        "failed",
    ];
    for (outcome, tag) in outcomes.into_iter().zip(tags) {
        let json = serde_json::to_value(&outcome).unwrap();
        assert_eq!(json["type"], tag);
        round_trip(outcome);
    }
    // Shapes written by earlier versions read the same.
    let stored: Change = serde_json::from_str(
        r#"{"type":"review","review":{"criteria":{},"decision":"Return","guidance":"请补充"}}"#,
    )
    .unwrap();
    assert!(matches!(stored, Change::Review { review } if review.guidance == "请补充"));
    let stored: Change =
        serde_json::from_str(r#"{"type":"save_draft","draft":{"needs_summary":"旧"}}"#).unwrap();
    assert!(matches!(stored, Change::SaveDraft { set_aside, .. } if set_aside.is_empty()));
    let stored: Outcome = serde_json::from_str(
        r#"{"type":"rejected","errors":[{"field":"items","message":{"code":"no_items"}}]}"#,
    )
    .unwrap();
    assert!(matches!(
        stored,
        Outcome::Refused {
            refusal: Refusal::Invalid(_)
        }
    ));
    let stored: Outcome =
        serde_json::from_str(r#"{"type":"denied","reason":"not_found"}"#).unwrap();
    assert_eq!(
        stored,
        Outcome::Refused {
            refusal: Refusal::Denied(Denied::NotVisible)
        }
    );
    let stored: Outcome =
        serde_json::from_str(r#"{"type":"already_applied","revision":4}"#).unwrap();
    assert_eq!(
        stored,
        Outcome::AlreadyApplied {
            revision: Revision(4)
        }
    );
    for refused in [
        r#"{"type":"explode"}"#,
        r#"{"type":"save_draft"}"#,
        r#"{"draft":{}}"#,
        r#"{"type":"publish","display":3}"#,
    ] {
        assert!(
            serde_json::from_str::<Change>(refused).is_err(),
            "{refused}"
        );
    }
    assert!(serde_json::from_str::<Outcome>(r#"{"type":"applied"}"#).is_err());
}
