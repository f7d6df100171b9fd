//! The plan's names for areas, standards and states, and its guidance for
//! each kind of committer, in both languages.

use crate::i18n::Text;
use chengnuo_domain::commitment::{Area, CommitterKind, Standard};
use chengnuo_domain::org::{BranchKind, MemberCategory};
use chengnuo_domain::workflow::CommitmentState;
use chengnuo_domain::Locale;

pub fn area(area: Area, locale: Locale) -> &'static str {
    chengnuo_domain::names::area(area, locale)
}

pub fn standard(standard: Standard, locale: Locale) -> &'static str {
    let (zh, en) = match standard {
        Standard::GoodLeadershipTeam => ("领导班子好", "Good leadership team"),
        Standard::GoodMemberTeam => ("党员队伍好", "Good member team"),
        Standard::GoodMechanisms => ("工作机制好", "Good mechanisms"),
        Standard::GoodResults => ("工作业绩好", "Good results"),
        Standard::GoodReputation => ("群众反映好", "Good reputation among the masses"),
        Standard::LeadInLearning => ("带头学习提高", "Lead in learning"),
        Standard::LeadInResults => ("带头争创佳绩", "Lead in results"),
        Standard::LeadInServing => ("带头服务群众", "Lead in serving the masses"),
        Standard::LeadInDiscipline => ("带头遵纪守法", "Lead in observing discipline and law"),
        Standard::LeadInIntegrity => ("带头弘扬正气", "Lead in upholding integrity"),
    };
    pick(locale, zh, en)
}

/// The plan's focus for a branch's central work (B1).
pub fn branch_focus(kind: BranchKind, locale: Locale) -> &'static str {
    let (zh, en) = match kind {
        BranchKind::Teaching => ("教师党支部重点在推进学科专业发展、人才队伍建设、教书育人、教育教学改革、科学研究和优良教风等方面做出承诺。", "Teaching branches focus on disciplines, the faculty, teaching, reform of teaching, research and the teaching ethos."),
        BranchKind::AdminService => ("管理服务型党支部重点在规范办事程序、优化工作流程、提高办事效率、改进服务方式和质量等方面做出承诺。", "Administrative and service branches focus on procedures, workflows, efficiency and the quality of service."),
        BranchKind::Student => ("学生党支部重点在参与班级管理、组织健康有益的活动、反映学生意见建议、推进学风建设等方面做出承诺。", "Student branches focus on class work, healthy activities, voicing students' views and the study ethos."),
        BranchKind::Retired => ("离退休党支部重点在关心学校发展、老有所为、帮助青年学生健康成长等方面做出承诺。", "Retirees' branches focus on supporting the university and helping young students grow."),
    };
    pick(locale, zh, en)
}

/// The plan's guidance for a member of a category.
pub fn member_guidance(category: MemberCategory, locale: Locale) -> &'static str {
    let (zh, en) = match category {
        MemberCategory::Teacher => ("教师党员：热爱教育事业，恪守师德，刻苦钻研业务，提高教学科研水平，积极教书育人，树立严谨求实的教风。", "Teachers: love of teaching, professional ethics, better teaching and research, educating students, a rigorous teaching ethos."),
        MemberCategory::Staff => ("管理和后勤服务部门党员：增强服务意识，端正服务态度，提高效率和服务水平，为师生办实事、做好事。", "Administration and logistics: a sense of service, efficiency, better service, practical deeds for teachers and students."),
        MemberCategory::Retired => ("离退休党员：关心支持学校改革发展稳定，老有所学、老有所为，关心帮助青年学生健康成长。", "Retirees: support the university, keep learning and contributing, help young students grow."),
        MemberCategory::Student => ("学生党员：刻苦学习、优化学风、实践创新、志愿服务、帮助落后，促团结、做楷模。", "Students: study hard, better study ethos, innovation, volunteering, helping others, setting an example."),
    };
    pick(locale, zh, en)
}

pub fn state(state: CommitmentState) -> Text {
    match state {
        CommitmentState::Draft => Text::StateDraft,
        CommitmentState::Submitted => Text::StateSubmitted,
        CommitmentState::Returned => Text::StateReturned,
        CommitmentState::Approved => Text::StateApproved,
        CommitmentState::Signed => Text::StateSigned,
        CommitmentState::Published => Text::StatePublished,
    }
}

fn pick(locale: Locale, zh: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}

/// The committer's category as the form prints it (a cadre's marked).
pub fn kind(kind: CommitterKind, locale: Locale) -> String {
    use chengnuo_domain::org::CadreRank;
    let category = |c: MemberCategory| match c {
        MemberCategory::Teacher => pick(locale, "教师党员", "Teacher member"),
        MemberCategory::Staff => pick(locale, "管理服务党员", "Staff member"),
        MemberCategory::Retired => pick(locale, "离退休党员", "Retired member"),
        MemberCategory::Student => pick(locale, "学生党员", "Student member"),
    };
    match kind {
        CommitterKind::School => pick(locale, "学校党委", "School committee").to_owned(),
        CommitterKind::Committee => pick(locale, "分党委（党总支）", "Committee").to_owned(),
        CommitterKind::Branch { kind } => {
            let name = match kind {
                BranchKind::Teaching => pick(locale, "教学科研型党支部", "Teaching branch"),
                BranchKind::AdminService => {
                    pick(locale, "管理服务型党支部", "Administration branch")
                }
                BranchKind::Student => pick(locale, "学生党支部", "Student branch"),
                BranchKind::Retired => pick(locale, "离退休党支部", "Retirees' branch"),
            };
            name.to_owned()
        }
        CommitterKind::Member {
            category: c,
            cadre_rank,
            is_activist,
        } => {
            let mut text = category(c).to_owned();
            if let Some(rank) = cadre_rank {
                let rank = match rank {
                    CadreRank::Section => pick(locale, "科级", "section level"),
                    CadreRank::Division => pick(locale, "处级", "division level"),
                    CadreRank::Bureau => pick(locale, "厅局级", "bureau level"),
                };
                text.push_str(&match locale {
                    Locale::Zh => format!("·{rank}党员领导干部（更高标准）"),
                    Locale::En => format!(", cadre at {rank} (higher standard)"),
                });
            }
            if is_activist {
                text.push_str(pick(locale, "·入党积极分子", ", activist"));
            }
            text
        }
    }
}

/// A cycle's name: the plan's (in the person's language) unless the office named it otherwise.
pub fn cycle_name(cycle: &chengnuo_domain::cycle::Cycle, locale: Locale) -> String {
    let template = chengnuo_domain::cycle::Cycle::from_template(cycle.year);
    if cycle.name != template.name {
        return cycle.name.clone();
    }
    crate::i18n::Text::CycleName
        .in_locale(locale)
        .replace("{year}", &cycle.year.to_string())
        .replace("{next}", &(cycle.year + 1).to_string())
}
