//! Who may do what (DOMAIN.md section 2): roles, their scope (a subtree of the
//! organization tree), and [`can`], which the server asks on every request and
//! the client asks to hide what a person may not do.
//!
//! The table is [`rule`]: one line per action, to check against DOMAIN.md.

use crate::commitment::{Committer, CommitterKind};
use crate::ids::{OrgUnitId, PersonId};
use crate::org::{Ancestry, OrgUnitKind};
use crate::workflow::CommitmentState;
use serde::{Deserialize, Serialize};

/// A role (角色). Every role is held over a unit and reaches its subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum Role {
    /// 党员: drafts, submits, signs, reports on **their own** commitment; rates peers.
    Member,
    /// 党支部书记 / 支委: the branch commitment; reviews, crosses off, assesses its members.
    BranchSecretary,
    /// 分党委（党总支）书记: the committee commitment; reviews branches; the report package.
    CommitteeSecretary,
    /// 领导: comments (领导点评) on the units and people assigned to them.
    Leader,
    /// 创先争优活动领导小组办公室: reviews committees, configures, supervises everything.
    Office,
}

read_by_name!(Role {
    Member,
    BranchSecretary,
    CommitteeSecretary,
    Leader,
    Office
});

/// A role held over a unit: the scope is that unit and everything under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrant {
    pub role: Role,
    pub unit: OrgUnitId,
}

/// Who is asking: a signed-in person with their grants, or the public.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub person: Option<PersonId>,
    pub grants: Vec<RoleGrant>,
}

impl Actor {
    /// The public (群众): anyone without an account.
    pub fn public() -> Actor {
        Actor::default()
    }

    /// The campaign office acting over the school (the server's
    /// administration commands, run by whoever runs the server).
    pub fn office_of(school: OrgUnitId) -> Actor {
        Actor {
            person: None,
            grants: vec![RoleGrant {
                role: Role::Office,
                unit: school,
            }],
        }
    }

    /// Holds a role over some unit besides being a member (a secretary, a
    /// leader, the office): the screens of review, reports and supervision
    /// are theirs. What they may do to a given target is still [`can`]'s.
    pub fn supervises_some_unit(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::Member)
    }

    fn holds(&self, role: Role, unit: Option<OrgUnitId>) -> bool {
        unit.is_some_and(|unit| self.grants.iter().any(|g| g.role == role && g.unit == unit))
    }

    fn holds_within(&self, roles: &[Role], ancestry: &Ancestry) -> bool {
        self.grants
            .iter()
            .any(|g| roles.contains(&g.role) && ancestry.contains(g.unit))
    }
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    View,
    Edit,
    Submit,
    Withdraw,
    Review,
    Sign,
    Publish,
    RecordProgress,
    ClaimDone,
    SelfCheck,
    CrossOff,
    AssessOrganization,
    LeaderComment,
    Feedback,
    CastBallot,
    RatePeer,
    ModerateFeedback,
    ViewAudit,
    /// The grade and composite of a closed round (public once published).
    ViewGrade,
    /// The breakdown behind a grade: leader, mass and organization scores,
    /// ballots counted, caps.
    ViewScores,
    /// The rectification orders of a commitment.
    ViewRectification,
    /// The whole ledger of a commitment: the entries not made public and
    /// their files (the public, and other members, see the public ones).
    ViewLedger,
    SubmitReport,
    ViewReports,
    ConfigureCycle,
    ManageAccounts,
    /// 群众评议: issue, count and void a unit's one-time ballot codes.
    IssueBallotCodes,
    /// 督查: a unit's supervision dashboard (its subtree's counts and rows).
    Supervise,
    /// 情况通报: publish a progress notice to a unit's scope.
    PublishCircular,
    /// 征求意见: read, answer and moderate the suggestions left for a unit.
    AnswerSuggestions,
    /// 简报: nominate a crossed-off item or a ledger entry as good practice.
    NominatePractice,
    /// 简报: the committer agrees (or not) to a nominated practice being published.
    ConsentToPublication,
    /// 简报: compose and publish a bulletin of good practice (the campaign).
    ComposeBulletin,
}

