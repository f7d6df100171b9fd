//! The report package (报送, plan 4.1.4): by the report deadline each committee
//! sends the campaign office its own commitment, every branch commitment under
//! it and every cadre's (section level and above). Ordinary members'
//! commitments stay in the committee's archive.

use crate::commitment::Committer;
use crate::ids::{CommitmentId, CycleId, OrgUnitId, PersonId};
use crate::messages::{Message, ValidationErrors};
use crate::workflow::CommitmentState;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One thing the package must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Required {
    /// The committee's own commitment.
    Own(OrgUnitId),
    /// A branch's commitment.
    Branch(OrgUnitId),
    /// A cadre's commitment (科级及以上).
    Cadre(PersonId),
}

impl Required {
    pub fn committer(self) -> Committer {
        match self {
            Required::Own(unit) | Required::Branch(unit) => Committer::Unit(unit),
            Required::Cadre(person) => Committer::Person(person),
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub required: Required,
    /// The state of its commitment in this cycle, if there is one.
    pub state: Option<CommitmentState>,
}

impl Entry {
    /// It counts once approved (approval moves bottom-up).
    pub fn is_present(&self) -> bool {
        self.state.is_some_and(CommitmentState::is_approved)
    }
}

/// What the package holds and lacks, on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageStatus {
    pub entries: Vec<Entry>,
    pub missing: Vec<Required>,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
    #[serde(default, deserialize_with = "crate::day::de_option")]
    pub submitted_on: Option<NaiveDate>,
    /// Submitted after the deadline, or not submitted and the deadline has passed.
    pub late: bool,
}

impl PackageStatus {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// Whether the package may be sent now: once, and only when every
    /// commitment it needs is approved (or further).
    pub fn check_submission(&self) -> Result<(), SubmissionRefused> {
        if self.submitted_on.is_some() {
            return Err(SubmissionRefused::AlreadySubmitted);
        }
        if !self.is_complete() {
            let mut errors = ValidationErrors::default();
            errors.push(
                "package",
                Message::PackageIncomplete {
                    missing: self.missing.len(),
                },
            );
            return Err(SubmissionRefused::Incomplete(errors));
        }
        Ok(())
    }
}

/// Why a package cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionRefused {
    /// It was sent already (409).
    AlreadySubmitted,
    /// Commitments it needs are not approved yet (422, on the field `package`).
    Incomplete(ValidationErrors),
}

/// What a committee's package must contain.
pub fn required(
    committee: OrgUnitId,
    branches: &[OrgUnitId],
    cadres: &[PersonId],
) -> Vec<Required> {
    std::iter::once(Required::Own(committee))
        .chain(branches.iter().map(|&b| Required::Branch(b)))
        .chain(cadres.iter().map(|&p| Required::Cadre(p)))
        .collect()
}

/// The checklist of a package from the states of the commitments it needs.
pub fn status(
    required: &[Required],
    state_of: impl Fn(Committer) -> Option<CommitmentState>,
    deadline: NaiveDate,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> PackageStatus {
    let entries: Vec<Entry> = required
        .iter()
        .map(|&required| Entry {
            required,
            state: state_of(required.committer()),
        })
        .collect();
    let missing = entries
        .iter()
        .filter(|e| !e.is_present())
        .map(|e| e.required)
        .collect();
    let late = match submitted_on {
        Some(day) => day > deadline,
        None => today > deadline,
    };
    PackageStatus {
        entries,
        missing,
        deadline,
        submitted_on,
        late,
    }
}

/// One line of a package's checklist, with names for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageLine {
    pub required: Required,
    pub committer_name: String,
    pub state: Option<CommitmentState>,
    pub commitment: Option<CommitmentId>,
    pub number: Option<String>,
    /// Approved (or further): it counts.
    pub present: bool,
}

/// A committee's report package: the shared checklist with names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Package {
    pub committee: OrgUnitId,
    pub committee_name: String,
    pub cycle: CycleId,
    pub status: PackageStatus,
    pub lines: Vec<PackageLine>,
    pub submitted_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_lists_what_is_missing_and_whether_it_is_late() {
        let committee = OrgUnitId::new();
        let branches = [OrgUnitId::new(), OrgUnitId::new()];
        let cadre = PersonId::new();
        let needed = required(committee, &branches, &[cadre]);
        assert_eq!(needed.len(), 4);
        let deadline = "2010-11-05".parse().unwrap();
        let state_of = |committer: Committer| match committer {
            Committer::Unit(u) if u == committee => Some(CommitmentState::Published),
            Committer::Unit(u) if u == branches[0] => Some(CommitmentState::Signed),
            Committer::Unit(_) => Some(CommitmentState::Submitted),
            Committer::Person(_) => None,
        };
        let status = status(
            &needed,
            state_of,
            deadline,
            None,
            "2010-11-04".parse().unwrap(),
        );
        assert_eq!(
            status.missing,
            [Required::Branch(branches[1]), Required::Cadre(cadre)]
        );
        assert!(!status.is_complete());
        assert!(!status.late);

        let late = super::status(
            &needed,
            state_of,
            deadline,
            None,
            "2010-11-06".parse().unwrap(),
        );
        assert!(late.late);
        let on_time = super::status(
            &needed,
            |_| Some(CommitmentState::Approved),
            deadline,
            Some(deadline),
            "2010-12-01".parse().unwrap(),
        );
        assert!(on_time.is_complete());
        assert!(!on_time.late);
    }
}
