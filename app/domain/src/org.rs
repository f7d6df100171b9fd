//! The organization tree and its people (DOMAIN.md section 1):
//! school committee 学校党委 → committee 分党委/党总支 → branch 党支部 → members 党员.

use crate::ids::{OrgUnitId, PersonId};
use serde::{Deserialize, Serialize};

/// The kind of a branch (党支部), which sets the focus of its central work (`B1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum BranchKind {
    /// 教师党支部: discipline building, teaching, research, teaching ethos.
    Teaching,
    /// 管理服务型教工党支部: procedures, efficiency, service quality.
    AdminService,
    /// 学生党支部: class work, youth activities, study ethos, voicing students' views.
    Student,
    /// 离退休党支部: retirees' branch.
    Retired,
}

read_by_name!(BranchKind {
    Teaching,
    AdminService,
    Student,
    Retired
});

impl BranchKind {
    pub const ALL: [BranchKind; 4] = [
        BranchKind::Teaching,
        BranchKind::AdminService,
        BranchKind::Student,
        BranchKind::Retired,
    ];
}

/// The level of an organization unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgUnitKind {
    /// 学校党委, with its campaign office 创先争优活动领导小组办公室. The root.
    School,
    /// 分党委 / 党总支: a secondary committee or general branch.
    Committee,
    /// 党支部 of a given kind.
    Branch(BranchKind),
}

impl OrgUnitKind {
    /// The shape of the tree: the school at the root, committees under it,
    /// branches under a committee.
    pub fn may_be_under(self, parent: Option<OrgUnitKind>) -> bool {
        matches!(
            (self, parent),
            (OrgUnitKind::School, None)
                | (OrgUnitKind::Committee, Some(OrgUnitKind::School))
                | (OrgUnitKind::Branch(_), Some(OrgUnitKind::Committee))
        )
    }
}

/// An organization unit (基层党组织). Every unit but the school has a parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub name: String,
    pub kind: OrgUnitKind,
    pub parent: Option<OrgUnitId>,
}

/// The category of a party member (党员类别), which sets the plan's guidance
/// for what they commit to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum MemberCategory {
    /// 教师党员
    Teacher,
    /// 管理部门及后勤服务部门党员: administration and logistics.
    Staff,
    /// 离退休党员
    Retired,
    /// 学生党员
    Student,
}

read_by_name!(MemberCategory {
    Teacher,
    Staff,
    Retired,
    Student
});

impl MemberCategory {
    pub const ALL: [MemberCategory; 4] = [
        MemberCategory::Teacher,
        MemberCategory::Staff,
        MemberCategory::Retired,
        MemberCategory::Student,
    ];
}

/// A cadre's rank (干部党员). Cadres commit first and to a higher standard; all
/// of these are "section level and above" (科级及以上), whose commitments are
/// reported upward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum CadreRank {
    /// 科级
    Section,
    /// 处级
    Division,
    /// 厅局级
    Bureau,
}

read_by_name!(CadreRank {
    Section,
    Division,
    Bureau
});

/// A person (党员 or 入党积极分子) in a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    /// The branch the person belongs to.
    pub branch: OrgUnitId,
    pub category: MemberCategory,
    pub cadre_rank: Option<CadreRank>,
    /// 入党积极分子: not yet a member; may take part voluntarily.
    pub is_activist: bool,
}

impl Person {
    pub fn is_cadre(&self) -> bool {
        self.cadre_rank.is_some()
    }
}

/// A unit's place in the tree: the unit itself first, then its parent, up to
/// the school. A subtree test is then "is the ancestor in this list".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ancestry(pub Vec<OrgUnitId>);

impl Ancestry {
    /// Walks up from `unit` through `parent_of`; stops at a cycle or a missing parent.
    pub fn of(unit: OrgUnitId, parent_of: impl Fn(OrgUnitId) -> Option<OrgUnitId>) -> Ancestry {
        let mut chain = vec![unit];
        let mut current = unit;
        while let Some(parent) = parent_of(current) {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            current = parent;
        }
        Ancestry(chain)
    }

    /// The unit this ancestry starts from.
    pub fn unit(&self) -> Option<OrgUnitId> {
        self.0.first().copied()
    }

    /// Its parent unit.
    pub fn parent(&self) -> Option<OrgUnitId> {
        self.0.get(1).copied()
    }

    /// Whether `unit` is this unit or one above it.
    pub fn contains(&self, unit: OrgUnitId) -> bool {
        self.0.contains(&unit)
    }
}

/// A unit as the API gives it: with the short name used in commitment numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "wire::FlatUnit", into = "wire::FlatUnit")]
pub struct Unit {
    #[serde(flatten)]
    pub unit: OrgUnit,
    pub short_name: String,
}

/// A person as the API gives them: with their post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "wire::FlatPerson", into = "wire::FlatPerson")]
pub struct PersonRecord {
    #[serde(flatten)]
    pub person: Person,
    pub title: String,
}

