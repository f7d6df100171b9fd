//! A commitment with everything that happened to it (承诺档案): its text, its
//! state, its reviews, its display window and the fulfilment of its items.
//! Every step checks the permission table, the workflow and the form rules in
//! that order, and changes nothing when refused; the server applies requests
//! and sync operations through these methods, the client previews them.

use crate::commitment::{Commitment, CommitmentDraft, Committer, CommitterKind};
use crate::cycle::{Cycle, DateWindow};
use crate::evaluation::ItemStanding;
use crate::ids::{CommitmentId, CycleId, ItemId};
use crate::locale::Locale;
use crate::messages::{Message, ValidationErrors};
use crate::org::Ancestry;
use crate::permission::{can, on_device, Action, Actor, CommitmentTarget, Denied, Target};
use crate::publication::DisplayDraft;
use crate::review::{Review, ReviewDecision, ReviewDraft};
use crate::sync::Revision;
use crate::validation::CommitmentRules;
use crate::workflow::{
    next_state, CommitmentState, ItemState, ItemStep, Transition, WrongItemState,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why a step was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Refusal {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    #[error("{0}")]
    Item(#[from] WrongItemState),
    #[error("no such item")]
    UnknownItem,
}

pub use crate::ledger::ItemFulfilment;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dossier {
    pub id: CommitmentId,
    pub cycle: CycleId,
    pub committer: Committer,
    pub kind: CommitterKind,
    /// The committer's place in the tree (a person's branch first).
    pub ancestry: Ancestry,
    pub state: CommitmentState,
    pub revision: Revision,
    pub draft: CommitmentDraft,
    /// The final text, fixed at signing.
    pub signed: Option<Commitment>,
    pub number: Option<String>,
    pub reviews: Vec<Review>,
    pub display: Option<DateWindow>,
    pub fulfilment: Vec<ItemFulfilment>,
}

impl Dossier {
    /// A new draft, revision 1.
    pub fn new(
        id: CommitmentId,
        cycle: CycleId,
        committer: Committer,
        kind: CommitterKind,
        ancestry: Ancestry,
        draft: CommitmentDraft,
    ) -> Dossier {
        Dossier {
            id,
            cycle,
            committer,
            kind,
            ancestry,
            state: CommitmentState::Draft,
            revision: Revision(1),
            draft,
            signed: None,
            number: None,
            reviews: Vec::new(),
            display: None,
            fulfilment: Vec::new(),
        }
    }

    /// The commitment as the permission check sees it.
    pub fn target(&self) -> Target {
        Target::Commitment(self.commitment_target())
    }

    pub fn commitment_target(&self) -> CommitmentTarget {
        CommitmentTarget {
            committer: self.committer,
            kind: self.kind,
            ancestry: self.ancestry.clone(),
            state: self.state,
        }
    }

    /// Whether sync sends it to the actor's device ([`on_device`]).
    pub fn on_device(&self, actor: &Actor, current_cycle: Option<CycleId>) -> bool {
        on_device(
            actor,
            &self.commitment_target(),
            current_cycle == Some(self.cycle),
        )
    }

    pub fn check(&self, actor: &Actor, action: Action) -> Result<(), Denied> {
        can(actor, action, &self.target())
    }

    fn transition(&mut self, transition: Transition) -> Result<(), Refusal> {
        self.state = next_state(self.state, transition).map_err(|e| Denied::WrongState(e.from))?;
        self.revision = self.revision.next();
        Ok(())
    }

    /// Replaces the text of a draft or a returned commitment. Any text is kept,
    /// finished or not, within the form's limits (`check_limits`). Every applied
    /// edit makes a revision, even one that changes nothing, so a client can
    /// count the revision its queued operations will reach.
    pub fn edit(&mut self, actor: &Actor, draft: CommitmentDraft) -> Result<(), Refusal> {
        self.check(actor, Action::Edit)?;
        draft.check_limits()?;
        self.draft = draft;
        self.revision = self.revision.next();
        Ok(())
    }

    /// Submits for review: the text must parse and no deadline may have passed.
    pub fn submit(
        &mut self,
        actor: &Actor,
        cycle: &Cycle,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        self.check(actor, Action::Submit)?;
        self.draft
            .parse_for_submission(&CommitmentRules::new(self.kind, cycle), today)?;
        self.transition(Transition::Submit)
    }

    /// Takes back a submission nobody has reviewed yet: a draft again.
    pub fn withdraw(&mut self, actor: &Actor) -> Result<(), Refusal> {
        self.check(actor, Action::Withdraw)?;
        self.transition(Transition::Withdraw)
    }

    /// Approves (all five criteria) or returns (with guidance).
    pub fn review(
        &mut self,
        actor: &Actor,
        review: &ReviewDraft,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        self.check(actor, Action::Review)?;
        let reviewer = actor.person.ok_or(Denied::NotAllowed)?;
        let review = review.parse(reviewer, now)?;
        self.transition(match review.decision {
            ReviewDecision::Approve => Transition::Approve,
            ReviewDecision::Return => Transition::Return,
        })?;
        self.reviews.push(review);
        Ok(())
    }

    /// The committer confirms the approved text: it is fixed and numbered.
    pub fn sign(&mut self, actor: &Actor, cycle: &Cycle, number: String) -> Result<(), Refusal> {
        self.check(actor, Action::Sign)?;
        let commitment = self.draft.parse(&CommitmentRules::new(self.kind, cycle))?;
        self.transition(Transition::Sign)?;
        self.fulfilment = commitment
            .items()
            .iter()
            .map(|item| ItemFulfilment {
                item: item.id(),
                deadline: item.deadline(),
                state: ItemState::Open,
                returned: None,
                crossed_off_on: None,
                plan: Vec::new(),
            })
            .collect();
        self.signed = Some(commitment);
        self.number = Some(number);
        Ok(())
    }

    /// Publishes on the public board for at least the cycle's minimum days.
    pub fn publish(
        &mut self,
        actor: &Actor,
        cycle: &Cycle,
        display: &DisplayDraft,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        self.check(actor, Action::Publish)?;
        let window = display.parse(cycle, today)?;
        self.transition(Transition::Publish)?;
        self.display = Some(window);
        Ok(())
    }

    /// The committer edits an item's implementation plan (while the item is
    /// open: a claimed or crossed-off item's plan stays as it was).
    pub fn edit_plan(
        &mut self,
        actor: &Actor,
        item: ItemId,
        add: &[crate::ledger::PlanStep],
        remove: &[crate::ledger::PlanStep],
    ) -> Result<(), Refusal> {
        self.check(actor, Action::RecordProgress)?;
        let entry = self
            .fulfilment
            .iter_mut()
            .find(|f| f.item == item)
            .ok_or(Refusal::UnknownItem)?;
        if entry.state != ItemState::Open {
            return Err(Refusal::Item(WrongItemState {
                from: entry.state,
                step: ItemStep::Claim,
            }));
        }
        entry.plan = crate::ledger::edit_plan(&entry.plan, add, remove)?;
        self.revision = self.revision.next();
        Ok(())
    }

    /// A fulfilment step on one item on the day `on`: the author claims, the parent unit
    /// crosses off or sends the claim back (with a reason).
    pub fn step_item(
        &mut self,
        actor: &Actor,
        item: ItemId,
        step: ItemStep,
        reason: &str,
        on: NaiveDate,
    ) -> Result<(), Refusal> {
        let action = match step {
            ItemStep::Claim => Action::ClaimDone,
            ItemStep::CrossOff | ItemStep::RejectClaim => Action::CrossOff,
        };
        self.check(actor, action)?;
        if step == ItemStep::RejectClaim && reason.trim().is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push("reason", Message::ReasonRequired);
            return Err(errors.into());
        }
        let entry = self
            .fulfilment
            .iter_mut()
            .find(|f| f.item == item)
            .ok_or(Refusal::UnknownItem)?;
        entry.state = entry.state.after(step)?;
        entry.returned = match step {
            ItemStep::RejectClaim => Some(reason.trim().to_owned()),
            ItemStep::Claim | ItemStep::CrossOff => None,
        };
        entry.crossed_off_on = (step == ItemStep::CrossOff).then_some(on);
        self.revision = self.revision.next();
        Ok(())
    }

    /// The items as a round's scoring sees them.
    pub fn standings(&self) -> Vec<ItemStanding> {
        self.fulfilment
            .iter()
            .map(|f| ItemStanding {
                item: f.item,
                state: f.state,
                deadline: f.deadline,
            })
            .collect()
    }
}

impl Refusal {
    /// Why, in a sentence for a person (field refusals: the first field's message).
    pub fn text(&self, locale: Locale) -> String {
        match (self, locale) {
            (Refusal::Denied(denied), _) => denied.text(locale),
            (Refusal::Invalid(errors), _) => errors
                .0
                .iter()
                .map(|e| e.message.text(locale))
                .collect::<Vec<_>>()
                .join(" "),
            (Refusal::Item(wrong), Locale::Zh) => match wrong.from {
                ItemState::Open => "该事项尚未申请销号。".into(),
                ItemState::ClaimedDone => "该事项已申请销号，正等待审核。".into(),
                ItemState::CrossedOff => "该事项已销号。".into(),
            },
            (Refusal::Item(wrong), Locale::En) => match wrong.from {
                ItemState::Open => "This item has not been claimed done.".into(),
                ItemState::ClaimedDone => "This item is claimed done and waits for review.".into(),
                ItemState::CrossedOff => "This item is already crossed off.".into(),
            },
            (Refusal::UnknownItem, Locale::Zh) => "这份承诺书没有这一事项。".into(),
            (Refusal::UnknownItem, Locale::En) => "This commitment has no such item.".into(),
        }
    }
}
