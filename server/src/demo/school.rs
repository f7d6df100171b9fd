//! `seed --members N --years Y`: a school of a real size for the benchmarks
//! and the scale tests. Committees of about 1,250 members, branches of about
//! 25 (teaching, student, administration, retired), a secretary for every
//! unit, leaders, the office; an account for everyone (logins `u00001`…,
//! and the demo's named logins `member`, `branch`, `committee`, `leader`,
//! `office` on people of the first committee; one password,
//! [`DEMO_PASSWORD`]). `Y - 1` finished cycles (everything published, the
//! ledger kept, three rounds graded, rectification ordered, some public
//! feedback) and the current one in its fulfilment phase: most commitments
//! published with items claimed and crossed off, the late ones in every
//! earlier state. Every step goes through the domain's rules, as in the demo.

use super::past_cycle::{complete_year, hold_rounds};
use super::walk::{Until, Walk};
use super::{actor, texts, DemoError, YearsAgo, DEMO_PASSWORD};
use crate::auth::password;
use crate::db::{Backend, DbConnection, DbPool};
use crate::store::directory::Directory;
use crate::store::{accounts, commitments, cycles, directory, feedback, ledger};
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::feedback::Feedback;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::ledger::ProgressEntry;
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory, OrgUnit, OrgUnitKind};
use chengnuo_domain::org::{Person, PersonRecord, Unit};
use chengnuo_domain::permission::{Actor, Role};
use chengnuo_domain::workflow::ItemStep;
use chrono::{DateTime, Days, Utc};

use super::organization::{GIVEN, SURNAMES};

/// How big a school to build.
#[derive(Debug, Clone, Copy)]
pub struct SchoolSize {
    pub members: usize,
    /// Cycles, the current one included.
    pub years: usize,
    /// Committees and branches together; by default a committee per 1,250
    /// members and a branch per 25. Given, one unit in 15 is a committee.
    pub units: Option<usize>,
}

/// What was built, for the log and the benchmarks.
#[derive(Debug, Default, Clone)]
pub struct Seeded {
    pub committees: usize,
    pub branches: usize,
    pub people: usize,
    pub commitments: usize,
    pub published: usize,
    pub ledger_entries: usize,
}

impl std::fmt::Display for Seeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} committees, {} branches, {} people with accounts, {} commitments ({} published), {} ledger entries; every password is {DEMO_PASSWORD}",
            self.committees,
            self.branches,
            self.people,
            self.commitments,
            self.published,
            self.ledger_entries
        )
    }
}

const MEMBERS_PER_BRANCH: usize = 25;
const MEMBERS_PER_COMMITTEE: usize = 1250;
/// The size of the branch of the `branch` account.
const LARGE_BRANCH: usize = 60;

/// Colleges and their short names (the numbering's prefix).
const COLLEGES: &[(&str, &str)] = &[
    ("机关与后勤党委", "机关"),
    ("经济管理学院分党委", "经管"),
    ("计算机科学与技术学院分党委", "计算机"),
    ("外国语学院分党委", "外语"),
    ("马克思主义学院分党委", "马院"),
    ("数学与统计学院分党委", "数统"),
    ("物理与电子工程学院分党委", "物电"),
    ("化学化工学院分党委", "化工"),
    ("生命科学学院分党委", "生科"),
    ("文学院分党委", "文学"),
    ("历史文化学院分党委", "历史"),
    ("法学院分党委", "法学"),
    ("新闻传播学院分党委", "新传"),
    ("教育学院分党委", "教育"),
    ("体育学院分党委", "体育"),
    ("美术学院分党委", "美术"),
    ("音乐学院分党委", "音乐"),
    ("土木工程学院分党委", "土木"),
    ("机械工程学院分党委", "机械"),
    ("材料科学与工程学院分党委", "材料"),
    ("环境科学学院分党委", "环境"),
    ("医学院分党委", "医学"),
    ("药学院分党委", "药学"),
    ("公共管理学院分党委", "公管"),
];

