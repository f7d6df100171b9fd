//! 情况通报: a numbered progress notice (第 N 期) a unit's supervisor
//! publishes for its scope — the office for the school, a secretary for
//! their unit. Its text is generated from the unit's supervision dashboard
//! (who is late, completion rates, overdue items, good and bad examples),
//! edited by a person, then published to the inbox of everyone in the scope
//! and, if chosen, on the public board.

use crate::ids::{CircularId, OrgUnitId};
use crate::locale::Locale;
use crate::messages::{Message, ValidationErrors};
use crate::org::Ancestry;
use crate::permission::{can, Action, Actor, Target};
use crate::supervision::{Counts, Dashboard, Subject};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 100;
pub const BODY_MAX: usize = 20_000;

/// A notice before publication: generated, then edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircularDraft {
    /// The unit whose scope it is addressed to.
    pub unit: OrgUnitId,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = r"\S")
    )]
    pub body: String,
    /// Also on the public board.
    #[serde(default)]
    pub on_board: bool,
}

/// A published notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Circular {
    pub id: CircularId,
    pub unit: OrgUnitId,
    pub unit_name: String,
    /// 第 N 期: numbered per unit, from 1.
    pub number: u32,
    pub title: String,
    pub body: String,
    pub on_board: bool,
    #[serde(deserialize_with = "crate::day::de")]
    pub published_on: NaiveDate,
    pub published_by: String,
}

/// The units whose notices reach a person ("everyone in scope"): every unit
/// above their branch and above each unit they hold a role over, and every
/// unit they may supervise (`units`: each unit of the tree as a target).
pub fn reaching(
    actor: &Actor,
    branch: Option<OrgUnitId>,
    ancestry: impl Fn(OrgUnitId) -> Ancestry,
    units: impl IntoIterator<Item = (OrgUnitId, Target)>,
) -> Vec<OrgUnitId> {
    let mut reached: Vec<OrgUnitId> = branch
        .into_iter()
        .chain(actor.grants.iter().map(|g| g.unit))
        .flat_map(|u| ancestry(u).0)
        .collect();
    if actor.supervises_some_unit() {
        reached.extend(
            units
                .into_iter()
                .filter(|(_, target)| can(actor, Action::Supervise, target).is_ok())
                .map(|(id, _)| id),
        );
    }
    reached.sort();
    reached.dedup();
    reached
}

