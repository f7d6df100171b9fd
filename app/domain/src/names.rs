//! The plan's names for content areas, in both languages: shown by the
//! browser and written by the server into the report workbook.

use crate::commitment::{Area, BranchArea, CommitteeArea, PledgeKind};
use crate::Locale;

pub fn area(area: Area, locale: Locale) -> &'static str {
    let (zh, en) = match area {
        Area::Committee(a) => match a {
            CommitteeArea::DemocraticCentralism => (
                "民主集中制和党政联席会议制度",
                "Democratic centralism, joint party–administration meetings",
            ),
            CommitteeArea::LearningLeadership => {
                ("学习型领导班子建设", "A learning-oriented leadership team")
            }
            CommitteeArea::SelfBuilding => (
                "基层党组织自身建设，指导所属党支部",
                "Self-building, guiding the branches",
            ),
            CommitteeArea::MemberWork => (
                "党员发展、教育、管理和关怀",
                "Recruiting, educating, managing and caring for members",
            ),
            CommitteeArea::IdeologicalWork => (
                "思想政治工作、师德师风、学生德育",
                "Ideological work, teachers' ethics, students' moral education",
            ),
            CommitteeArea::Integrity => ("党风廉政建设", "Party conduct and integrity"),
            CommitteeArea::CampusCulture => (
                "校园文化、安全稳定与保密",
                "Campus culture, safety, stability, confidentiality",
            ),
            CommitteeArea::UnitedFront => (
                "统战工作和群众组织",
                "United-front work and mass organizations",
            ),
        },
        Area::Branch(a) => match a {
            BranchArea::CentralWork => ("推进中心工作和业务工作", "Central and business work"),
            BranchArea::PracticalDeeds => (
                "办实事、做好事（写明措施和时限）",
                "Practical deeds (with measures and a deadline)",
            ),
            BranchArea::SelfBuilding => ("支部自身建设", "The branch's self-building"),
        },
        Area::Member(a) => match a {
            PledgeKind::Duty => ("尽职尽责", "Duty"),
            PledgeKind::LeadOnKeyTasks => (
                "骨干带头（中心工作、急难险重任务）",
                "Lead on key and urgent tasks",
            ),
            PledgeKind::VanguardExample => ("先锋模范", "Vanguard example"),
            PledgeKind::ExemplaryConduct => (
                "示范表率（服务群众、遵纪守法、廉洁自律）",
                "Exemplary conduct",
            ),
        },
    };
    pick(locale, zh, en)
}

fn pick(locale: Locale, zh: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}