/// Refuses a database that has people in it; builds the school in one
/// transaction.
pub async fn seed(db: &DbPool, size: SchoolSize, now: DateTime<Utc>) -> Result<Seeded, DemoError> {
    if size.members < 50 || size.years == 0 {
        return Err(DemoError::Build(
            "a school needs at least 50 members and one year".to_owned(),
        ));
    }
    let mut tx = crate::db::begin_write(db).await?;
    let sqlite = Backend::of(&tx) == Backend::Sqlite;
    if sqlite {
        // One long transaction: a page cache that holds it saves rewriting pages.
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *tx)
            .await?;
    }
    if directory::count_people(&mut tx).await? > 0 {
        return Err(DemoError::Build(
            "the database has people already: seed an empty one".to_owned(),
        ));
    }
    let school = organization(&mut tx, size, now).await?;
    let directory = Directory::load(&mut tx).await?;
    let mut seeded = Seeded {
        committees: school.committees.len(),
        branches: school.committees.iter().map(|c| c.branches.len()).sum(),
        people: school.people,
        ..Seeded::default()
    };
    let today = chengnuo_domain::cycle::school_day(
        now,
        chengnuo_domain::cycle::CycleSettings::default().utc_offset_minutes,
    );
    let current_year = today.years_ago() + 1;
    for year in current_year + 1 - size.years as i32..=current_year {
        let current = year == current_year;
        let cycle = Cycle::from_template(year);
        cycles::insert(&mut tx, &cycle, current).await?;
        year_of(
            &mut tx,
            &directory,
            &school,
            &cycle,
            current,
            now,
            &mut seeded,
        )
        .await?;
    }
    crate::store::set_meta(&mut tx, "seeded", &seeded.to_string()).await?;
    tx.commit().await?;
    // The write-ahead log of one long transaction is as large as the
    // database: fold it in and give the space back.
    if sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db)
            .await?;
    } else {
        // The planner's statistics of the tables just filled (autovacuum
        // would gather them only later; the first requests would be planned
        // blind).
        sqlx::query("ANALYZE").execute(db).await?;
    }
    Ok(seeded)
}

struct Branch {
    id: OrgUnitId,
    kind: BranchKind,
    secretary: PersonId,
    /// Everyone but the secretary, with what they are.
    members: Vec<(PersonId, MemberCategory, Option<CadreRank>)>,
}

struct Committee {
    id: OrgUnitId,
    secretary: PersonId,
    branches: Vec<Branch>,
}

struct School {
    office: (PersonId, OrgUnitId),
    committees: Vec<Committee>,
    people: usize,
}

fn branch_kind(index: usize, in_administration: bool) -> BranchKind {
    if in_administration {
        return if index % 5 == 4 {
            BranchKind::Retired
        } else {
            BranchKind::AdminService
        };
    }
    match index % 10 {
        0..=3 => BranchKind::Teaching,
        9 => BranchKind::Retired,
        _ => BranchKind::Student,
    }
}

