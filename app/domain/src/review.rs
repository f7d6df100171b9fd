//! The review (组织审核, plan 4.1.2): the parent unit checks a submitted
//! commitment against five criteria, judges it neither too high nor too low,
//! and approves it or returns it with guidance.

use crate::ids::PersonId;
use crate::messages::{Message, ValidationErrors};
use crate::validation::{optional_text, MAX_REMARK};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The five criteria of the plan (审核指导重点), each ticked by the reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Criteria {
    /// 是否体现先进性要求: reflects the vanguard standard.
    pub vanguard: bool,
    /// 是否体现以正在干的事情为中心: centred on the work in hand.
    pub centred_on_work: bool,
    /// 是否体现岗位、职责特点: fits the post and its duties.
    pub fits_post: bool,
    /// 是否符合师生意愿: matches teachers' and students' wishes.
    pub matches_wishes: bool,
    /// 是否切实可行: feasible.
    pub feasible: bool,
}

impl Criteria {
    pub fn all() -> Criteria {
        Criteria {
            vanguard: true,
            centred_on_work: true,
            fits_post: true,
            matches_wishes: true,
            feasible: true,
        }
    }

    pub fn are_all_met(&self) -> bool {
        self.vanguard
            && self.centred_on_work
            && self.fits_post
            && self.matches_wishes
            && self.feasible
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum ReviewDecision {
    /// 审核通过: needs all five criteria.
    Approve,
    /// 退回修改: needs written guidance (指导意见).
    Return,
}

read_by_name!(ReviewDecision { Approve, Return });

/// A review as the reviewer fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDraft {
    pub criteria: Criteria,
    pub decision: ReviewDecision,
    #[serde(default)]
    pub guidance: String,
}

/// A recorded review: one round in the commitment's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub criteria: Criteria,
    pub decision: ReviewDecision,
    pub guidance: Option<String>,
    pub reviewer: PersonId,
    #[serde(deserialize_with = "crate::day::de_instant")]
    pub at: DateTime<Utc>,
}

impl ReviewDraft {
    /// Approve needs all five criteria; return needs guidance.
    pub fn parse(&self, reviewer: PersonId, at: DateTime<Utc>) -> Result<Review, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let guidance = optional_text(&mut errors, "guidance", &self.guidance, MAX_REMARK);
        match self.decision {
            ReviewDecision::Approve if !self.criteria.are_all_met() => {
                errors.push("criteria", Message::CriteriaIncomplete)
            }
            ReviewDecision::Return if guidance.is_none() => {
                errors.push("guidance", Message::GuidanceRequired)
            }
            _ => {}
        }
        errors.into_result(|| Review {
            criteria: self.criteria,
            decision: self.decision,
            guidance,
            reviewer,
            at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2010-10-23T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn approval_needs_all_five_criteria() {
        let mut draft = ReviewDraft {
            criteria: Criteria::all(),
            decision: ReviewDecision::Approve,
            guidance: String::new(),
        };
        let review = draft.parse(PersonId::new(), now()).unwrap();
        assert_eq!(review.decision, ReviewDecision::Approve);
        assert_eq!(review.guidance, None);
        draft.criteria.feasible = false;
        let errors = draft.parse(PersonId::new(), now()).unwrap_err();
        assert_eq!(errors.0[0].field, "criteria");
        assert_eq!(errors.0[0].message, Message::CriteriaIncomplete);
    }

    #[test]
    fn returning_needs_guidance() {
        let mut draft = ReviewDraft {
            criteria: Criteria::default(),
            decision: ReviewDecision::Return,
            guidance: "  ".into(),
        };
        let errors = draft.parse(PersonId::new(), now()).unwrap_err();
        assert_eq!(errors.0[0].message, Message::GuidanceRequired);
        draft.guidance = "第二项措施不够具体，请写明每月的安排".into();
        let review = draft.parse(PersonId::new(), now()).unwrap();
        assert_eq!(
            review.guidance.as_deref(),
            Some("第二项措施不够具体，请写明每月的安排")
        );
    }

    #[test]
    fn guidance_is_bounded() {
        let draft = ReviewDraft {
            criteria: Criteria::all(),
            decision: ReviewDecision::Return,
            guidance: "改".repeat(MAX_REMARK + 1),
        };
        assert_eq!(
            draft.parse(PersonId::new(), now()).unwrap_err().0[0].message,
            Message::TooLong { max: MAX_REMARK }
        );
    }
}
