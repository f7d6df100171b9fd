//! `--demo`: fills an empty database with a believable university — the
//! school committee and its office, three committees, ten branches of every
//! kind, about eighty people — and two cycles: last year's, complete
//! (published, fulfilled, assessed, one rectification), and the current one,
//! laid out from the plan's template so that today is in its drafting window,
//! with commitments in every state. Every step goes through the domain's rules.

mod texts;

use crate::auth::password;
use crate::error::ApiError;
use crate::store::directory::{unit_kind_columns, Directory};
use crate::store::{audit, commitments, cycles, enum_text};
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::evaluation::{
    assess, rectification_orders, Ballot, RoundInputs, RoundKind, Score,
};
use chengnuo_domain::ids::{CommitmentId, ItemId, OrgUnitId, PersonId, RoundId};
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory, OrgUnitKind};
use chengnuo_domain::permission::{Actor, Role, RoleGrant};
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::review::{Criteria, ReviewDecision, ReviewDraft};
use chengnuo_domain::workflow::{CommitmentState, ItemStep};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;
use texts::ItemText;

/// The password of every demo account (printed in README).
pub const DEMO_PASSWORD: &str = "chengnuo-demo";

/// Why the demo university could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Build(String),
}

pub async fn load_if_empty(db: &SqlitePool) -> Result<(), DemoError> {
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(db)
        .await?;
    if people > 0 {
        tracing::info!("the database has data: the demo university is not loaded again");
        return Ok(());
    }
    let mut tx = db.begin().await?;
    build(&mut tx, Utc::now())
        .await
        .map_err(|e| DemoError::Build(e.to_string()))?;
    tx.commit().await?;
    tracing::info!("demo university loaded; every demo account's password is {DEMO_PASSWORD}");
    Ok(())
}

struct UnitSpec {
    key: &'static str,
    name: &'static str,
    short: &'static str,
    kind: OrgUnitKind,
    parent: Option<&'static str>,
}