impl CircularDraft {
    /// A title and a text, within their lengths.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (field, text, max) in [
            ("title", &self.title, TITLE_MAX),
            ("body", &self.body, BODY_MAX),
        ] {
            if text.trim().is_empty() {
                errors.push(field, Message::Required);
            } else if text.chars().count() > max {
                errors.push(field, Message::TooLong { max });
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The notice the dashboard suggests, numbered `number`.
    pub fn generate(dashboard: &Dashboard, number: u32, locale: Locale) -> CircularDraft {
        let zh = locale == Locale::Zh;
        let total = &dashboard.total;
        let percent = |c: &Counts| {
            c.completion().map_or_else(
                || {
                    if zh {
                        "无到期事项".to_owned()
                    } else {
                        "nothing due".to_owned()
                    }
                },
                |p| format!("{p}%"),
            )
        };
        let name = |subject: &Subject| match subject {
            Subject::Unit { name, .. } => name.clone(),
            Subject::Commitment {
                committer, number, ..
            } => match number {
                Some(n) => format!("{committer}（{n}）"),
                None => committer.clone(),
            },
        };
        let title = if zh {
            format!(
                "{}公开承诺践诺情况通报（第 {number} 期）",
                dashboard.unit.name
            )
        } else {
            format!("{}: progress notice no. {number}", dashboard.unit.name)
        };
        let mut body = String::new();
        let mut line = |text: String| {
            body.push_str(&text);
            body.push('\n');
        };
        if zh {
            line(format!(
                "截至 {}，{}{}共有公开承诺 {} 份，其中已公示 {} 份、尚在起草或审核中 {} 份；到期承诺事项 {} 项，已销号 {} 项，完成率 {}；逾期未完成 {} 项，待审核销号 {} 项。",
                dashboard.as_of, dashboard.unit.name, dashboard.cycle_name, total.commitments, total.published,
                total.draft + total.submitted + total.returned, total.due, total.due_crossed_off, percent(total),
                total.overdue, total.claims_waiting
            ));
        } else {
            line(format!(
                "As of {}, {} ({}) holds {} public commitments: {} published, {} still drafted or in review; {} items are due, {} crossed off ({}); {} are overdue and {} claims wait for review.",
                dashboard.as_of, dashboard.unit.name, dashboard.cycle_name, total.commitments, total.published,
                total.draft + total.submitted + total.returned, total.due, total.due_crossed_off, percent(total),
                total.overdue, total.claims_waiting
            ));
        }
        let reports = total.reports_on_time
            + total.reports_late
            + total.reports_missing
            + total.reports_pending;
        if reports > 0 {
            line(if zh {
                format!(
                    "报送情况：按时报送 {} 个，逾期报送 {} 个，逾期未报送 {} 个，尚未到期 {} 个。",
                    total.reports_on_time,
                    total.reports_late,
                    total.reports_missing,
                    total.reports_pending
                )
            } else {
                format!(
                    "Report packages: {} on time, {} late, {} missing past the deadline, {} not yet due.",
                    total.reports_on_time, total.reports_late, total.reports_missing, total.reports_pending
                )
            });
        }
        let mut rows: Vec<_> = dashboard
            .rows
            .iter()
            .filter(|r| r.counts.commitments > 0)
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.counts.completion().map_or(-1, i64::from)));
        line(String::new());
        line(if zh {
            "一、各单位完成情况".to_owned()
        } else {
            "1. By unit".to_owned()
        });
        for row in &rows {
            let c = &row.counts;
            line(if zh {
                format!(
                    "{}：承诺 {} 份（已公示 {} 份），到期事项完成率 {}，逾期 {} 项。",
                    name(&row.subject),
                    c.commitments,
                    c.published,
                    percent(c),
                    c.overdue
                )
            } else {
                format!(
                    "{}: {} commitments ({} published), due items crossed off {}, {} overdue.",
                    name(&row.subject),
                    c.commitments,
                    c.published,
                    percent(c),
                    c.overdue
                )
            });
        }
        let good: Vec<String> = rows
            .iter()
            .filter(|r| {
                r.counts.due > 0 && r.counts.overdue == 0 && r.counts.completion() == Some(100)
            })
            .map(|r| name(&r.subject))
            .collect();
        let late: Vec<String> = rows
            .iter()
            .filter(|r| r.counts.overdue > 0 || r.counts.reports_missing > 0)
            .map(|r| name(&r.subject))
            .collect();
        line(String::new());
        line(if zh {
            "二、好的做法".to_owned()
        } else {
            "2. Good practice".to_owned()
        });
        line(match (good.is_empty(), zh) {
            (true, true) => "（请补充）".to_owned(),
            (true, false) => "(to be written)".to_owned(),
            (false, true) => format!(
                "{}到期事项全部按时销号，无逾期事项，予以通报表扬。",
                good.join("、")
            ),
            (false, false) => format!(
                "{} crossed off every item due, on time: commended.",
                good.join(", ")
            ),
        });
        line(String::new());
        line(if zh {
            "三、存在的问题".to_owned()
        } else {
            "3. Problems".to_owned()
        });
        line(match (late.is_empty(), zh) {
            (true, true) => "暂无逾期事项。".to_owned(),
            (true, false) => "No item is overdue.".to_owned(),
            (false, true) => format!("{}存在逾期未完成事项或逾期未报送，请抓紧整改，并于下期通报前完成。", late.join("、")),
            (false, false) => format!("{} have overdue items or a missing report: to be put right before the next notice.", late.join(", ")),
        });
        CircularDraft {
            unit: dashboard.unit.id,
            title,
            body,
            on_board: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CycleId;
    use crate::org::{BranchKind, OrgUnitKind};
    use crate::supervision::{Row, UnitRef};

    fn dashboard() -> Dashboard {
        let unit = |name: &str, counts: Counts| Row {
            subject: Subject::Unit {
                id: OrgUnitId::new(),
                name: name.into(),
                kind: OrgUnitKind::Branch(BranchKind::Student),
            },
            counts,
        };
        let done = Counts {
            commitments: 3,
            published: 3,
            due: 4,
            crossed_off: 4,
            due_crossed_off: 4,
            ..Counts::default()
        };
        let late = Counts {
            commitments: 2,
            published: 1,
            draft: 1,
            due: 4,
            crossed_off: 1,
            due_crossed_off: 1,
            overdue: 3,
            ..Counts::default()
        };
        let mut total = done;
        total.add(&late);
        Dashboard {
            unit: UnitRef {
                id: OrgUnitId::new(),
                name: "计算机学院分党委".into(),
            },
            kind: OrgUnitKind::Committee,
            path: vec![],
            mine: vec![],
            cycle: CycleId::new(),
            cycle_name: "2026年度".into(),
            as_of: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ballot_round: None,
            graded_round: None,
            quorum: 5,
            total,
            rows: vec![unit("软件支部", late), unit("网络支部", done)],
            progress: vec![],
        }
    }

    #[test]
    fn the_generated_notice_names_the_figures_the_good_and_the_late() {
        let draft = CircularDraft::generate(&dashboard(), 3, Locale::Zh);
        assert_eq!(
            draft.title,
            "计算机学院分党委公开承诺践诺情况通报（第 3 期）"
        );
        assert!(draft.body.starts_with("截至 2026-12-01，计算机学院分党委2026年度共有公开承诺 5 份，其中已公示 4 份、尚在起草或审核中 1 份；到期承诺事项 8 项，已销号 5 项，完成率 63%；逾期未完成 3 项"), "{}", draft.body);
        // best first
        let network = draft.body.find("网络支部：").unwrap();
        let software = draft.body.find("软件支部：").unwrap();
        assert!(network < software);
        assert!(draft.body.contains("网络支部到期事项全部按时销号"));
        assert!(draft.body.contains("软件支部存在逾期未完成事项"));
        assert_eq!(draft.check(), Ok(()));
        let english = CircularDraft::generate(&dashboard(), 3, Locale::En);
        assert!(english.title.ends_with("progress notice no. 3"));
        assert!(
            english.body.contains("network")
                || english.body.contains("网络支部 crossed off every item due")
        );
    }

    #[test]
    fn a_notice_reaches_the_units_above_a_person_and_those_they_supervise() {
        use crate::org::OrgUnitKind;
        use crate::permission::{Role, RoleGrant};
        let (school, committee, branch, other) = (
            OrgUnitId::new(),
            OrgUnitId::new(),
            OrgUnitId::new(),
            OrgUnitId::new(),
        );
        let parent = move |u: OrgUnitId| {
            if u == branch {
                Some(committee)
            } else if u == committee || u == other {
                Some(school)
            } else {
                None
            }
        };
        let ancestry = move |u: OrgUnitId| Ancestry::of(u, parent);
        let units = move || {
            [
                (school, OrgUnitKind::School),
                (committee, OrgUnitKind::Committee),
                (other, OrgUnitKind::Committee),
                (branch, OrgUnitKind::Branch(BranchKind::Student)),
            ]
            .map(|(id, kind)| {
                (
                    id,
                    Target::Unit {
                        kind,
                        ancestry: ancestry(id),
                    },
                )
            })
        };
        let member = Actor {
            person: Some(crate::ids::PersonId::new()),
            grants: vec![RoleGrant {
                role: Role::Member,
                unit: branch,
            }],
        };
        let mut expected = vec![school, committee, branch];
        expected.sort();
        assert_eq!(reaching(&member, Some(branch), ancestry, units()), expected);
        let secretary = Actor {
            person: Some(crate::ids::PersonId::new()),
            grants: vec![RoleGrant {
                role: Role::CommitteeSecretary,
                unit: other,
            }],
        };
        let mut expected = vec![school, other];
        expected.sort();
        assert_eq!(
            reaching(&secretary, None, ancestry, units()),
            expected,
            "not the committee beside it"
        );
    }

    #[test]
    fn a_notice_needs_a_title_and_a_text_within_their_lengths() {
        let mut draft = CircularDraft::generate(&dashboard(), 1, Locale::Zh);
        draft.title = " ".into();
        draft.body = "x".repeat(BODY_MAX + 1);
        let errors = draft.check().unwrap_err();
        assert_eq!(errors.0[0].field, "title");
        assert_eq!(errors.0[0].message, Message::Required);
        assert_eq!(errors.0[1].message, Message::TooLong { max: BODY_MAX });
    }
}