/// [`Unit`] and [`PersonRecord`] as JSON has them: one flat object. Read and
/// written through these rather than serde's `flatten`, which buffers the
/// object and reads it a second time: 4 KB of the client's wasm for each
/// (BENCHMARKS.md, "First load"). The JSON is the same; a test pins it.
mod wire {
    use super::{CadreRank, MemberCategory, OrgUnit, OrgUnitKind, Person, PersonRecord, Unit};
    use crate::ids::{OrgUnitId, PersonId};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    pub struct FlatUnit {
        id: OrgUnitId,
        name: String,
        kind: OrgUnitKind,
        parent: Option<OrgUnitId>,
        short_name: String,
    }

    impl From<FlatUnit> for Unit {
        fn from(u: FlatUnit) -> Unit {
            Unit {
                unit: OrgUnit {
                    id: u.id,
                    name: u.name,
                    kind: u.kind,
                    parent: u.parent,
                },
                short_name: u.short_name,
            }
        }
    }

    impl From<Unit> for FlatUnit {
        fn from(Unit { unit, short_name }: Unit) -> FlatUnit {
            let OrgUnit {
                id,
                name,
                kind,
                parent,
            } = unit;
            FlatUnit {
                id,
                name,
                kind,
                parent,
                short_name,
            }
        }
    }

    #[derive(Serialize, Deserialize)]
    pub struct FlatPerson {
        id: PersonId,
        name: String,
        branch: OrgUnitId,
        category: MemberCategory,
        cadre_rank: Option<CadreRank>,
        is_activist: bool,
        title: String,
    }

    impl From<FlatPerson> for PersonRecord {
        fn from(p: FlatPerson) -> PersonRecord {
            PersonRecord {
                person: Person {
                    id: p.id,
                    name: p.name,
                    branch: p.branch,
                    category: p.category,
                    cadre_rank: p.cadre_rank,
                    is_activist: p.is_activist,
                },
                title: p.title,
            }
        }
    }

    impl From<PersonRecord> for FlatPerson {
        fn from(PersonRecord { person, title }: PersonRecord) -> FlatPerson {
            let Person {
                id,
                name,
                branch,
                category,
                cadre_rank,
                is_activist,
            } = person;
            FlatPerson {
                id,
                name,
                branch,
                category,
                cadre_rank,
                is_activist,
                title,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit and a person record are one flat JSON object (the entity's
    /// fields and the extra one), read back the same: what serde's
    /// `flatten` wrote before the `wire` types replaced it.
    #[test]
    fn units_and_person_records_are_flat_objects() {
        let unit = Unit {
            unit: OrgUnit {
                id: OrgUnitId::new(),
                name: "经济管理学院党委".into(),
                kind: OrgUnitKind::Committee,
                parent: Some(OrgUnitId::new()),
            },
            short_name: "经管".into(),
        };
        let mut flat = serde_json::to_value(&unit.unit).unwrap();
        flat["short_name"] = "经管".into();
        assert_eq!(serde_json::to_value(&unit).unwrap(), flat);
        assert_eq!(serde_json::from_value::<Unit>(flat).unwrap(), unit);

        let record = PersonRecord {
            person: Person {
                id: PersonId::new(),
                name: "张三".into(),
                branch: OrgUnitId::new(),
                category: MemberCategory::Student,
                cadre_rank: Some(CadreRank::Section),
                is_activist: false,
            },
            title: "支部书记".into(),
        };
        let mut flat = serde_json::to_value(&record.person).unwrap();
        flat["title"] = "支部书记".into();
        assert_eq!(serde_json::to_value(&record).unwrap(), flat);
        assert_eq!(
            serde_json::from_value::<PersonRecord>(flat).unwrap(),
            record
        );
    }

    #[test]
    fn the_tree_is_school_committees_branches() {
        let branch = OrgUnitKind::Branch(BranchKind::Student);
        assert!(OrgUnitKind::School.may_be_under(None));
        assert!(OrgUnitKind::Committee.may_be_under(Some(OrgUnitKind::School)));
        assert!(branch.may_be_under(Some(OrgUnitKind::Committee)));
        assert!(!OrgUnitKind::School.may_be_under(Some(OrgUnitKind::School)));
        assert!(!OrgUnitKind::Committee.may_be_under(None));
        assert!(!OrgUnitKind::Committee.may_be_under(Some(OrgUnitKind::Committee)));
        assert!(!branch.may_be_under(Some(OrgUnitKind::School)));
        assert!(!branch.may_be_under(Some(branch)));
        assert!(!branch.may_be_under(None));
    }

    #[test]
    fn ancestry_walks_up_to_the_root_and_survives_a_loop() {
        let school = OrgUnitId::new();
        let committee = OrgUnitId::new();
        let branch = OrgUnitId::new();
        let parent_of = |u| {
            if u == branch {
                Some(committee)
            } else if u == committee {
                Some(school)
            } else {
                None
            }
        };
        let ancestry = Ancestry::of(branch, parent_of);
        assert_eq!(ancestry.0, vec![branch, committee, school]);
        assert_eq!(ancestry.parent(), Some(committee));
        assert!(ancestry.contains(school));
        assert!(!ancestry.contains(OrgUnitId::new()));

        let looped = Ancestry::of(branch, |u| {
            if u == branch {
                Some(committee)
            } else {
                Some(branch)
            }
        });
        assert_eq!(looped.0, vec![branch, committee]);
    }
}