const UNITS: &[UnitSpec] = &[
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
struct Named {
    login: &'static str,
    name: &'static str,
    branch: &'static str,
    category: MemberCategory,
    cadre: Option<CadreRank>,
    title: &'static str,
    role: Option<(Role, &'static str)>,
}

const NAMED: &[Named] = &[
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

const SURNAMES: &[&str] = &[
    "张", "杨", "黄", "吴", "徐", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "梁", "宋", "郑",
    "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈",
];
const GIVEN: &[&str] = &[
    "志强", "秀英", "丽娟", "建华", "海燕", "晓明", "文博", "雨萱", "子涵", "浩然", "欣怡", "俊杰",
    "佳怡", "宇航", "梓涵", "振华", "玉兰", "国庆", "春梅", "立军", "思琪", "博文", "静怡", "明轩",
    "嘉欣", "晨阳", "凤英", "德明", "丽华", "天宇",
];

struct Built {
    units: HashMap<&'static str, OrgUnitId>,
    /// Branch key → its people.
    members: HashMap<&'static str, Vec<PersonId>>,
    /// Branch key → its secretary.
    secretaries: HashMap<&'static str, PersonId>,
    categories: HashMap<PersonId, (MemberCategory, Option<CadreRank>)>,
    logins: HashMap<&'static str, PersonId>,
    committee_secretaries: HashMap<&'static str, PersonId>,
    office: PersonId,
}

async fn build(db: &mut SqliteConnection, now: DateTime<Utc>) -> Result<(), ApiError> {
    let built = organization(db, now).await?;
    let directory = Directory::load(db).await?;
    let today = now.date_naive();
    // Last year's cycle, complete.
    let last = Cycle::from_template(today.years_ago());
    cycles::insert(db, &last, false).await?;
    past_cycle(db, &directory, &built, &last).await?;
    // This year's, drafting since yesterday.
    let current = Cycle::starting_on(today.pred_opt().unwrap_or(today));
    cycles::insert(db, &current, true).await?;
    current_cycle(db, &directory, &built, &current, now).await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ('demo', ?)")
        .bind(now.to_rfc3339())
        .execute(&mut *db)
        .await?;
    Ok(())
}

trait YearsAgo {
    fn years_ago(&self) -> i32;
}

impl YearsAgo for NaiveDate {
    /// The year of last year's cycle: the one whose fulfilment ended before today.
    fn years_ago(&self) -> i32 {
        let year = chrono::Datelike::year(self);
        if Cycle::from_template(year - 1).calendar.annual_round.end < *self {
            year - 1
        } else {
            year - 2
        }
    }
}

async fn organization(db: &mut SqliteConnection, now: DateTime<Utc>) -> Result<Built, ApiError> {
    let mut units = HashMap::new();
    for spec in UNITS {
        let id = OrgUnitId::new();
        units.insert(spec.key, id);
        let (kind, branch_kind) = unit_kind_columns(spec.kind);
        sqlx::query("INSERT INTO org_units (id, name, short_name, kind, branch_kind, parent_id) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(id.to_string())
            .bind(spec.name)
            .bind(spec.short)
            .bind(kind)
            .bind(branch_kind)
            .bind(spec.parent.map(|p| units[p].to_string()))
            .execute(&mut *db)
            .await?;
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
        sqlx::query("INSERT INTO accounts (person_id, login, password_hash, created_at) VALUES (?, ?, ?, ?)")
            .bind(id.to_string())
            .bind(named.login)
            .bind(&hash)
            .bind(now.to_rfc3339())
            .execute(&mut *db)
            .await?;
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
async fn person(
    db: &mut SqliteConnection,
    built: &mut Built,
    name: &str,
    branch: &'static str,
    category: MemberCategory,
    cadre: Option<CadreRank>,
    activist: bool,
    title: &str,
) -> Result<PersonId, ApiError> {
    let id = PersonId::new();
    sqlx::query("INSERT INTO persons (id, name, branch_id, category, cadre_rank, is_activist, title) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(id.to_string())
        .bind(name)
        .bind(built.units[branch].to_string())
        .bind(enum_text(&category))
        .bind(cadre.map(|c| enum_text(&c)))
        .bind(activist)
        .bind(title)
        .execute(&mut *db)
        .await?;
    if !activist {
        grant(db, id, Role::Member, built.units[branch]).await?;
    }
    built.members.entry(branch).or_default().push(id);
    built.categories.insert(id, (category, cadre));
    Ok(id)
}

async fn grant(
    db: &mut SqliteConnection,
    person: PersonId,
    role: Role,
    unit: OrgUnitId,
) -> Result<(), ApiError> {
    sqlx::query("INSERT OR IGNORE INTO role_grants (person_id, role, unit_id) VALUES (?, ?, ?)")
        .bind(person.to_string())
        .bind(enum_text(&role))
        .bind(unit.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
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

fn texts_for(kind: CommitterKind) -> &'static [ItemText] {
    match kind {
        CommitterKind::School | CommitterKind::Committee => texts::COMMITTEE,
        CommitterKind::Branch {
            kind: BranchKind::Teaching,
        } => texts::TEACHING_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::AdminService,
        } => texts::ADMIN_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::Student,
        } => texts::STUDENT_BRANCH,
        CommitterKind::Branch {
            kind: BranchKind::Retired,
        } => texts::RETIRED_BRANCH,
        CommitterKind::Member {
            cadre_rank: Some(_),
            ..
        } => texts::CADRE,
        CommitterKind::Member {
            category: MemberCategory::Teacher,
            ..
        } => texts::TEACHER,
        CommitterKind::Member {
            category: MemberCategory::Staff,
            ..
        } => texts::STAFF,
        CommitterKind::Member {
            category: MemberCategory::Student,
            ..
        } => texts::STUDENT,
        CommitterKind::Member {
            category: MemberCategory::Retired,
            ..
        } => texts::RETIREE,
    }
}

fn draft_for(kind: CommitterKind, cycle: &Cycle, seed: usize) -> CommitmentDraft {
    let start = cycle.calendar.draft.start;
    let end = cycle.calendar.fulfilment_until;
    let items = texts_for(kind)
        .iter()
        .map(|text| {
            let deadline = start
                .checked_add_months(Months::new(text.months))
                .map(|d| d.min(end))
                .unwrap_or(end);
            ItemDraft {
                id: ItemId::new(),
                area: text.area.to_owned(),
                content: text.content.to_owned(),
                measures: text.measures.to_owned(),
                deadline: deadline.to_string(),
                target: text.target.to_owned(),
                practical_deed: text.area == "B2",
            }
        })
        .collect();
    let standards = match kind {
        CommitterKind::Member { .. } => {
            vec!["L1".to_owned(), ["L2", "L3", "L5"][seed % 3].to_owned()]
        }
        _ => vec!["G1".to_owned(), ["G3", "G4", "G5"][seed % 3].to_owned()],
    };
    CommitmentDraft {
        needs_summary: texts::NEEDS[seed % texts::NEEDS.len()].to_owned(),
        items,
        standards,
    }
}

/// The steps a commitment takes in the demo.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Until {
    Draft,
    Submitted,
    Returned,
    Approved,
    Signed,
    Published,
}

struct Walk<'a> {
    db: &'a mut SqliteConnection,
    directory: &'a Directory,
    cycle: &'a Cycle,
}

impl Walk<'_> {
    async fn log(
        &mut self,
        dossier: &Dossier,
        actor: &Actor,
        action: &str,
        from: Option<CommitmentState>,
        at: DateTime<Utc>,
        comment: Option<String>,
    ) -> Result<(), ApiError> {
        audit::record(
            self.db,
            audit::Record {
                at,
                actor: actor.person,
                action,
                subject_type: "commitment",
                subject_id: dossier.id.to_string(),
                from_state: from.map(|s| enum_text(&s)),
                to_state: Some(enum_text(&dossier.state)),
                comment,
            },
        )
        .await
    }

    /// Takes one commitment through the workflow with the real rules.
    #[allow(clippy::too_many_arguments)]
    async fn commitment(
        &mut self,
        committer: Committer,
        kind: CommitterKind,
        unit: OrgUnitId,
        author: &Actor,
        reviewer: &Actor,
        until: Until,
        seed: usize,
        number: &mut usize,
    ) -> Result<Dossier, ApiError> {
        let calendar = &self.cycle.calendar;
        let at = |day: NaiveDate, hour: u32| {
            day.and_hms_opt(hour, 0, 0).expect("a valid hour").and_utc()
        };
        let mut dossier = Dossier::new(
            CommitmentId::new(),
            self.cycle.id,
            committer,
            kind,
            self.directory.ancestry(unit),
            draft_for(kind, self.cycle, seed),
        );
        self.log(
            &dossier,
            author,
            "create",
            None,
            at(calendar.draft.start, 9),
            None,
        )
        .await?;
        let fail = |e: chengnuo_domain::dossier::Refusal| {
            ApiError::Internal(format!("demo data broke a rule: {e:?}"))
        };
        if until >= Until::Submitted {
            dossier
                .submit(author, self.cycle, calendar.draft.start)
                .map_err(fail)?;
            self.log(
                &dossier,
                author,
                "submit",
                Some(CommitmentState::Draft),
                at(calendar.draft.start, 16),
                None,
            )
            .await?;
        }
        if until == Until::Returned {
            let guidance = "第二项的具体措施还不够明确，请写明每月的安排和完成标准。".to_owned();
            let review = ReviewDraft {
                criteria: Criteria {
                    feasible: false,
                    ..Criteria::all()
                },
                decision: ReviewDecision::Return,
                guidance: guidance.clone(),
            };
            dossier
                .review(reviewer, &review, at(calendar.draft.start, 18))
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                "return",
                Some(CommitmentState::Submitted),
                at(calendar.draft.start, 18),
                Some(guidance),
            )
            .await?;
        }
        if until >= Until::Approved {
            let review = ReviewDraft {
                criteria: Criteria::all(),
                decision: ReviewDecision::Approve,
                guidance: String::new(),
            };
            dossier
                .review(reviewer, &review, at(calendar.review.start, 10))
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                "approve",
                Some(CommitmentState::Submitted),
                at(calendar.review.start, 10),
                None,
            )
            .await?;
        }
        if until >= Until::Signed {
            *number += 1;
            let label = self
                .directory
                .numbering(Some(unit), self.cycle.year)
                .number(u32::try_from(*number).unwrap_or(u32::MAX));
            dossier
                .sign(author, self.cycle, label.clone())
                .map_err(fail)?;
            self.log(
                &dossier,
                author,
                "sign",
                Some(CommitmentState::Approved),
                at(calendar.sign.start, 11),
                Some(label),
            )
            .await?;
        }
        if until >= Until::Published {
            let start = calendar.publish.start;
            let end = start.checked_add_days(Days::new(6)).unwrap_or(start);
            let display = DisplayDraft {
                start: start.to_string(),
                end: end.to_string(),
            };
            dossier
                .publish(reviewer, self.cycle, &display, start)
                .map_err(fail)?;
            self.log(
                &dossier,
                reviewer,
                "publish",
                Some(CommitmentState::Signed),
                at(start, 9),
                Some(format!("{start} – {end}")),
            )
            .await?;
        }
        Ok(dossier)
    }
}

fn member_kind(built: &Built, person: PersonId) -> CommitterKind {
    let (category, cadre_rank) = built.categories[&person];
    CommitterKind::Member {
        category,
        cadre_rank,
        is_activist: false,
    }
}

/// Last year: everything published, the ledger kept, rounds held, graded.
async fn past_cycle(
    db: &mut SqliteConnection,
    directory: &Directory,
    built: &Built,
    cycle: &Cycle,
) -> Result<(), ApiError> {
    let office = actor(built.office, &[(Role::Office, built.units["school"])]);
    let annual_close = cycle.calendar.annual_round.end;
    let mut walk = Walk {
        db,
        directory,
        cycle,
    };
    let mut dossiers = Vec::new();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut seed = 0;
    for committee in ["econ", "cs", "admin"] {
        let secretary = actor(
            built.committee_secretaries[committee],
            &[(Role::CommitteeSecretary, built.units[committee])],
        );
        let number = numbers.entry(committee).or_default();
        let unit = built.units[committee];
        dossiers.push(
            walk.commitment(
                Committer::Unit(unit),
                CommitterKind::Committee,
                unit,
                &secretary,
                &office,
                Until::Published,
                seed,
                number,
            )
            .await?,
        );
        seed += 1;
        for spec in UNITS.iter().filter(|u| u.parent == Some(committee)) {
            let OrgUnitKind::Branch(kind) = spec.kind else {
                continue;
            };
            let branch = built.units[spec.key];
            let branch_secretary = actor(
                built.secretaries[spec.key],
                &[(Role::BranchSecretary, branch), (Role::Member, branch)],
            );
            dossiers.push(
                walk.commitment(
                    Committer::Unit(branch),
                    CommitterKind::Branch { kind },
                    branch,
                    &branch_secretary,
                    &secretary,
                    Until::Published,
                    seed,
                    number,
                )
                .await?,
            );
            seed += 1;
            for &member in built.members[spec.key]
                .iter()
                .filter(|p| **p != built.secretaries[spec.key])
                .take(3)
            {
                let author = actor(member, &[(Role::Member, branch)]);
                dossiers.push(
                    walk.commitment(
                        Committer::Person(member),
                        member_kind(built, member),
                        branch,
                        &author,
                        &branch_secretary,
                        Until::Published,
                        seed,
                        number,
                    )
                    .await?,
                );
                seed += 1;
            }
        }
    }
    let rounds = [
        (RoundKind::Quarterly, cycle.calendar.quarterly_rounds[0]),
        (RoundKind::Quarterly, cycle.calendar.quarterly_rounds[1]),
        (RoundKind::Annual, cycle.calendar.annual_round),
    ];
    let round_ids: Vec<RoundId> = rounds.iter().map(|_| RoundId::new()).collect();
    for ((kind, window), id) in rounds.iter().zip(&round_ids) {
        sqlx::query("INSERT INTO rounds (id, cycle_id, kind, opens_on, closes_on, is_closed) VALUES (?, ?, ?, ?, ?, 1)")
            .bind(id.to_string())
            .bind(cycle.id.to_string())
            .bind(enum_text(kind))
            .bind(window.start.to_string())
            .bind(window.end.to_string())
            .execute(&mut *walk.db)
            .await?;
    }
    let at = annual_close.and_hms_opt(18, 0, 0).expect("18:00").and_utc();
    for (index, dossier) in dossiers.iter_mut().enumerate() {
        // Stored first: the ledger and the results refer to it.
        commitments::save(walk.db, dossier, at).await?;
        // Cross off what was due, except one item in every seventh commitment.
        let reviewer = reviewer_of(built, directory, dossier);
        let author_actor = author_of(built, dossier);
        let items: Vec<(ItemId, NaiveDate)> = dossier
            .fulfilment
            .iter()
            .map(|f| (f.item, f.deadline))
            .collect();
        for (position, (item, deadline)) in items.iter().enumerate() {
            let left_undone = index % 7 == 3 && position == items.len() - 1;
            if left_undone {
                continue;
            }
            dossier
                .step_item(&author_actor, *item, ItemStep::Claim, "")
                .map_err(|e| ApiError::Internal(format!("{e:?}")))?;
            dossier
                .step_item(&reviewer, *item, ItemStep::CrossOff, "")
                .map_err(|e| ApiError::Internal(format!("{e:?}")))?;
            sqlx::query("INSERT INTO progress_entries (id, commitment_id, item_id, day, text, person_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(ItemId::new().to_string())
                .bind(dossier.id.to_string())
                .bind(item.to_string())
                .bind(deadline.to_string())
                .bind("已按计划完成，材料已归档。")
                .bind(author_actor.person.map(|p| p.to_string()))
                .bind(deadline.and_hms_opt(17, 0, 0).expect("17:00").and_utc().to_rfc3339())
                .execute(&mut *walk.db)
                .await?;
        }
        for ((kind, window), round) in rounds.iter().zip(&round_ids) {
            let inputs = RoundInputs {
                kind: *kind,
                on: window.end,
                leader_scores: vec![Score::new(80 + (index * 7 % 18) as u8).expect("≤ 100")],
                ballots: (0..6 + index % 5)
                    .map(|b| {
                        if (b + index) % 6 == 0 {
                            Ballot::FairlySatisfied
                        } else {
                            Ballot::Satisfied
                        }
                    })
                    .collect(),
                organization: Score::new(78 + (index * 5 % 20) as u8),
                items: dossier.standings(),
            };
            let result = assess(&inputs, &cycle.settings);
            sqlx::query("INSERT INTO round_results (round_id, commitment_id, inputs, result, grade) VALUES (?, ?, ?, ?, ?)")
                .bind(round.to_string())
                .bind(dossier.id.to_string())
                .bind(serde_json::to_string(&inputs)?)
                .bind(serde_json::to_string(&result)?)
                .bind(result.grade.map(|g| enum_text(&g)))
                .execute(&mut *walk.db)
                .await?;
            if *kind == RoundKind::Annual {
                for order in rectification_orders(&result, annual_close, &cycle.settings) {
                    sqlx::query("INSERT INTO rectification_orders (id, commitment_id, item_id, ordered_on, deadline, state) VALUES (?, ?, ?, ?, ?, 'Open')")
                        .bind(ItemId::new().to_string())
                        .bind(dossier.id.to_string())
                        .bind(order.item.to_string())
                        .bind(order.ordered_on.to_string())
                        .bind(order.deadline.to_string())
                        .execute(&mut *walk.db)
                        .await?;
                }
            }
        }
        commitments::save(walk.db, dossier, at).await?;
    }
    Ok(())
}

fn author_of(built: &Built, dossier: &Dossier) -> Actor {
    match dossier.committer {
        Committer::Person(person) => actor(person, &[]),
        Committer::Unit(unit) => {
            let role = match dossier.kind {
                CommitterKind::Committee => Role::CommitteeSecretary,
                _ => Role::BranchSecretary,
            };
            let holder = match dossier.kind {
                CommitterKind::Committee => built
                    .committee_secretaries
                    .iter()
                    .find(|(k, _)| built.units[**k] == unit)
                    .map(|(_, p)| *p),
                _ => built
                    .secretaries
                    .iter()
                    .find(|(k, _)| built.units[**k] == unit)
                    .map(|(_, p)| *p),
            };
            actor(holder.unwrap_or(built.office), &[(role, unit)])
        }
    }
}

fn reviewer_of(built: &Built, directory: &Directory, dossier: &Dossier) -> Actor {
    let unit = dossier.ancestry.unit().expect("a committer has a unit");
    match dossier.kind {
        CommitterKind::Member { .. } => {
            let key = built
                .units
                .iter()
                .find(|(_, id)| **id == unit)
                .map(|(k, _)| *k)
                .expect("a branch");
            actor(built.secretaries[key], &[(Role::BranchSecretary, unit)])
        }
        CommitterKind::Branch { .. } => {
            let parent = directory
                .unit(unit)
                .and_then(|u| u.unit.parent)
                .expect("a branch has a committee");
            let key = built
                .units
                .iter()
                .find(|(_, id)| **id == parent)
                .map(|(k, _)| *k)
                .expect("a committee");
            actor(
                built.committee_secretaries[key],
                &[(Role::CommitteeSecretary, parent)],
            )
        }
        _ => actor(built.office, &[(Role::Office, built.units["school"])]),
    }
}

/// This year: drafting has just begun; commitments in every state.
async fn current_cycle(
    db: &mut SqliteConnection,
    directory: &Directory,
    built: &Built,
    cycle: &Cycle,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let office = actor(built.office, &[(Role::Office, built.units["school"])]);
    let mut walk = Walk {
        db,
        directory,
        cycle,
    };
    let mut number = 0;
    let states = [
        Until::Draft,
        Until::Submitted,
        Until::Returned,
        Until::Approved,
        Until::Signed,
        Until::Published,
    ];
    let mut seed = 0;
    let member = built.logins["member"];
    let mut saved = Vec::new();
    for committee in ["econ", "cs", "admin"] {
        let unit = built.units[committee];
        let secretary = actor(
            built.committee_secretaries[committee],
            &[(Role::CommitteeSecretary, unit)],
        );
        let committee_state = if committee == "cs" {
            Until::Draft
        } else {
            Until::Submitted
        };
        saved.push(
            walk.commitment(
                Committer::Unit(unit),
                CommitterKind::Committee,
                unit,
                &secretary,
                &office,
                committee_state,
                seed,
                &mut number,
            )
            .await?,
        );
        for spec in UNITS.iter().filter(|u| u.parent == Some(committee)) {
            let OrgUnitKind::Branch(kind) = spec.kind else {
                continue;
            };
            let branch = built.units[spec.key];
            let branch_secretary = actor(
                built.secretaries[spec.key],
                &[(Role::BranchSecretary, branch), (Role::Member, branch)],
            );
            // The software branch's own commitment waits for the committee's review.
            let state = if spec.key == "cs-t1" {
                Until::Submitted
            } else {
                states[seed % states.len()]
            };
            saved.push(
                walk.commitment(
                    Committer::Unit(branch),
                    CommitterKind::Branch { kind },
                    branch,
                    &branch_secretary,
                    &secretary,
                    state,
                    seed,
                    &mut number,
                )
                .await?,
            );
            seed += 1;
            for (i, &person) in built.members[spec.key]
                .iter()
                .enumerate()
                .filter(|(_, p)| **p != built.secretaries[spec.key])
            {
                // `member` starts this cycle with nothing: the demo of drafting begins with them.
                if person == member
                    || built.categories[&person].0 == MemberCategory::Retired && i > 3
                {
                    continue;
                }
                let author = actor(person, &[(Role::Member, branch)]);
                let state = match built
                    .logins
                    .iter()
                    .find(|(_, p)| **p == person)
                    .map(|(l, _)| *l)
                {
                    Some("student") => Until::Draft,
                    Some("cadre") => Until::Submitted,
                    // The software branch's secretary has a queue to review.
                    _ if spec.key == "cs-t1" => Until::Submitted,
                    _ => states[(seed + i) % 4],
                };
                saved.push(
                    walk.commitment(
                        Committer::Person(person),
                        member_kind(built, person),
                        branch,
                        &author,
                        &branch_secretary,
                        state,
                        seed + i,
                        &mut number,
                    )
                    .await?,
                );
            }
        }
    }
    for dossier in &saved {
        commitments::save(walk.db, dossier, now).await?;
    }
    Ok(())
}