async fn organization(
    db: &mut DbConnection,
    size: SchoolSize,
    now: DateTime<Utc>,
) -> Result<School, DemoError> {
    let school_id = OrgUnitId::new();
    directory::insert_unit(
        db,
        &unit(school_id, "明德大学党委", "校", OrgUnitKind::School, None),
    )
    .await?;
    let committee_count = match size.units {
        Some(units) => units / 15,
        None => size.members.div_ceil(MEMBERS_PER_COMMITTEE),
    }
    .max(2);
    let branch_count = match size.units {
        Some(units) => units.saturating_sub(committee_count),
        None => size.members.div_ceil(MEMBERS_PER_BRANCH),
    }
    .max(committee_count);
    let hash = password::hash(DEMO_PASSWORD);
    let mut people = 0usize;
    let mut committees = Vec::new();
    let mut office = None;
    for c in 0..committee_count {
        let (name, short) = COLLEGES[c % COLLEGES.len()];
        let round = c / COLLEGES.len();
        let (name, short) = if round == 0 {
            (name.to_owned(), short.to_owned())
        } else {
            (
                format!("{name}（{}）", round + 1),
                format!("{short}{}", round + 1),
            )
        };
        let committee_id = OrgUnitId::new();
        directory::insert_unit(
            db,
            &unit(
                committee_id,
                &name,
                &short,
                OrgUnitKind::Committee,
                Some(school_id),
            ),
        )
        .await?;
        // Branches spread evenly over the committees.
        let first = c * branch_count / committee_count;
        let last = (c + 1) * branch_count / committee_count;
        let mut branches = Vec::new();
        for b in first..last {
            let index = b - first;
            let kind = branch_kind(index, c == 0);
            let college = short.as_str();
            let branch_name = match kind {
                BranchKind::Teaching => format!("{college}第{}教师党支部", index + 1),
                BranchKind::Student => format!("{college}学生第{}党支部", index + 1),
                BranchKind::AdminService => format!("{college}第{}党支部", index + 1),
                BranchKind::Retired => format!("{college}离退休第{}党支部", index + 1),
            };
            let branch_id = OrgUnitId::new();
            directory::insert_unit(
                db,
                &unit(
                    branch_id,
                    &branch_name,
                    &format!("{college}{}", index + 1),
                    OrgUnitKind::Branch(kind),
                    Some(committee_id),
                ),
            )
            .await?;
            // Members spread evenly over the branches.
            let mut size_of_branch =
                (b + 1) * size.members / branch_count - b * size.members / branch_count;
            // The `branch` account's branch is a large one (60 members).
            if c == 1 && index == 0 {
                size_of_branch = size_of_branch.max(LARGE_BRANCH);
            }
            let mut members = Vec::new();
            for i in 0..size_of_branch.max(2) {
                people += 1;
                let n = people;
                let name = format!(
                    "{}{}",
                    SURNAMES[n % SURNAMES.len()],
                    GIVEN[(n * 7 + n / SURNAMES.len() * 11 + 3) % GIVEN.len()]
                );
                let (category, title) = match kind {
                    BranchKind::Teaching if i % 5 == 4 => (MemberCategory::Staff, "教学秘书"),
                    BranchKind::Teaching => {
                        (MemberCategory::Teacher, ["讲师", "副教授", "教授"][i % 3])
                    }
                    BranchKind::AdminService => (
                        MemberCategory::Staff,
                        ["科员", "副科长", "科长", "处长"][i % 4],
                    ),
                    BranchKind::Student => (
                        MemberCategory::Student,
                        ["本科二年级", "本科三年级", "本科四年级", "硕士研究生"][i % 4],
                    ),
                    BranchKind::Retired => (MemberCategory::Retired, "退休教师"),
                };
                let cadre = match title {
                    "科长" => Some(CadreRank::Section),
                    "处长" => Some(CadreRank::Division),
                    _ => None,
                };
                let id = PersonId::new();
                directory::insert_person(
                    db,
                    &PersonRecord {
                        person: Person {
                            id,
                            name,
                            branch: branch_id,
                            category,
                            cadre_rank: cadre,
                            is_activist: false,
                        },
                        title: title.to_owned(),
                    },
                )
                .await?;
                let login =
                    named_login(c, b - first, i).map_or_else(|| format!("u{n:05}"), str::to_owned);
                accounts::create(db, id, &login, &hash, now).await?;
                members.push((id, category, cadre));
                if n.is_multiple_of(500) {
                    crate::db::commit_so_far(db).await?;
                }
            }
            let (secretary, _, _) = members.remove(0);
            directory::grant(db, secretary, Role::BranchSecretary, branch_id).await?;
            branches.push(Branch {
                id: branch_id,
                kind,
                secretary,
                members,
            });
        }
        // The committee's secretary sits in its first branch; the office in
        // the administration's.
        let secretary = branches[0].members[0].0;
        directory::grant(db, secretary, Role::CommitteeSecretary, committee_id).await?;
        if c == 0 {
            let person = branches[0].members[1].0;
            directory::grant(db, person, Role::Office, school_id).await?;
            office = Some((person, school_id));
        }
        // A school leader for every two committees.
        if c % 2 == 0 {
            let leader = branches[0].members[2].0;
            directory::grant(db, leader, Role::Leader, committee_id).await?;
        }
        committees.push(Committee {
            id: committee_id,
            secretary,
            branches,
        });
    }
    // The leader of committee 1 follows it too (one leader, two committees).
    if let Some(second) = committees.get(1) {
        let leader = committees[0].branches[0].members[2].0;
        directory::grant(db, leader, Role::Leader, second.id).await?;
    }
    Ok(School {
        office: office.expect("committee 0 exists"),
        committees,
        people,
    })
}