impl Action {
    pub const ALL: [Action; 33] = [
        Action::View,
        Action::Edit,
        Action::Submit,
        Action::Withdraw,
        Action::Review,
        Action::Sign,
        Action::Publish,
        Action::RecordProgress,
        Action::ClaimDone,
        Action::SelfCheck,
        Action::CrossOff,
        Action::AssessOrganization,
        Action::LeaderComment,
        Action::Feedback,
        Action::CastBallot,
        Action::RatePeer,
        Action::ModerateFeedback,
        Action::ViewAudit,
        Action::ViewGrade,
        Action::ViewScores,
        Action::ViewRectification,
        Action::ViewLedger,
        Action::SubmitReport,
        Action::ViewReports,
        Action::ConfigureCycle,
        Action::ManageAccounts,
        Action::IssueBallotCodes,
        Action::Supervise,
        Action::PublishCircular,
        Action::AnswerSuggestions,
        Action::NominatePractice,
        Action::ConsentToPublication,
        Action::ComposeBulletin,
    ];
}

/// A commitment as the permission check sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentTarget {
    pub committer: Committer,
    pub kind: CommitterKind,
    /// For a person, their branch first; for a unit, the unit itself first.
    pub ancestry: Ancestry,
    pub state: CommitmentState,
}

/// What an action is done to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Target {
    Commitment(CommitmentTarget),
    /// A unit, e.g. a committee's report package.
    Unit {
        kind: OrgUnitKind,
        ancestry: Ancestry,
    },
    /// The campaign as a whole: cycles, accounts, the org tree.
    Campaign,
}

/// Who, relative to the target, may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not.
    Anyone,
    /// The committer: the person, or the secretary of the committing unit.
    Author,
    /// The parent unit: branch secretary for members (committee secretary as
    /// well, so a branch secretary's own commitment has a reviewer), committee
    /// secretary for branches, the office for committees. Never the author.
    Reviewer,
    /// A secretary or the office whose unit is the target's or above it.
    Secretary,
    /// The author, or anyone supervising the subtree (secretaries, leaders,
    /// office); a published commitment is visible to all, so for it this is anyone.
    AuthorOrSupervisor,
    /// The author, or anyone supervising the subtree, published or not.
    AuthorOrAbove,
    /// A leader assigned to the target's unit or above, on a unit's
    /// commitment or a cadre's (领导点评: the committee's own, its branches',
    /// its cadres'; other members are assessed by the masses and their branch).
    Leader,
    /// Another member of the same branch (never oneself).
    Peer,
    /// The secretary of the target unit itself.
    UnitSecretary,
    /// A secretary, leader or the office over the target unit.
    UnitSupervisor,
    /// The secretary of the target unit itself, or the office.
    UnitSecretaryOrOffice,
    /// The campaign office.
    Office,
}

/// One line of the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub who: Who,
    /// The states of the commitment in which the action is possible (empty: any).
    pub states: &'static [CommitmentState],
}

const ANY: &[CommitmentState] = &[];
const EDITABLE: &[CommitmentState] = &[CommitmentState::Draft, CommitmentState::Returned];
const SUBMITTED: &[CommitmentState] = &[CommitmentState::Submitted];
const APPROVED: &[CommitmentState] = &[CommitmentState::Approved];
const SIGNED: &[CommitmentState] = &[CommitmentState::Signed];
const IN_FORCE: &[CommitmentState] = &[CommitmentState::Signed, CommitmentState::Published];
const PUBLISHED: &[CommitmentState] = &[CommitmentState::Published];

