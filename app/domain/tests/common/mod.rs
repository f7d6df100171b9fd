//! A small university for the domain tests: the school with its office, two
//! committees, a teaching branch under the first and a student branch under
//! the second, and the people who act in them.

#![allow(dead_code)]

use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{Ancestry, BranchKind, MemberCategory, OrgUnitKind};
use chengnuo_domain::permission::{Actor, CommitmentTarget, Role, RoleGrant, Target};
use chengnuo_domain::workflow::CommitmentState;

pub struct University {
    pub school: OrgUnitId,
    pub committee: OrgUnitId,
    pub other_committee: OrgUnitId,
    pub branch: OrgUnitId,
    pub other_branch: OrgUnitId,
    pub member: PersonId,
    pub peer: PersonId,
    pub branch_secretary: PersonId,
    pub committee_secretary: PersonId,
    pub leader: PersonId,
    pub office: PersonId,
    pub stranger: PersonId,
    pub other_secretary: PersonId,
}

impl University {
    pub fn new() -> University {
        University {
            school: OrgUnitId::new(),
            committee: OrgUnitId::new(),
            other_committee: OrgUnitId::new(),
            branch: OrgUnitId::new(),
            other_branch: OrgUnitId::new(),
            member: PersonId::new(),
            peer: PersonId::new(),
            branch_secretary: PersonId::new(),
            committee_secretary: PersonId::new(),
            leader: PersonId::new(),
            office: PersonId::new(),
            stranger: PersonId::new(),
            other_secretary: PersonId::new(),
        }
    }

    pub fn ancestry(&self, unit: OrgUnitId) -> Ancestry {
        let parent = |u: OrgUnitId| {
            if u == self.branch {
                Some(self.committee)
            } else if u == self.other_branch {
                Some(self.other_committee)
            } else if u == self.committee || u == self.other_committee {
                Some(self.school)
            } else {
                None
            }
        };
        Ancestry::of(unit, parent)
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

    pub fn as_member(&self) -> Actor {
        Self::actor(self.member, &[(Role::Member, self.branch)])
    }
    pub fn as_peer(&self) -> Actor {
        Self::actor(self.peer, &[(Role::Member, self.branch)])
    }
    pub fn as_branch_secretary(&self) -> Actor {
        Self::actor(
            self.branch_secretary,
            &[
                (Role::Member, self.branch),
                (Role::BranchSecretary, self.branch),
            ],
        )
    }
    pub fn as_committee_secretary(&self) -> Actor {
        Self::actor(
            self.committee_secretary,
            &[(Role::CommitteeSecretary, self.committee)],
        )
    }
    pub fn as_leader(&self) -> Actor {
        Self::actor(self.leader, &[(Role::Leader, self.committee)])
    }
    pub fn as_office(&self) -> Actor {
        Self::actor(self.office, &[(Role::Office, self.school)])
    }
    /// A member of the other branch.
    pub fn as_stranger(&self) -> Actor {
        Self::actor(self.stranger, &[(Role::Member, self.other_branch)])
    }
    /// The secretary of the other committee.
    pub fn as_other_secretary(&self) -> Actor {
        Self::actor(
            self.other_secretary,
            &[(Role::CommitteeSecretary, self.other_committee)],
        )
    }

    pub fn member_commitment(&self, state: CommitmentState) -> Target {
        self.person_commitment(self.member, self.branch, state)
    }

    pub fn person_commitment(
        &self,
        person: PersonId,
        branch: OrgUnitId,
        state: CommitmentState,
    ) -> Target {
        Target::Commitment(CommitmentTarget {
            committer: Committer::Person(person),
            kind: CommitterKind::Member {
                category: MemberCategory::Teacher,
                cadre_rank: None,
                is_activist: false,
            },
            ancestry: self.ancestry(branch),
            state,
        })
    }

    pub fn branch_commitment(&self, branch: OrgUnitId, state: CommitmentState) -> Target {
        Target::Commitment(CommitmentTarget {
            committer: Committer::Unit(branch),
            kind: CommitterKind::Branch {
                kind: BranchKind::Teaching,
            },
            ancestry: self.ancestry(branch),
            state,
        })
    }

    pub fn committee_commitment(&self, committee: OrgUnitId, state: CommitmentState) -> Target {
        Target::Commitment(CommitmentTarget {
            committer: Committer::Unit(committee),
            kind: CommitterKind::Committee,
            ancestry: self.ancestry(committee),
            state,
        })
    }

    pub fn committee_unit(&self, committee: OrgUnitId) -> Target {
        Target::Unit {
            kind: OrgUnitKind::Committee,
            ancestry: self.ancestry(committee),
        }
    }

    pub fn branch_unit(&self, branch: OrgUnitId) -> Target {
        Target::Unit {
            kind: OrgUnitKind::Branch(chengnuo_domain::org::BranchKind::Teaching),
            ancestry: self.ancestry(branch),
        }
    }
}
