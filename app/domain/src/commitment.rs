//! The public commitment (公开承诺书, DOMAIN.md section 3): who commits, to
//! which items (承诺事项) with what measures (具体措施) by when (完成时限).
//!
//! Two shapes: a [`CommitmentDraft`] holds whatever a person typed, valid or
//! not, so that nothing is ever lost; a [`Commitment`] can only be made by
//! parsing a draft (see `validation`) and so cannot hold an invalid item.

use crate::ids::{ItemId, OrgUnitId, PersonId};
use crate::org::{BranchKind, CadreRank, MemberCategory, OrgUnitKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who makes the commitment: a unit (committee, branch) or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "type",
    content = "id",
    rename_all = "snake_case",
    from = "wire::RawCommitter"
)]
pub enum Committer {
    Unit(OrgUnitId),
    Person(PersonId),
}

/// The committer's category (承诺主体类别), which sets the content areas, the
/// plan's guidance and the number of items required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "wire::RawCommitterKind"
)]
pub enum CommitterKind {
    /// 学校党委 (commits to the whole school; reviewed by no one above it).
    School,
    /// 分党委 / 党总支
    Committee,
    /// 党支部 of a given kind.
    Branch { kind: BranchKind },
    /// 党员 (or 入党积极分子): a cadre commits to a higher standard.
    Member {
        category: MemberCategory,
        cadre_rank: Option<CadreRank>,
        is_activist: bool,
    },
}

impl CommitterKind {
    /// 领导点评 is for the units' commitments and the cadres' (other members
    /// are assessed by the masses and their branch).
    pub fn assessed_by_leaders(self) -> bool {
        match self {
            CommitterKind::Member { cadre_rank, .. } => cadre_rank.is_some(),
            CommitterKind::School | CommitterKind::Committee | CommitterKind::Branch { .. } => true,
        }
    }

    pub fn of_unit(kind: OrgUnitKind) -> CommitterKind {
        match kind {
            OrgUnitKind::School => CommitterKind::School,
            OrgUnitKind::Committee => CommitterKind::Committee,
            OrgUnitKind::Branch(kind) => CommitterKind::Branch { kind },
        }
    }

    /// The committee a commitment of this kind falls under, read from its
    /// ancestry (the committing unit first): the branch's or member's
    /// committee is the parent of their branch, a committee is itself, the
    /// school has none.
    pub fn committee_in(&self, ancestry: &crate::org::Ancestry) -> Option<OrgUnitId> {
        match self {
            CommitterKind::School => None,
            CommitterKind::Committee => ancestry.unit(),
            CommitterKind::Branch { .. } | CommitterKind::Member { .. } => ancestry.parent(),
        }
    }

    pub fn of_person(person: &crate::org::Person) -> CommitterKind {
        CommitterKind::Member {
            category: person.category,
            cadre_rank: person.cadre_rank,
            is_activist: person.is_activist,
        }
    }

    /// Whether this is a cadre's commitment: higher standard, reported upward.
    pub fn is_cadre(&self) -> bool {
        matches!(
            self,
            CommitterKind::Member {
                cadre_rank: Some(_),
                ..
            }
        )
    }

    /// The content areas open to this committer, in the plan's order.
    pub fn areas(&self) -> Vec<Area> {
        match self {
            CommitterKind::School | CommitterKind::Committee => CommitteeArea::ALL
                .into_iter()
                .map(Area::Committee)
                .collect(),
            CommitterKind::Branch { .. } => BranchArea::ALL.into_iter().map(Area::Branch).collect(),
            CommitterKind::Member { .. } => PledgeKind::ALL.into_iter().map(Area::Member).collect(),
        }
    }
}

/// What a committee commits to (plan section 3.1.1), `C1`..`C8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommitteeArea {
    /// C1 民主集中制和党政联席会议制度
    DemocraticCentralism,
    /// C2 学习型领导班子建设
    LearningLeadership,
    /// C3 基层党组织自身建设，指导所属党支部
    SelfBuilding,
    /// C4 党员发展、教育、管理和关怀
    MemberWork,
    /// C5 思想政治工作、师德师风、学生德育
    IdeologicalWork,
    /// C6 党风廉政建设
    Integrity,
    /// C7 校园文化、安全稳定与保密
    CampusCulture,
    /// C8 统战工作和群众组织（工会、共青团、学生会）
    UnitedFront,
}

impl CommitteeArea {
    pub const ALL: [CommitteeArea; 8] = [
        CommitteeArea::DemocraticCentralism,
        CommitteeArea::LearningLeadership,
        CommitteeArea::SelfBuilding,
        CommitteeArea::MemberWork,
        CommitteeArea::IdeologicalWork,
        CommitteeArea::Integrity,
        CommitteeArea::CampusCulture,
        CommitteeArea::UnitedFront,
    ];
}

