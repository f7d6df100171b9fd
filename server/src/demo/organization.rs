//! The demo university's tree and people: the school, three committees,
//! ten branches of every kind, the named demo accounts and everyone else.

use super::DemoError;
use crate::auth::password;
use crate::db::DbConnection;
use crate::store::{accounts, directory};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory, OrgUnitKind};
use chengnuo_domain::org::{OrgUnit, Person, PersonRecord, Unit};
use chengnuo_domain::permission::Role;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use super::{Built, DEMO_PASSWORD};

pub(super) struct UnitSpec {
    pub(super) key: &'static str,
    pub(super) name: &'static str,
    pub(super) short: &'static str,
    pub(super) kind: OrgUnitKind,
    pub(super) parent: Option<&'static str>,
}

pub(super) const UNITS: &[UnitSpec] = &[
    UnitSpec {
        key: "school",
        name: "明德大学党委",
        short: "校",
        kind: OrgUnitKind::School,
        parent: None,
    },
    UnitSpec {
        key: "econ",
        name: "经济管理学院分党委",
        short: "经管",
        kind: OrgUnitKind::Committee,
        parent: Some("school"),
    },
    UnitSpec {
        key: "cs",
        name: "计算机科学与技术学院分党委",
        short: "计算机",
        kind: OrgUnitKind::Committee,
        parent: Some("school"),
    },
    UnitSpec {
        key: "admin",
        name: "机关与后勤党总支",
        short: "机关",
        kind: OrgUnitKind::Committee,
        parent: Some("school"),
    },
    UnitSpec {
        key: "econ-t1",
        name: "经济学系教师党支部",
        short: "经济系",
        kind: OrgUnitKind::Branch(BranchKind::Teaching),
        parent: Some("econ"),
    },
    UnitSpec {
        key: "econ-t2",
        name: "工商管理系教师党支部",
        short: "工管系",
        kind: OrgUnitKind::Branch(BranchKind::Teaching),
        parent: Some("econ"),
    },
    UnitSpec {
        key: "econ-s1",
        name: "经管学院本科生党支部",
        short: "经管本科",
        kind: OrgUnitKind::Branch(BranchKind::Student),
        parent: Some("econ"),
    },
    UnitSpec {
        key: "cs-t1",
        name: "软件工程系教师党支部",
        short: "软件系",
        kind: OrgUnitKind::Branch(BranchKind::Teaching),
        parent: Some("cs"),
    },
    UnitSpec {
        key: "cs-t2",
        name: "计算机科学系教师党支部",
        short: "计科系",
        kind: OrgUnitKind::Branch(BranchKind::Teaching),
        parent: Some("cs"),
    },
    UnitSpec {
        key: "cs-s1",
        name: "计算机学院本科生第一党支部",
        short: "计算机本科",
        kind: OrgUnitKind::Branch(BranchKind::Student),
        parent: Some("cs"),
    },
    UnitSpec {
        key: "cs-r1",
        name: "计算机学院离退休党支部",
        short: "计算机离退",
        kind: OrgUnitKind::Branch(BranchKind::Retired),
        parent: Some("cs"),
    },
    UnitSpec {
        key: "admin-a1",
        name: "党政办公室党支部",
        short: "党政办",
        kind: OrgUnitKind::Branch(BranchKind::AdminService),
        parent: Some("admin"),
    },
    UnitSpec {
        key: "admin-a2",
        name: "后勤保障处党支部",
        short: "后勤",
        kind: OrgUnitKind::Branch(BranchKind::AdminService),
        parent: Some("admin"),
    },
    UnitSpec {
        key: "admin-r1",
        name: "机关离退休党支部",
        short: "机关离退",
        kind: OrgUnitKind::Branch(BranchKind::Retired),
        parent: Some("admin"),
    },
];

