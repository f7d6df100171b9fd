//! Where every change to a commitment is applied, whether it came as a REST
//! request or in a sync batch: exactly once per operation id, through the
//! domain's `Dossier` (permission, workflow, form rules), with its audit
//! record, in the caller's transaction. Conflicts are decided by the domain's
//! `conflict::decide`; nothing the server holds is ever overwritten by an
//! operation based on an older revision.

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::store::commitments::{self, Stored};
use crate::store::directory::{self, Directory};
use crate::store::idempotency::{self, Recorded};
use crate::store::{audit, cycles, enum_text, ledger};
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::{Dossier, Refusal};
use chengnuo_domain::evaluation::{Assessor, RectificationStep};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::ledger::ProgressEntry;
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{Action, Actor, Denied};
use chengnuo_domain::review::ReviewDecision;
use chengnuo_domain::sync::decision::{decide, Decision, Predecessor};
use chengnuo_domain::sync::{Change, Operation, Outcome};
use chengnuo_domain::workflow::ItemStep;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Drafts saved by a batch, kept in memory and written once, at the end of
/// the batch or before any other kind of change: a phone back online after
/// days sends hundreds of edits of one draft; each is decided, audited and
/// recorded, but the commitment's row is written once (and the stream
/// clients pull moves once). Only compact saves wait here: every other
/// outcome is read back from the database.
#[derive(Default)]
pub struct Unsaved {
    stored: HashMap<CommitmentId, Stored>,
}

impl Unsaved {
    /// Writes what waits; call it before the batch's transaction commits.
    pub async fn flush(
        &mut self,
        db: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        for (_, stored) in self.stored.drain() {
            commitments::save(db, &stored.dossier, now).await?;
        }
        Ok(())
    }

    async fn load(
        &self,
        db: &mut DbConnection,
        id: CommitmentId,
    ) -> Result<Option<Stored>, ApiError> {
        match self.stored.get(&id) {
            Some(stored) => Ok(Some(stored.clone())),
            None => Ok(commitments::load(db, id).await?),
        }
    }
}

fn waits_in_memory(context: &Context<'_>, operation: &Operation) -> bool {
    context.compact && matches!(operation.change, Change::SaveDraft { .. })
}

pub struct Context<'a> {
    pub directory: &'a Directory,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    /// Answer a saved text with its revision only (`Outcome::Saved`).
    pub compact: bool,
}

/// The files a ledger entry names must have been given to its commitment
/// first (uploaded); their kind and size are taken from what the server
/// holds, not from what the phone said.
pub async fn attach_files(
    db: &mut DbConnection,
    commitment: CommitmentId,
    entry: &mut ProgressEntry,
) -> Result<Result<(), ValidationErrors>, ApiError> {
    held_files(db, commitment, &mut entry.evidence).await
}

