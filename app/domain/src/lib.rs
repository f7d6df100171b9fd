//! # Chengnuo domain: the public commitment and its assessment (公开承诺和考核评议)
//!
//! One code for the browser and the server: the types of the forms, their
//! validation, the workflow and its permission table, and the scoring. The
//! server is the authority; the browser runs the very same rules so that a
//! member drafting offline sees exactly what the server will decide.
//!
//! Nothing here reads the clock: every rule that depends on time takes
//! "today" or "now" as an argument, so a test can walk through a whole cycle.
//!
//! | module | the plan's words |
//! |---|---|
//! | [`administration`] | the office runs the school: the roster file, accounts, roles |
//! | [`circular`] | 情况通报: a numbered progress notice generated from the dashboard |
//! | [`consultation`] | 调研、征求意见: suggestions before drafting, answered, adopted into the needs summary |
//! | [`org`] | 学校党委 / 分党委（党总支）/ 党支部 / 党员 |
//! | [`cycle`] | the yearly campaign and its calendar (调研、审核、签署、公示、报送、践诺、考评) |
//! | [`commitment`] | 公开承诺书: items 承诺事项, measures 具体措施, deadlines 完成时限 |
//! | [`validation`] | the rules a commitment must meet |
//! | [`messages`] | what a refusal says, in Chinese and English |
//! | [`workflow`] | 起草 → 提交 → 退回/通过 → 签署 → 公示; 兑现销号; 限期整改 |
//! | [`permission`] | who may do what: 党员、支部书记、分党委书记、领导、活动办公室、群众 |
//! | [`dossier`] | 承诺档案: one commitment and every step taken on it |
//! | [`review`] | 组织审核: the five criteria, approve or return with guidance |
//! | [`publication`] | 公开展示: the display window (不少于7天) |
//! | [`ledger`] | 台帐: dated progress entries per item |
//! | [`evaluation`] | 考核评议: 领导点评、群众评议、组织考核, the composite and the grade |
//! | [`report`] | 报送: what a committee's package must hold |
//! | [`supervision`] | 督查: per unit, commitments by state, reports, items, ballots, grades |
//! | [`sync`] | offline sync: messages, the device's replica, the engine, the three-way merge, the server's decision |
//! | [`todo`] | 待办: overdue and due items, claims and reviews waiting, windows closing |

/// `TryFrom<String>` for an enum of unit variants, by the variants' names.
/// With `#[serde(try_from = "String")]` such an enum is read through the one
/// string reader they all share instead of serde's derived enum reader
/// (about a kilobyte of wasm each in the browser's first load); it is
/// written as before, by its derived `Serialize` (the variant's name).
/// Every variant must be listed: the tests' exhaustive `name` says so.
macro_rules! read_by_name {
    ($ty:ident { $($variant:ident),* $(,)? }) => {
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(name: String) -> Result<Self, String> {
                match name.as_str() {
                    $(stringify!($variant) => Ok($ty::$variant),)*
                    other => Err(format!("unknown variant `{other}`")),
                }
            }
        }

        #[cfg(test)]
        impl $ty {
            /// Every variant (a variant missing from the list does not compile).
            pub(crate) fn every_by_name() -> Vec<($ty, &'static str)> {
                let name = |v: $ty| match v {
                    $($ty::$variant => stringify!($variant),)*
                };
                vec![$(($ty::$variant, name($ty::$variant)),)*]
            }
        }
    };
}

pub mod account;
pub mod administration;
pub mod audit;
pub mod bulletin;
pub mod circular;
pub mod commitment;
pub mod consultation;
pub mod cycle;
pub mod cycle_draft;
pub mod day;
pub mod dossier;
pub mod evaluation;
pub mod evidence;
pub mod feedback;
pub mod ids;
pub mod ledger;
pub mod locale;
pub mod mass_evaluation;
pub mod messages;
pub mod names;
#[cfg(feature = "openapi")]
mod openapi;
pub mod org;
pub mod permission;
pub mod publication;
pub mod report;
pub mod review;
pub mod sorting;
pub mod supervision;
pub mod sync;
pub mod todo;
pub mod todo_feed;
pub mod validation;
pub mod workflow;

pub use locale::Locale;

#[cfg(test)]
mod read_by_name_tests {
    use serde::{de::DeserializeOwned, Serialize};

    fn reads_what_it_writes<
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Copy,
    >(
        every: Vec<(T, &'static str)>,
    ) {
        for (value, name) in every {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{name}\""), "written by its name");
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
        }
        assert!(serde_json::from_str::<T>("\"NoSuchVariant\"").is_err());
        assert!(serde_json::from_str::<T>("3").is_err());
    }

    #[test]
    fn enums_read_by_name_read_what_they_write() {
        use crate::{evaluation, evidence, org, permission, review, workflow};
        reads_what_it_writes(org::BranchKind::every_by_name());
        reads_what_it_writes(org::CadreRank::every_by_name());
        reads_what_it_writes(org::MemberCategory::every_by_name());
        reads_what_it_writes(workflow::CommitmentState::every_by_name());
        reads_what_it_writes(workflow::ItemStep::every_by_name());
        reads_what_it_writes(workflow::ItemState::every_by_name());
        reads_what_it_writes(permission::Role::every_by_name());
        reads_what_it_writes(evidence::EvidenceKind::every_by_name());
        reads_what_it_writes(evaluation::RectificationStep::every_by_name());
        reads_what_it_writes(evaluation::SelfCheckStatus::every_by_name());
        reads_what_it_writes(evaluation::Assessor::every_by_name());
        reads_what_it_writes(review::ReviewDecision::every_by_name());
    }
}
