//! Takes one commitment of the demo through the workflow with the real
//! rules (drafted from the plan's texts, submitted, reviewed, signed,
//! published), with its audit records.

use super::DemoError;
use crate::db::DbConnection;
use crate::store::directory::Directory;
use crate::store::{audit, enum_text};
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::ids::{CommitmentId, ItemId, OrgUnitId};
use chengnuo_domain::org::{BranchKind, MemberCategory};
use chengnuo_domain::permission::Actor;
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::review::{Criteria, ReviewDecision, ReviewDraft};
use chengnuo_domain::workflow::CommitmentState;
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use texts::ItemText;

use super::texts;

pub(super) fn texts_for(kind: CommitterKind) -> &'static [ItemText] {
    match kind {
        CommitterKind::School | CommitterKind::Committee => texts::COMMITTEE,
        CommitterKind::Branch {
            kind: BranchKind::Teaching,
        } => texts::TEACHING_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::AdminService,
        } => texts::ADMIN_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::Student,
        } => texts::STUDENT_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::Retired,
        } => texts::RETIRED_BRANCH,
        CommitterKind::Member {
            cadre_rank: Some(_),
            ..
        } => texts::CADRE,
        CommitterKind::Member {
            category: MemberCategory::Teacher,
            ..
        } => texts::TEACHER,
        CommitterKind::Member {
            category: MemberCategory::Staff,
            ..
        } => texts::STAFF,
        CommitterKind::Member {
            category: MemberCategory::Student,
            ..
        } => texts::STUDENT,
        CommitterKind::Member {
            category: MemberCategory::Retired,
            ..
        } => texts::RETIREE,
    }
}

pub(super) fn draft_for(kind: CommitterKind, cycle: &Cycle, seed: usize) -> CommitmentDraft {
    let start = cycle.calendar.draft.start;
    let end = cycle.calendar.fulfilment_until;
    let items = texts_for(kind)
        .iter()
        .map(|text| {
            let deadline = start
                .checked_add_months(Months::new(text.months))
                .map(|d| d.min(end))
                .unwrap_or(end);
            ItemDraft {
                id: ItemId::new(),
                area: text.area.to_owned(),
                content: text.content.to_owned(),
                measures: text.measures.to_owned(),
                deadline: deadline.to_string(),
                target: text.target.to_owned(),
                practical_deed: text.area == "B2",
            }
        })
        .collect();
    let standards = match kind {
        CommitterKind::Member { .. } => {
            vec!["L1".to_owned(), ["L2", "L3", "L5"][seed % 3].to_owned()]
        }
        _ => vec!["G1".to_owned(), ["G3", "G4", "G5"][seed % 3].to_owned()],
    };
    CommitmentDraft {
        needs_summary: texts::NEEDS[seed % texts::NEEDS.len()].to_owned(),
        items,
        standards,
    }
}

/// The steps a commitment takes in the demo.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
pub(super) enum Until {
    Draft,
    Submitted,
    Returned,
    Approved,
    Signed,
    Published,
}

pub(super) struct Walk<'a> {
    pub(super) db: &'a mut DbConnection,
    pub(super) directory: &'a Directory,
    pub(super) cycle: &'a Cycle,
}

impl Walk<'_> {
    pub(super) async fn log(
        &mut self,
        dossier: &Dossier,
        actor: &Actor,
        action: AuditAction,
        from: Option<CommitmentState>,
        at: DateTime<Utc>,
        comment: Option<String>,
    ) -> Result<(), DemoError> {
        Ok(audit::record(
            self.db,
            audit::Record {
                at,
                actor: actor.person,
                action,
                subject_type: "commitment",
                subject_id: dossier.id.to_string(),
                from_state: from.map(|s| enum_text(&s)),
                to_state: Some(enum_text(&dossier.state)),
                comment,
            },
        )
        .await?)
    }

    /// Takes one commitment through the workflow with the real rules.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn commitment(
        &mut self,
        committer: Committer,
        kind: CommitterKind,
        unit: OrgUnitId,
        author: &Actor,
        reviewer: &Actor,
        until: Until,
        seed: usize,
        number: &mut usize,
    ) -> Result<Dossier, DemoError> {
        let calendar = &self.cycle.calendar;
        let at = |day: NaiveDate, hour: u32| {
            day.and_hms_opt(hour, 0, 0).expect("a valid hour").and_utc()
        };
        let mut dossier = Dossier::new(
            CommitmentId::new(),
            self.cycle.id,
            committer,
            kind,
            self.directory.ancestry(unit),
            draft_for(kind, self.cycle, seed),
        );
        self.log(
            &dossier,
            author,
            AuditAction::Create,
            None,
            at(calendar.draft.start, 9),
            None,
        )
        .await?;
        let fail = |e: chengnuo_domain::dossier::Refusal| {
            DemoError::Build(format!("demo data broke a rule: {e:?}"))
        };
        if until >= Until::Submitted {
            dossier
                .submit(author, self.cycle, calendar.draft.start)
                .map_err(fail)?;
            self.log(
                &dossier,
                author,
                AuditAction::Submit,
                Some(CommitmentState::Draft),
                at(calendar.draft.start, 16),
                None,
            )
            .await?;
        }
        if until == Until::Returned {
            let guidance = "第二项的具体措施还不够明确，请写明每月的安排和完成标准。".to_owned();
            let review = ReviewDraft {
                criteria: Criteria {
                    feasible: false,
                    ..Criteria::all()
                },
                decision: ReviewDecision::Return,
                guidance: guidance.clone(),
            };
            dossier
                .review(reviewer, &review, at(calendar.draft.start, 18))
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                AuditAction::Return,
                Some(CommitmentState::Submitted),
                at(calendar.draft.start, 18),
                Some(guidance),
            )
            .await?;
        }
        if until >= Until::Approved {
            let review = ReviewDraft {
                criteria: Criteria::all(),
                decision: ReviewDecision::Approve,
                guidance: String::new(),
            };
            dossier
                .review(reviewer, &review, at(calendar.review.start, 10))
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                AuditAction::Approve,
                Some(CommitmentState::Submitted),
                at(calendar.review.start, 10),
                None,
            )
            .await?;
        }
        if until >= Until::Signed {
            *number += 1;
            let label = self
                .directory
                .numbering(Some(unit), self.cycle.year)
                .number(u32::try_from(*number).unwrap_or(u32::MAX));
            dossier
                .sign(author, self.cycle, label.clone())
                .map_err(fail)?;
            self.log(
                &dossier,
                author,
                AuditAction::Sign,
                Some(CommitmentState::Approved),
                at(calendar.sign.start, 11),
                Some(label),
            )
            .await?;
        }
        if until >= Until::Published {
            let start = calendar.publish.start;
            let end = start.checked_add_days(Days::new(6)).unwrap_or(start);
            let display = DisplayDraft {
                start: start.to_string(),
                end: end.to_string(),
            };
            dossier
                .publish(reviewer, self.cycle, &display, start)
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                AuditAction::Publish,
                Some(CommitmentState::Signed),
                at(start, 9),
                Some(format!("{start} – {end}")),
            )
            .await?;
        }
        Ok(dossier)
    }
}