/// Files a commitment holds, with the kind and size the server found (a
/// refusal names each file not uploaded).
async fn held_files(
    db: &mut DbConnection,
    commitment: CommitmentId,
    files: &mut [chengnuo_domain::evidence::Evidence],
) -> Result<Result<(), ValidationErrors>, ApiError> {
    let mut errors = ValidationErrors::default();
    for (n, file) in files.iter_mut().enumerate() {
        match crate::store::evidence::held(db, commitment, &file.hash).await? {
            Some((kind, size)) => {
                file.kind = kind;
                file.size = size;
            }
            None => errors.push(format!("evidence[{n}]"), Message::FileNotUploaded),
        }
    }
    Ok(if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

fn denied(reason: Denied) -> Outcome {
    Outcome::Refused {
        refusal: Refusal::Denied(reason),
    }
}

/// Applies one operation; the outcome is recorded under its id, so a replay
/// answers the same and changes nothing.
pub async fn apply(
    db: &mut DbConnection,
    context: &Context<'_>,
    operation: &Operation,
    unsaved: &mut Unsaved,
) -> Result<Outcome, ApiError> {
    match idempotency::recorded(db, operation.id, context.actor.person).await? {
        Recorded::Mine(Outcome::Applied { snapshot }) => {
            return Ok(Outcome::AlreadyApplied {
                revision: snapshot.revision,
            })
        }
        Recorded::Mine(Outcome::Saved { revision }) => {
            return Ok(Outcome::AlreadyApplied { revision })
        }
        Recorded::Mine(other) => return Ok(other),
        // Another person's operation id: refused, and their outcome stays theirs.
        Recorded::Foreign => return Ok(denied(Denied::NotAllowed)),
        Recorded::Unseen => {}
    }
    if !waits_in_memory(context, operation) {
        unsaved.flush(db, context.now).await?;
    }
    let outcome = decide_and_apply(db, context, operation, unsaved).await?;
    if outcome.is_acknowledged() {
        idempotency::record(db, operation, context.actor.person, &outcome, context.now).await?;
    }
    Ok(outcome)
}

async fn decide_and_apply(
    db: &mut DbConnection,
    context: &Context<'_>,
    operation: &Operation,
    unsaved: &mut Unsaved,
) -> Result<Outcome, ApiError> {
    let mut current = unsaved.load(db, operation.commitment).await?;
    if let (
        None,
        Change::Create {
            cycle, committer, ..
        },
    ) = (&current, &operation.change)
    {
        // Another device may have created this committer's commitment under another id.
        if let Some(existing) = commitments::find_for_committer(db, *cycle, *committer).await? {
            current = commitments::load(db, existing).await?;
        }
    }
    if let Some(stored) = &current {
        if let Err(reason) = stored.dossier.check(context.actor, Action::View) {
            return Ok(denied(reason));
        }
    }
    let predecessor = match operation.after {
        None => Predecessor::None,
        Some(after) => match idempotency::recorded(db, after, context.actor.person).await? {
            Recorded::Mine(
                Outcome::Applied { .. } | Outcome::Saved { .. } | Outcome::AlreadyApplied { .. },
            ) => Predecessor::Applied,
            _ => Predecessor::NotApplied,
        },
    };
    let decision = decide(
        operation,
        current.as_ref().map(|s| s.dossier.revision),
        predecessor,
        current.as_ref().map(|s| &s.dossier.draft),
    );
    match (decision, current) {
        (Decision::AlreadyApplied, Some(stored)) => Ok(Outcome::AlreadyApplied {
            revision: stored.dossier.revision,
        }),
        (Decision::Conflict | Decision::Duplicate, Some(stored)) => Ok(Outcome::Conflict {
            server: Box::new(commitments::snapshot(&stored)),
        }),
        (Decision::Stale, Some(stored)) => Ok(Outcome::Stale {
            server: Box::new(commitments::snapshot(&stored)),
        }),
        (Decision::Apply, None) => create(db, context, operation).await,
        (Decision::Apply, Some(stored)) => change(db, context, operation, stored, unsaved).await,
        _ => Ok(denied(Denied::NotVisible)),
    }
}

async fn cycle_of(db: &mut DbConnection, dossier: &Dossier) -> Result<Cycle, ApiError> {
    cycles::get(db, dossier.cycle)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("cycle {} is missing", dossier.cycle)))
}