/// What a branch commits to (plan section 3.1.2), `B1`..`B3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BranchArea {
    /// B1 推进中心工作和业务工作 (focus set by the `BranchKind`)
    CentralWork,
    /// B2 办实事、做好事, with measures and a deadline (plan)
    PracticalDeeds,
    /// B3 自身建设
    SelfBuilding,
}

impl BranchArea {
    pub const ALL: [BranchArea; 3] = [
        BranchArea::CentralWork,
        BranchArea::PracticalDeeds,
        BranchArea::SelfBuilding,
    ];
}

/// The four kinds of a member's pledge (plan section 3.2), `M1`..`M4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PledgeKind {
    /// M1 尽职尽责
    Duty,
    /// M2 骨干带头 (key and urgent tasks)
    LeadOnKeyTasks,
    /// M3 先锋模范
    VanguardExample,
    /// M4 示范表率
    ExemplaryConduct,
}

impl PledgeKind {
    pub const ALL: [PledgeKind; 4] = [
        PledgeKind::Duty,
        PledgeKind::LeadOnKeyTasks,
        PledgeKind::VanguardExample,
        PledgeKind::ExemplaryConduct,
    ];
}

/// A content area (承诺方向) by its code: `C1`..`C8`, `B1`..`B3`, `M1`..`M4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Area {
    Committee(CommitteeArea),
    Branch(BranchArea),
    Member(PledgeKind),
}

impl Area {
    pub fn code(self) -> String {
        match self {
            Area::Committee(a) => format!("C{}", a as usize + 1),
            Area::Branch(a) => format!("B{}", a as usize + 1),
            Area::Member(a) => format!("M{}", a as usize + 1),
        }
    }

    pub fn from_code(code: &str) -> Option<Area> {
        let (letter, number) = code.trim().split_at_checked(1)?;
        let index = number.parse::<usize>().ok()?.checked_sub(1)?;
        match letter {
            "C" => CommitteeArea::ALL.get(index).copied().map(Area::Committee),
            "B" => BranchArea::ALL.get(index).copied().map(Area::Branch),
            "M" => PledgeKind::ALL.get(index).copied().map(Area::Member),
            _ => None,
        }
    }
}

impl TryFrom<String> for Area {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Area::from_code(&code).ok_or_else(|| format!("unknown area code {code:?}"))
    }
}

impl From<Area> for String {
    fn from(area: Area) -> String {
        area.code()
    }
}

/// The standards a commitment serves: the five goods 五个好 of an organization
/// (`G1`..`G5`) and the five leads 五带头 of a member (`L1`..`L5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Standard {
    /// G1 领导班子好
    GoodLeadershipTeam,
    /// G2 党员队伍好
    GoodMemberTeam,
    /// G3 工作机制好
    GoodMechanisms,
    /// G4 工作业绩好
    GoodResults,
    /// G5 群众反映好
    GoodReputation,
    /// L1 带头学习提高
    LeadInLearning,
    /// L2 带头争创佳绩
    LeadInResults,
    /// L3 带头服务群众
    LeadInServing,
    /// L4 带头遵纪守法
    LeadInDiscipline,
    /// L5 带头弘扬正气
    LeadInIntegrity,
}

impl Standard {
    pub const ALL: [Standard; 10] = [
        Standard::GoodLeadershipTeam,
        Standard::GoodMemberTeam,
        Standard::GoodMechanisms,
        Standard::GoodResults,
        Standard::GoodReputation,
        Standard::LeadInLearning,
        Standard::LeadInResults,
        Standard::LeadInServing,
        Standard::LeadInDiscipline,
        Standard::LeadInIntegrity,
    ];

    pub fn code(self) -> String {
        let index = self as usize;
        if index < 5 {
            format!("G{}", index + 1)
        } else {
            format!("L{}", index - 4)
        }
    }

    pub fn from_code(code: &str) -> Option<Standard> {
        Standard::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

impl TryFrom<String> for Standard {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Standard::from_code(&code).ok_or_else(|| format!("unknown standard code {code:?}"))
    }
}

impl From<Standard> for String {
    fn from(standard: Standard) -> String {
        standard.code()
    }
}

/// What a person typed for one item, kept as typed (even half-finished).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ItemDraft {
    pub id: ItemId,
    /// An area code (`C1`, `B2`, `M3`...) or empty.
    pub area: String,
    /// 承诺事项
    pub content: String,
    /// 具体措施
    pub measures: String,
    /// 完成时限, `YYYY-MM-DD` or empty.
    pub deadline: String,
    /// Something checkable (optional).
    pub target: String,
    /// 办实事: a concrete service to teachers and students.
    pub practical_deed: bool,
}