/// The demo's named logins, on people of the first committee: its first
/// branch's secretary (`branch`, a branch of 60) and a member of the second
/// committee's first branch (`member`)…
fn named_login(committee: usize, branch: usize, position: usize) -> Option<&'static str> {
    match (committee, branch, position) {
        // Administration: position 1 is the committee secretary, 2 the office, 3 a leader.
        (0, 0, 1) => Some("admin-committee"),
        (0, 0, 2) => Some("office"),
        (0, 0, 3) => Some("leader"),
        (1, 0, 0) => Some("branch"),
        (1, 0, 1) => Some("committee"),
        (1, 0, 4) => Some("member"),
        _ => None,
    }
}

fn unit(
    id: OrgUnitId,
    name: &str,
    short: &str,
    kind: OrgUnitKind,
    parent: Option<OrgUnitId>,
) -> Unit {
    Unit {
        unit: OrgUnit {
            id,
            name: name.to_owned(),
            kind,
            parent,
        },
        short_name: short.to_owned(),
    }
}

/// Who writes one commitment and who reviews it.
struct Writer {
    committer: Committer,
    kind: CommitterKind,
    unit: OrgUnitId,
    author: Actor,
    reviewer: Actor,
}

fn writers(school: &School) -> Vec<Writer> {
    let office = actor(school.office.0, &[(Role::Office, school.office.1)]);
    let mut writers = Vec::new();
    for committee in &school.committees {
        let secretary = actor(
            committee.secretary,
            &[(Role::CommitteeSecretary, committee.id)],
        );
        writers.push(Writer {
            committer: Committer::Unit(committee.id),
            kind: CommitterKind::Committee,
            unit: committee.id,
            author: secretary.clone(),
            reviewer: office.clone(),
        });
        for branch in &committee.branches {
            let branch_secretary = actor(
                branch.secretary,
                &[
                    (Role::BranchSecretary, branch.id),
                    (Role::Member, branch.id),
                ],
            );
            writers.push(Writer {
                committer: Committer::Unit(branch.id),
                kind: CommitterKind::Branch { kind: branch.kind },
                unit: branch.id,
                author: branch_secretary.clone(),
                reviewer: secretary.clone(),
            });
            for &(person, category, cadre_rank) in &branch.members {
                writers.push(Writer {
                    committer: Committer::Person(person),
                    kind: CommitterKind::Member {
                        category,
                        cadre_rank,
                        is_activist: false,
                    },
                    unit: branch.id,
                    author: actor(person, &[(Role::Member, branch.id)]),
                    reviewer: branch_secretary.clone(),
                });
            }
        }
    }
    writers
}