async fn create(
    db: &mut DbConnection,
    context: &Context<'_>,
    operation: &Operation,
) -> Result<Outcome, ApiError> {
    let Change::Create {
        cycle,
        committer,
        draft,
    } = &operation.change
    else {
        return Ok(denied(Denied::NotVisible));
    };
    if cycles::get(db, *cycle).await?.is_none() {
        return Ok(denied(Denied::NotVisible));
    }
    let (kind, unit) = match *committer {
        Committer::Unit(unit) => match context.directory.unit(unit) {
            Some(found) => (CommitterKind::of_unit(found.unit.kind), unit),
            None => return Ok(denied(Denied::NotVisible)),
        },
        Committer::Person(person) => match directory::person(db, person).await? {
            Some(found) => (CommitterKind::of_person(&found.person), found.person.branch),
            None => return Ok(denied(Denied::NotVisible)),
        },
    };
    let dossier = Dossier::new(
        operation.commitment,
        *cycle,
        *committer,
        kind,
        context.directory.ancestry(unit),
        draft.clone(),
    );
    // Only the committer (the person, or the unit's secretary) creates it.
    if let Err(reason) = dossier.check(context.actor, Action::Edit) {
        return Ok(denied(reason));
    }
    if let Err(errors) = dossier.draft.check_limits() {
        return Ok(Outcome::Refused {
            refusal: Refusal::Invalid(errors),
        });
    }
    commitments::save(db, &dossier, context.now).await?;
    audit::record(
        db,
        audit::Record {
            at: context.now,
            actor: context.actor.person,
            action: AuditAction::Create,
            subject_type: "commitment",
            subject_id: dossier.id.to_string(),
            from_state: None,
            to_state: Some(enum_text(&dossier.state)),
            comment: None,
        },
    )
    .await?;
    applied(db, dossier).await
}

async fn applied(db: &mut DbConnection, dossier: Dossier) -> Result<Outcome, ApiError> {
    let stored = commitments::load(db, dossier.id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("commitment {} was not saved", dossier.id)))?;
    Ok(Outcome::Applied {
        snapshot: Box::new(commitments::snapshot(&stored)),
    })
}