/// The permission table (DOMAIN.md section 2, states from section 4).
pub fn rule(action: Action) -> Rule {
    let (who, states) = match action {
        Action::View => (Who::AuthorOrSupervisor, ANY),
        Action::Edit => (Who::Author, EDITABLE),
        Action::Submit => (Who::Author, EDITABLE),
        Action::Withdraw => (Who::Author, SUBMITTED),
        Action::Review => (Who::Reviewer, SUBMITTED),
        Action::Sign => (Who::Author, APPROVED),
        Action::Publish => (Who::Secretary, SIGNED),
        Action::RecordProgress => (Who::Author, IN_FORCE),
        Action::ClaimDone => (Who::Author, IN_FORCE),
        Action::SelfCheck => (Who::Author, IN_FORCE),
        Action::CrossOff => (Who::Reviewer, IN_FORCE),
        Action::AssessOrganization => (Who::Reviewer, IN_FORCE),
        Action::LeaderComment => (Who::Leader, IN_FORCE),
        Action::Feedback => (Who::Anyone, PUBLISHED),
        Action::CastBallot => (Who::Anyone, PUBLISHED),
        Action::RatePeer => (Who::Peer, PUBLISHED),
        Action::ModerateFeedback => (Who::Secretary, PUBLISHED),
        Action::ViewAudit => (Who::AuthorOrSupervisor, ANY),
        // Results (DOMAIN.md 5: "closed results are published"): the grade
        // of a published commitment is everyone's; what it is made of, and
        // what must be rectified, are the committer's and the chain above's.
        Action::ViewGrade => (Who::Anyone, PUBLISHED),
        Action::ViewScores => (Who::AuthorOrAbove, ANY),
        Action::ViewRectification => (Who::AuthorOrAbove, ANY),
        Action::ViewLedger => (Who::AuthorOrAbove, ANY),
        Action::SubmitReport => (Who::UnitSecretary, ANY),
        Action::ViewReports => (Who::UnitSupervisor, ANY),
        Action::ConfigureCycle => (Who::Office, ANY),
        Action::ManageAccounts => (Who::Office, ANY),
        Action::IssueBallotCodes => (Who::UnitSecretaryOrOffice, ANY),
        Action::Supervise => (Who::UnitSupervisor, ANY),
        Action::PublishCircular => (Who::UnitSecretaryOrOffice, ANY),
        Action::AnswerSuggestions => (Who::UnitSecretaryOrOffice, ANY),
        // 简报: a published commitment's practice, nominated by a secretary
        // over it (the office included), printed only with the committer's
        // consent, composed by the office for the whole campaign.
        Action::NominatePractice => (Who::Secretary, PUBLISHED),
        Action::ConsentToPublication => (Who::Author, PUBLISHED),
        Action::ComposeBulletin => (Who::Office, ANY),
    };
    Rule { who, states }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Denied {
    /// The actor may not even see the target: answer as if it did not exist (404).
    #[error("not visible")]
    NotVisible,
    /// The actor sees it but may not do this (403).
    #[error("not allowed")]
    NotAllowed,
    /// Allowed, but not in this state (409).
    #[error("not possible in state {0:?}")]
    WrongState(CommitmentState),
    /// The action does not apply to this kind of target.
    #[error("the action does not apply to this target")]
    WrongTarget,
}

/// May `actor` do `action` to `target`? The one question asked everywhere.
pub fn can(actor: &Actor, action: Action, target: &Target) -> Result<(), Denied> {
    let rule = rule(action);
    match target {
        Target::Commitment(commitment) => {
            let published = commitment.state == CommitmentState::Published;
            let visible = published
                || is_author(actor, commitment)
                || is_supervisor(actor, &commitment.ancestry);
            if !visible {
                return Err(Denied::NotVisible);
            }
            let allowed = match rule.who {
                Who::Anyone => true,
                Who::Author => is_author(actor, commitment),
                Who::Reviewer => is_reviewer(actor, commitment),
                Who::Secretary => is_secretary_over(actor, &commitment.ancestry),
                Who::AuthorOrSupervisor => true, // visibility above is this rule
                Who::AuthorOrAbove => {
                    is_author(actor, commitment) || is_supervisor(actor, &commitment.ancestry)
                }
                Who::Leader => {
                    actor.holds_within(&[Role::Leader], &commitment.ancestry)
                        && commitment.kind.assessed_by_leaders()
                }
                Who::Peer => is_peer(actor, commitment),
                Who::UnitSecretary
                | Who::UnitSupervisor
                | Who::UnitSecretaryOrOffice
                | Who::Office => return Err(Denied::WrongTarget),
            };
            if !allowed {
                return Err(Denied::NotAllowed);
            }
            if !rule.states.is_empty() && !rule.states.contains(&commitment.state) {
                return Err(Denied::WrongState(commitment.state));
            }
            Ok(())
        }
        Target::Unit { kind, ancestry } => {
            let allowed = match rule.who {
                Who::UnitSecretary => actor.holds(unit_secretary_role(*kind), ancestry.unit()),
                Who::UnitSecretaryOrOffice => {
                    is_office(actor) || actor.holds(unit_secretary_role(*kind), ancestry.unit())
                }
                Who::UnitSupervisor => actor.holds_within(
                    &[
                        Role::BranchSecretary,
                        Role::CommitteeSecretary,
                        Role::Leader,
                        Role::Office,
                    ],
                    ancestry,
                ),
                Who::Office => is_office(actor),
                _ => return Err(Denied::WrongTarget),
            };
            if !allowed {
                return Err(if is_supervisor(actor, ancestry) {
                    Denied::NotAllowed
                } else {
                    Denied::NotVisible
                });
            }
            Ok(())
        }
        Target::Campaign => match rule.who {
            Who::Office if is_office(actor) => Ok(()),
            Who::Office => Err(Denied::NotAllowed),
            _ => Err(Denied::WrongTarget),
        },
    }
}

/// Whether a commitment belongs on the actor's device (what sync sends it):
/// their own, in any cycle, and in the current cycle those they supervise,
/// in any state. Others' published commitments are the public board's, read
/// online: a phone holds what its owner works with, not the whole university.
pub fn on_device(actor: &Actor, target: &CommitmentTarget, current_cycle: bool) -> bool {
    is_author(actor, target) || (current_cycle && is_supervisor(actor, &target.ancestry))
}

fn unit_secretary_role(kind: OrgUnitKind) -> Role {
    match kind {
        OrgUnitKind::School => Role::Office,
        OrgUnitKind::Committee => Role::CommitteeSecretary,
        OrgUnitKind::Branch(_) => Role::BranchSecretary,
    }
}

fn is_office(actor: &Actor) -> bool {
    actor.grants.iter().any(|g| g.role == Role::Office)
}

fn is_author(actor: &Actor, target: &CommitmentTarget) -> bool {
    match target.committer {
        Committer::Person(person) => actor.person == Some(person),
        Committer::Unit(unit) => match target.kind {
            CommitterKind::School => actor.holds(Role::Office, Some(unit)),
            CommitterKind::Committee => actor.holds(Role::CommitteeSecretary, Some(unit)),
            CommitterKind::Branch { .. } => actor.holds(Role::BranchSecretary, Some(unit)),
            CommitterKind::Member { .. } => false,
        },
    }
}

fn is_supervisor(actor: &Actor, ancestry: &Ancestry) -> bool {
    is_office(actor)
        || actor.holds_within(
            &[
                Role::BranchSecretary,
                Role::CommitteeSecretary,
                Role::Leader,
            ],
            ancestry,
        )
}

fn is_secretary_over(actor: &Actor, ancestry: &Ancestry) -> bool {
    is_office(actor)
        || actor.holds_within(&[Role::BranchSecretary, Role::CommitteeSecretary], ancestry)
}

fn is_reviewer(actor: &Actor, target: &CommitmentTarget) -> bool {
    if is_author(actor, target) {
        return false;
    }
    match target.kind {
        CommitterKind::Member { .. } => {
            actor.holds(Role::BranchSecretary, target.ancestry.unit())
                || actor.holds(Role::CommitteeSecretary, target.ancestry.parent())
        }
        CommitterKind::Branch { .. } => {
            actor.holds(Role::CommitteeSecretary, target.ancestry.parent())
        }
        CommitterKind::Committee => is_office(actor),
        CommitterKind::School => false,
    }
}

fn is_peer(actor: &Actor, target: &CommitmentTarget) -> bool {
    match target.committer {
        Committer::Person(person) => {
            actor.person.is_some_and(|me| me != person)
                && actor.holds(Role::Member, target.ancestry.unit())
        }
        Committer::Unit(_) => false,
    }
}