/// One cycle: finished (`current == false`) or in its fulfilment phase.
async fn year_of(
    db: &mut DbConnection,
    directory: &Directory,
    school: &School,
    cycle: &Cycle,
    current: bool,
    now: DateTime<Utc>,
    seeded: &mut Seeded,
) -> Result<(), DemoError> {
    let rounds = if current {
        Vec::new()
    } else {
        hold_rounds(db, cycle).await?
    };
    let mut numbers = std::collections::HashMap::<Option<OrgUnitId>, usize>::new();
    let late = [
        Until::Draft,
        Until::Submitted,
        Until::Returned,
        Until::Approved,
        Until::Signed,
    ];
    for (index, writer) in writers(school).iter().enumerate() {
        if index % 500 == 499 {
            crate::db::commit_so_far(db).await?;
        }
        // In the current year one commitment in twelve is late, in every state.
        let until = if current && index % 12 == 5 {
            late[index / 12 % late.len()]
        } else {
            Until::Published
        };
        let number = numbers
            .entry(directory.committee_of(writer.unit).map(|u| u.unit.id))
            .or_default();
        let mut walk = Walk {
            db: &mut *db,
            directory,
            cycle,
        };
        let mut dossier = walk
            .commitment(
                writer.committer,
                writer.kind,
                writer.unit,
                &writer.author,
                &writer.reviewer,
                until,
                index,
                number,
            )
            .await?;
        seeded.commitments += 1;
        if until == Until::Published {
            seeded.published += 1;
        }
        if !current {
            complete_year(
                db,
                cycle,
                &rounds,
                &mut dossier,
                &writer.author,
                &writer.reviewer,
                index,
            )
            .await?;
            seeded.ledger_entries += dossier.fulfilment.len() - usize::from(index % 7 == 3);
        } else if until == Until::Published {
            seeded.ledger_entries += under_way(db, &mut dossier, writer, index, now).await?;
        } else {
            commitments::save(db, &dossier, now).await?;
        }
        // Some public feedback on published commitments.
        if until == Until::Published && index % 23 == 0 {
            let text = texts::FEEDBACK[index / 23 % texts::FEEDBACK.len()];
            let at = cycle
                .calendar
                .publish
                .start
                .and_hms_opt(20, 0, 0)
                .expect("20:00")
                .and_utc();
            feedback::insert(
                db,
                dossier.id,
                &Feedback {
                    name: None,
                    text: text.to_owned(),
                },
                "seed",
                at,
            )
            .await?;
        }
    }
    Ok(())
}

/// The current year's published commitment, some months into fulfilment:
/// items whose deadline has passed are mostly claimed and crossed off, a
/// few wait for the secretary; a ledger entry for every item begun.
/// Returns the ledger entries written.
async fn under_way(
    db: &mut DbConnection,
    dossier: &mut Dossier,
    writer: &Writer,
    index: usize,
    now: DateTime<Utc>,
) -> Result<usize, DemoError> {
    let today = chengnuo_domain::cycle::school_day(
        now,
        chengnuo_domain::cycle::CycleSettings::default().utc_offset_minutes,
    );
    // Stored first: the ledger refers to it.
    commitments::save(db, dossier, now).await?;
    let mut entries = 0;
    let items: Vec<_> = dossier
        .fulfilment
        .iter()
        .map(|f| (f.item, f.deadline))
        .collect();
    for (position, (item, deadline)) in items.into_iter().enumerate() {
        let begun = !index.is_multiple_of(4) || position == 0;
        if !begun {
            continue;
        }
        if let Some(by) = writer.author.person {
            let day = deadline
                .min(today)
                .checked_sub_days(Days::new(3))
                .unwrap_or(today);
            let entry = ProgressEntry {
                item,
                date: day,
                text: texts::PROGRESS[(index + position) % texts::PROGRESS.len()].to_owned(),
                by,
                evidence: Vec::new(),
                public: false,
            };
            let at = day.and_hms_opt(17, 0, 0).expect("17:00").and_utc();
            ledger::insert(db, dossier.id, &entry, at).await?;
            entries += 1;
        }
        if deadline <= today || (index + position).is_multiple_of(5) {
            let done_on = deadline.min(today);
            let fail = |e| DemoError::Build(format!("{e:?}"));
            dossier
                .step_item(&writer.author, item, ItemStep::Claim, "", done_on)
                .map_err(fail)?;
            if (index + position) % 6 != 1 {
                dossier
                    .step_item(&writer.reviewer, item, ItemStep::CrossOff, "", done_on)
                    .map_err(fail)?;
            }
        }
    }
    commitments::save(db, dossier, now).await?;
    Ok(entries)
}