/// The people who sign in to the demo, and what they are.
pub(super) struct Named {
    pub(super) login: &'static str,
    pub(super) name: &'static str,
    pub(super) branch: &'static str,
    pub(super) category: MemberCategory,
    pub(super) cadre: Option<CadreRank>,
    pub(super) title: &'static str,
    pub(super) role: Option<(Role, &'static str)>,
}

pub(super) const NAMED: &[Named] = &[
    Named {
        login: "member",
        name: "王立新",
        branch: "cs-t1",
        category: MemberCategory::Teacher,
        cadre: None,
        title: "副教授",
        role: None,
    },
    Named {
        login: "student",
        name: "李思远",
        branch: "cs-s1",
        category: MemberCategory::Student,
        cadre: None,
        title: "软件工程专业三年级",
        role: None,
    },
    Named {
        login: "cadre",
        name: "赵建国",
        branch: "cs-t1",
        category: MemberCategory::Staff,
        cadre: Some(CadreRank::Section),
        title: "学院办公室主任（科级）",
        role: None,
    },
    Named {
        login: "branch",
        name: "陈静",
        branch: "cs-t1",
        category: MemberCategory::Teacher,
        cadre: None,
        title: "教授、支部书记",
        role: Some((Role::BranchSecretary, "cs-t1")),
    },
    Named {
        login: "committee",
        name: "刘伟",
        branch: "cs-t2",
        category: MemberCategory::Teacher,
        cadre: Some(CadreRank::Division),
        title: "分党委书记",
        role: Some((Role::CommitteeSecretary, "cs")),
    },
    Named {
        login: "leader",
        name: "孙明华",
        branch: "admin-a1",
        category: MemberCategory::Staff,
        cadre: Some(CadreRank::Bureau),
        title: "校党委副书记",
        role: Some((Role::Leader, "cs")),
    },
    Named {
        login: "office",
        name: "周晓燕",
        branch: "admin-a1",
        category: MemberCategory::Staff,
        cadre: Some(CadreRank::Section),
        title: "创先争优活动办公室主任",
        role: Some((Role::Office, "school")),
    },
];

pub(super) const SURNAMES: &[&str] = &[
    "张", "杨", "黄", "吴", "徐", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "梁", "宋", "郑",
    "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈",
];
pub(super) const GIVEN: &[&str] = &[
    "志强", "秀英", "丽娟", "建华", "海燕", "晓明", "文博", "雨萱", "子涵", "浩然", "欣怡", "俊杰",
    "佳怡", "宇航", "梓涵", "振华", "玉兰", "国庆", "春梅", "立军", "思琪", "博文", "静怡", "明轩",
    "嘉欣", "晨阳", "凤英", "德明", "丽华", "天宇",
];

pub(super) async fn organization(
    db: &mut DbConnection,
    now: DateTime<Utc>,
) -> Result<Built, DemoError> {
    let mut units = HashMap::new();
    for spec in UNITS {
        let id = OrgUnitId::new();
        units.insert(spec.key, id);
        let unit = Unit {
            unit: OrgUnit {
                id,
                name: spec.name.to_owned(),
                kind: spec.kind,
                parent: spec.parent.map(|p| units[p]),
            },
            short_name: spec.short.to_owned(),
        };
        directory::insert_unit(db, &unit).await?;
    }
    // One hash for every demo account: argon2 is slow on purpose, and these
    // accounts share their published password anyway.
    let hash = password::hash(DEMO_PASSWORD);
    let mut built = Built {
        units,
        members: HashMap::new(),
        secretaries: HashMap::new(),
        categories: HashMap::new(),
        logins: HashMap::new(),
        committee_secretaries: HashMap::new(),
        office: PersonId::new(),
    };
    for named in NAMED {
        let id = person(
            db,
            &mut built,
            named.name,
            named.branch,
            named.category,
            named.cadre,
            false,
            named.title,
        )
        .await?;
        accounts::create(db, id, named.login, &hash, now).await?;
        if let Some((role, unit)) = named.role {
            grant(db, id, role, built.units[unit]).await?;
            match role {
                Role::CommitteeSecretary => {
                    built.committee_secretaries.insert(unit, id);
                }
                Role::Office => built.office = id,
                Role::BranchSecretary => {
                    // The secretary leads the list of the branch.
                    let list = built
                        .members
                        .get_mut(unit)
                        .expect("the branch has its secretary");
                    list.retain(|p| *p != id);
                    list.insert(0, id);
                }
                _ => {}
            }
        }
        built.logins.insert(named.login, id);
    }
    // Everyone else, eight or so to a branch.
    let mut n = 0usize;
    for spec in UNITS
        .iter()
        .filter(|u| matches!(u.kind, OrgUnitKind::Branch(_)))
    {
        let OrgUnitKind::Branch(kind) = spec.kind else {
            continue;
        };
        let already = built.members.get(spec.key).map_or(0, Vec::len);
        for i in already..7 {
            let name = format!(
                "{}{}",
                SURNAMES[n % SURNAMES.len()],
                GIVEN[(n * 7 + n / SURNAMES.len() * 11 + 3) % GIVEN.len()]
            );
            n += 1;
            let (category, title) = match kind {
                BranchKind::Teaching if i % 4 == 3 => (MemberCategory::Staff, "教学秘书"),
                BranchKind::Teaching => {
                    (MemberCategory::Teacher, ["讲师", "副教授", "教授"][i % 3])
                }
                BranchKind::AdminService => {
                    (MemberCategory::Staff, ["科员", "副科长", "科长"][i % 3])
                }
                BranchKind::Student => (
                    MemberCategory::Student,
                    ["本科二年级", "本科三年级", "本科四年级"][i % 3],
                ),
                BranchKind::Retired => (MemberCategory::Retired, "退休教师"),
            };
            // A section chief is a section-level cadre; two students are activists.
            let cadre = (title == "科长").then_some(CadreRank::Section);
            let activist = kind == BranchKind::Student && i == 6;
            person(
                db, &mut built, &name, spec.key, category, cadre, activist, title,
            )
            .await?;
        }
        // A branch without a named secretary is led by its first other member.
        let secretary = *built
            .secretaries
            .entry(spec.key)
            .or_insert(built.members[spec.key][already]);
        grant(db, secretary, Role::BranchSecretary, built.units[spec.key]).await?;
    }
    // Committees without a named secretary get one from their first branch.
    for committee in ["econ", "admin"] {
        let first_branch = UNITS
            .iter()
            .find(|u| u.parent == Some(committee))
            .expect("a committee has branches");
        let secretary = *built.members[first_branch.key]
            .last()
            .expect("a branch has people");
        grant(
            db,
            secretary,
            Role::CommitteeSecretary,
            built.units[committee],
        )
        .await?;
        built.committee_secretaries.insert(committee, secretary);
    }
    Ok(built)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn person(
    db: &mut DbConnection,
    built: &mut Built,
    name: &str,
    branch: &'static str,
    category: MemberCategory,
    cadre: Option<CadreRank>,
    activist: bool,
    title: &str,
) -> Result<PersonId, DemoError> {
    let id = PersonId::new();
    let record = PersonRecord {
        person: Person {
            id,
            name: name.to_owned(),
            branch: built.units[branch],
            category,
            cadre_rank: cadre,
            is_activist: activist,
        },
        title: title.to_owned(),
    };
    directory::insert_person(db, &record).await?;
    built.members.entry(branch).or_default().push(id);
    built.categories.insert(id, (category, cadre));
    Ok(id)
}

pub(super) async fn grant(
    db: &mut DbConnection,
    person: PersonId,
    role: Role,
    unit: OrgUnitId,
) -> Result<(), DemoError> {
    Ok(directory::grant(db, person, role, unit).await?)
}