/// What a person typed for the whole form, kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CommitmentDraft {
    /// 调研: what teachers and students asked for when consulted.
    pub needs_summary: String,
    pub items: Vec<ItemDraft>,
    /// Standard codes (`G1`..`G5`, `L1`..`L5`).
    pub standards: Vec<String>,
}

/// One validated item of a commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentItem {
    id: ItemId,
    area: Area,
    content: String,
    measures: String,
    #[serde(deserialize_with = "crate::day::de")]
    deadline: NaiveDate,
    target: Option<String>,
    practical_deed: bool,
}

impl CommitmentItem {
    pub(crate) fn from_parts(
        id: ItemId,
        area: Area,
        content: String,
        measures: String,
        deadline: NaiveDate,
        target: Option<String>,
        practical_deed: bool,
    ) -> CommitmentItem {
        CommitmentItem {
            id,
            area,
            content,
            measures,
            deadline,
            target,
            practical_deed,
        }
    }

    pub fn id(&self) -> ItemId {
        self.id
    }
    pub fn area(&self) -> Area {
        self.area
    }
    pub fn content(&self) -> &str {
        &self.content
    }
    pub fn measures(&self) -> &str {
        &self.measures
    }
    pub fn deadline(&self) -> NaiveDate {
        self.deadline
    }
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }
    pub fn practical_deed(&self) -> bool {
        self.practical_deed
    }

    pub fn to_draft(&self) -> ItemDraft {
        ItemDraft {
            id: self.id,
            area: self.area.code(),
            content: self.content.clone(),
            measures: self.measures.clone(),
            deadline: self.deadline.to_string(),
            target: self.target.clone().unwrap_or_default(),
            practical_deed: self.practical_deed,
        }
    }
}

/// A valid public commitment: made only by [`CommitmentDraft::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    needs_summary: String,
    items: Vec<CommitmentItem>,
    standards: Vec<Standard>,
}

impl Commitment {
    pub(crate) fn from_parts(
        needs_summary: String,
        items: Vec<CommitmentItem>,
        standards: Vec<Standard>,
    ) -> Commitment {
        Commitment {
            needs_summary,
            items,
            standards,
        }
    }

    pub fn needs_summary(&self) -> &str {
        &self.needs_summary
    }
    pub fn items(&self) -> &[CommitmentItem] {
        &self.items
    }
    pub fn standards(&self) -> &[Standard] {
        &self.standards
    }

    /// The form as a person would have typed it: parsing it gives this commitment back.
    pub fn to_draft(&self) -> CommitmentDraft {
        CommitmentDraft {
            needs_summary: self.needs_summary.clone(),
            items: self.items.iter().map(CommitmentItem::to_draft).collect(),
            standards: self.standards.iter().map(|s| s.code()).collect(),
        }
    }
}

/// The numbers of signed commitments (编号), e.g. `2026-经管-007`: the
/// cycle's year, the short name of the committee the commitment falls under
/// (of the unit itself above committees), and its place among that
/// committee's signed commitments of the cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbering {
    stem: String,
}

impl Numbering {
    /// The short name used when the unit has none.
    pub const SCHOOL: &'static str = "校";

    pub fn new(year: i32, short_name: Option<&str>) -> Numbering {
        let short = short_name
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(Self::SCHOOL);
        Numbering {
            stem: format!("{year}-{short}-"),
        }
    }

    /// What every number of this committee and cycle starts with.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The number of the `place`-th signed commitment (from 1).
    pub fn number(&self, place: u32) -> String {
        format!("{}{place:03}", self.stem)
    }
}

/// Reading a [`CommitterKind`] and a [`Committer`] through one flat record
/// each (see `messages::wire`; for `Committer`, serde's adjacently tagged
/// reader keeps a buffer for an `id` written before its `type`, and that
/// buffer's code was in every client for one two-field object).
mod wire {
    use super::{Committer, CommitterKind};
    use crate::ids::{OrgUnitId, PersonId};
    use crate::org::{BranchKind, CadreRank, MemberCategory};
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum CommitterType {
        Unit,
        Person,
    }

    #[derive(Deserialize)]
    pub struct RawCommitter {
        #[serde(rename = "type")]
        kind: CommitterType,
        #[serde(deserialize_with = "crate::ids::read_uuid")]
        id: uuid::Uuid,
    }

    impl From<RawCommitter> for Committer {
        fn from(raw: RawCommitter) -> Committer {
            match raw.kind {
                CommitterType::Unit => Committer::Unit(OrgUnitId(raw.id)),
                CommitterType::Person => Committer::Person(PersonId(raw.id)),
            }
        }
    }