async fn change(
    db: &mut DbConnection,
    context: &Context<'_>,
    operation: &Operation,
    stored: Stored,
    unsaved: &mut Unsaved,
) -> Result<Outcome, ApiError> {
    let Stored {
        mut dossier,
        updated_at,
        change_seq,
        committer_name,
    } = stored;
    let before = dossier.state;
    let actor = context.actor;
    let mut comment = None;
    // A ledger entry is kept in the ledger; the commitment does not change.
    let mut recorded_only = false;
    let (action, result) = match &operation.change {
        Change::Create { .. } => return Ok(denied(Denied::NotVisible)),
        Change::SaveDraft { draft, set_aside } => {
            for version in set_aside {
                commitments::set_aside(db, dossier.id, actor.person, version, context.now).await?;
            }
            (AuditAction::Edit, dossier.edit(actor, draft.clone()))
        }
        Change::Withdraw => (AuditAction::Withdraw, dossier.withdraw(actor)),
        Change::Submit => {
            let cycle = cycle_of(db, &dossier).await?;
            (
                AuditAction::Submit,
                dossier.submit(actor, &cycle, cycle.today(context.now)),
            )
        }
        Change::Review { review } => {
            comment = Some(review.guidance.trim().to_owned()).filter(|g| !g.is_empty());
            let action = match review.decision {
                ReviewDecision::Approve => AuditAction::Approve,
                ReviewDecision::Return => AuditAction::Return,
            };
            (action, dossier.review(actor, review, context.now))
        }
        Change::Sign => {
            let cycle = cycle_of(db, &dossier).await?;
            let number = next_number(db, context.directory, &dossier, &cycle).await?;
            comment = Some(number.clone());
            (AuditAction::Sign, dossier.sign(actor, &cycle, number))
        }
        Change::Publish { display } => {
            let cycle = cycle_of(db, &dossier).await?;
            comment = Some(format!("{} – {}", display.start.trim(), display.end.trim()));
            let today = cycle.today(context.now);
            (
                AuditAction::Publish,
                dossier.publish(actor, &cycle, display, today),
            )
        }
        Change::StepItem { item, step, reason } => {
            let reason = reason.trim();
            comment = Some(if reason.is_empty() {
                item.to_string()
            } else {
                format!("{item}: {reason}")
            });
            let action = match step {
                ItemStep::Claim => AuditAction::ClaimItem,
                ItemStep::CrossOff => AuditAction::CrossOffItem,
                ItemStep::RejectClaim => AuditAction::RejectClaim,
            };
            let today = cycle_of(db, &dossier).await?.today(context.now);
            (
                action,
                dossier.step_item(actor, *item, *step, reason, today),
            )
        }
        Change::EditPlan { item, add, remove } => {
            if let Err(reason) = dossier.check(actor, Action::RecordProgress) {
                return Ok(denied(reason));
            }
            let window = cycle_of(db, &dossier).await?.calendar.fulfilment();
            let mut errors = chengnuo_domain::messages::ValidationErrors::default();
            let mut steps = Vec::new();
            for (n, step) in add.iter().enumerate() {
                match step.parse(&format!("add[{n}]"), window) {
                    Ok(step) => steps.push(step),
                    Err(refused) => errors.0.extend(refused.0),
                }
            }
            comment = Some(item.to_string());
            if errors.is_empty() {
                (
                    AuditAction::EditPlan,
                    dossier.edit_plan(actor, *item, &steps, remove),
                )
            } else {
                (AuditAction::EditPlan, Err(Refusal::Invalid(errors)))
            }
        }
        Change::SelfCheck { round, checks } => {
            if let Err(reason) = dossier.check(actor, Action::SelfCheck) {
                return Ok(denied(reason));
            }
            let Some(by) = actor.person else {
                return Ok(denied(Denied::NotAllowed));
            };
            let items: Vec<_> = dossier.fulfilment.iter().map(|f| f.item).collect();
            let parsed = match open_round(db, context, &dossier, *round).await? {
                Ok(()) => chengnuo_domain::evaluation::parse_self_check(checks, &items),
                Err(errors) => Err(errors),
            };
            comment = Some(round.to_string());
            match parsed {
                Ok(checks) => {
                    crate::store::evaluation::keep_self_check(
                        db,
                        *round,
                        dossier.id,
                        &checks,
                        by,
                        context.now,
                    )
                    .await?;
                    recorded_only = true;
                    (AuditAction::SelfCheck, Ok(()))
                }
                Err(errors) => (AuditAction::SelfCheck, Err(Refusal::Invalid(errors))),
            }
        }
        Change::Assess {
            round,
            by,
            assessment,
        } => {
            if let Err(reason) = dossier.check(actor, by.action()) {
                return Ok(denied(reason));
            }
            let Some(scorer) = actor.person else {
                return Ok(denied(Denied::NotAllowed));
            };
            let parsed = match open_round(db, context, &dossier, *round).await? {
                Ok(()) => assessment.parse(),
                Err(errors) => Err(errors),
            };
            let action = match by {
                Assessor::Leader => AuditAction::LeaderComment,
                Assessor::Organization => AuditAction::AssessOrganization,
            };
            match parsed {
                Ok(assessment) => {
                    comment = Some(format!("{round}: {}", assessment.score.points()));
                    crate::store::evaluation::keep_assessment(
                        db,
                        *round,
                        dossier.id,
                        *by,
                        scorer,
                        &assessment,
                        context.now,
                    )
                    .await?;
                    recorded_only = true;
                    (action, Ok(()))
                }
                Err(errors) => (action, Err(Refusal::Invalid(errors))),
            }
        }
        Change::Rectify {
            order,
            rectify,
            text,
            evidence,
        } => {
            if let Err(reason) = dossier.check(actor, rectify.action()) {
                return Ok(denied(reason));
            }
            let found = crate::store::evaluation::rectification(db, *order)
                .await?
                .filter(|(commitment, _)| *commitment == dossier.id);
            let Some((_, mut held)) = found else {
                return Ok(denied(Denied::NotVisible));
            };
            let today = cycle_of(db, &dossier).await?.today(context.now);
            comment = Some(order.to_string());
            let action = match rectify {
                RectificationStep::Report => AuditAction::RectificationReport,
                RectificationStep::Claim => AuditAction::RectificationClaim,
                RectificationStep::Close => AuditAction::RectificationClose,
                RectificationStep::Return => AuditAction::RectificationReturn,
            };
            let mut files = evidence.clone();
            if let Err(errors) = held_files(db, dossier.id, &mut files).await? {
                return Ok(Outcome::Refused {
                    refusal: Refusal::Invalid(errors),
                });
            }
            match held.take(*rectify, text, files, today) {
                Ok(()) => {
                    crate::store::evaluation::save_rectification(db, &held).await?;
                    recorded_only = true;
                    (action, Ok(()))
                }
                Err(errors) => (action, Err(Refusal::Invalid(errors))),
            }
        }
        Change::RecordProgress { entry } => {
            if let Err(reason) = dossier.check(actor, Action::RecordProgress) {
                return Ok(denied(reason));
            }
            let (Some(by), cycle) = (actor.person, cycle_of(db, &dossier).await?) else {
                return Ok(denied(Denied::NotAllowed));
            };
            let items: Vec<_> = dossier.fulfilment.iter().map(|f| f.item).collect();
            let parsed = entry.parse(
                &items,
                by,
                cycle.today(context.now),
                cycle.calendar.fulfilment(),
            );
            let parsed = match parsed {
                Ok(mut entry) => match attach_files(db, dossier.id, &mut entry).await? {
                    Ok(()) => Ok(entry),
                    Err(errors) => Err(errors),
                },
                Err(errors) => Err(errors),
            };
            match parsed {
                Ok(entry) => {
                    ledger::insert(db, dossier.id, &entry, context.now).await?;
                    comment = Some(entry.item.to_string());
                    recorded_only = true;
                    (AuditAction::RecordProgress, Ok(()))
                }
                Err(errors) => (AuditAction::RecordProgress, Err(Refusal::Invalid(errors))),
            }
        }
    };
    if let Err(refusal) = result {
        return Ok(Outcome::Refused { refusal });
    }
    let revision = dossier.revision;
    let waits = waits_in_memory(context, operation);
    if !waits && !recorded_only {
        commitments::save(db, &dossier, context.now).await?;
    }
    audit::record(
        db,
        audit::Record {
            at: context.now,
            actor: actor.person,
            action,
            subject_type: "commitment",
            subject_id: dossier.id.to_string(),
            from_state: Some(enum_text(&before)),
            to_state: Some(enum_text(&dossier.state)),
            comment,
        },
    )
    .await?;
    if waits {
        unsaved.stored.insert(
            dossier.id,
            Stored {
                dossier,
                updated_at,
                change_seq,
                committer_name,
            },
        );
        return Ok(Outcome::Saved { revision });
    }
    applied(db, dossier).await
}

/// Whether `round` is a round of the commitment's cycle taking input today.
async fn open_round(
    db: &mut DbConnection,
    context: &Context<'_>,
    dossier: &Dossier,
    round: chengnuo_domain::ids::RoundId,
) -> Result<Result<(), ValidationErrors>, ApiError> {
    let cycle = cycle_of(db, dossier).await?;
    let held = crate::store::evaluation::round(db, round)
        .await?
        .filter(|r| r.cycle == dossier.cycle);
    Ok(match held {
        Some(r) if r.takes_input_on(cycle.today(context.now)) => Ok(()),
        _ => {
            let mut errors = ValidationErrors::default();
            errors.push("round", Message::RoundNotOpen);
            Err(errors)
        }
    })
}

/// `2026-经管-007`: the cycle's year, the committee's short name, and the
/// next number among that committee's signed commitments of the cycle.
async fn next_number(
    db: &mut DbConnection,
    directory: &Directory,
    dossier: &Dossier,
    cycle: &Cycle,
) -> Result<String, ApiError> {
    let numbering = directory.numbering(dossier.ancestry.unit(), cycle.year);
    let taken = commitments::count_numbered(db, cycle.id, numbering.stem()).await?;
    Ok(numbering.number(taken + 1))
}