    #[derive(Deserialize)]
    pub struct RawCommitterKind {
        #[serde(rename = "type")]
        kind_of_committer: String,
        kind: Option<BranchKind>,
        category: Option<MemberCategory>,
        cadre_rank: Option<CadreRank>,
        is_activist: Option<bool>,
    }

    fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
        value.ok_or_else(|| format!("missing field `{field}`"))
    }

    impl TryFrom<RawCommitterKind> for CommitterKind {
        type Error = String;
        fn try_from(raw: RawCommitterKind) -> Result<CommitterKind, String> {
            Ok(match raw.kind_of_committer.as_str() {
                "school" => CommitterKind::School,
                "committee" => CommitterKind::Committee,
                "branch" => CommitterKind::Branch {
                    kind: need(raw.kind, "kind")?,
                },
                "member" => CommitterKind::Member {
                    category: need(raw.category, "category")?,
                    cadre_rank: raw.cadre_rank,
                    is_activist: need(raw.is_activist, "is_activist")?,
                },
                other => Err(format!("unknown variant `{other}`"))?,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A committer is `{"type": …, "id": …}`, read in either order (as
    /// serde's adjacently tagged reader did); another type is refused.
    #[test]
    fn committers_are_a_type_and_an_id() {
        let unit = Committer::Unit(OrgUnitId::new());
        let person = Committer::Person(PersonId::new());
        for committer in [unit, person] {
            let text = serde_json::to_string(&committer).unwrap();
            assert_eq!(serde_json::from_str::<Committer>(&text).unwrap(), committer);
        }
        let Committer::Unit(id) = unit else {
            unreachable!()
        };
        assert_eq!(
            serde_json::to_value(unit).unwrap(),
            serde_json::json!({"type": "unit", "id": id.0.to_string()})
        );
        let backwards = format!(r#"{{"id": "{}", "type": "unit"}}"#, id.0);
        assert_eq!(serde_json::from_str::<Committer>(&backwards).unwrap(), unit);
        let other = format!(r#"{{"type": "school", "id": "{}"}}"#, id.0);
        assert!(serde_json::from_str::<Committer>(&other).is_err());
        assert!(serde_json::from_str::<Committer>(r#"{"type": "unit"}"#).is_err());
    }

    #[test]
    fn numbers_are_year_short_name_and_place() {
        let numbering = Numbering::new(2026, Some("经管"));
        assert_eq!(numbering.number(7), "2026-经管-007");
        assert_eq!(numbering.number(1234), "2026-经管-1234");
        assert!(numbering.number(7).starts_with(numbering.stem()));
        assert_eq!(Numbering::new(2026, None).number(1), "2026-校-001");
        assert_eq!(Numbering::new(2026, Some(" ")).number(1), "2026-校-001");
    }

    #[test]
    fn area_codes_are_the_plans() {
        assert_eq!(
            Area::Committee(CommitteeArea::DemocraticCentralism).code(),
            "C1"
        );
        assert_eq!(Area::Committee(CommitteeArea::UnitedFront).code(), "C8");
        assert_eq!(Area::Branch(BranchArea::PracticalDeeds).code(), "B2");
        assert_eq!(Area::Member(PledgeKind::ExemplaryConduct).code(), "M4");
        for kind in [
            CommitterKind::Committee,
            CommitterKind::Branch {
                kind: BranchKind::Student,
            },
            CommitterKind::Member {
                category: MemberCategory::Teacher,
                cadre_rank: None,
                is_activist: false,
            },
        ] {
            for area in kind.areas() {
                assert_eq!(Area::from_code(&area.code()), Some(area));
            }
        }
        for bad in ["", "C0", "C9", "B4", "M5", "X1", "C", "C1x", "Ｃ1"] {
            assert_eq!(Area::from_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn standard_codes_are_five_goods_and_five_leads() {
        let codes: Vec<String> = Standard::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(
            codes,
            ["G1", "G2", "G3", "G4", "G5", "L1", "L2", "L3", "L4", "L5"]
        );
        assert_eq!(Standard::from_code("L3"), Some(Standard::LeadInServing));
        assert_eq!(Standard::from_code("G6"), None);
    }

    #[test]
    fn areas_follow_the_committer() {
        assert_eq!(CommitterKind::Committee.areas().len(), 8);
        assert_eq!(
            CommitterKind::Branch {
                kind: BranchKind::Retired
            }
            .areas()
            .len(),
            3
        );
        let member = CommitterKind::Member {
            category: MemberCategory::Student,
            cadre_rank: Some(CadreRank::Section),
            is_activist: false,
        };
        assert_eq!(member.areas().len(), 4);
        assert!(member.is_cadre());
    }
}
