//! `--demo`: fills an empty database with a believable university — the
//! school committee and its office, three committees, ten branches of every
//! kind, about eighty people — and two cycles: last year's, complete
//! (published, fulfilled, assessed, one rectification), and the current one,
//! laid out from the plan's template so that today is in its drafting window,
//! with commitments in every state. Every step goes through the domain's rules.

mod current_cycle;
mod organization;
mod past_cycle;
pub mod school;
mod texts;
mod walk;

use crate::db::{DbConnection, DbPool};
use crate::store::cycles;
use crate::store::directory::Directory;
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{CadreRank, MemberCategory};
use chengnuo_domain::permission::{Actor, Role, RoleGrant};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

use current_cycle::current_cycle;
use organization::organization;
use past_cycle::past_cycle;

/// The password of every demo account (printed in README).
pub const DEMO_PASSWORD: &str = "chengnuo-demo";

/// Why the demo university could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Build(String),
}

pub async fn load_if_empty(db: &DbPool) -> Result<(), DemoError> {
    let people = crate::store::directory::count_people(&mut *db.acquire().await?).await?;
    if people > 0 {
        tracing::info!("the database has data: the demo university is not loaded again");
        return Ok(());
    }
    let mut tx = crate::db::begin_write(db).await?;
    build(&mut tx, Utc::now()).await?;
    tx.commit().await?;
    tracing::info!("demo university loaded; every demo account's password is {DEMO_PASSWORD}");
    Ok(())
}

pub(super) struct Built {
    pub(super) units: HashMap<&'static str, OrgUnitId>,
    /// Branch key → its people.
    pub(super) members: HashMap<&'static str, Vec<PersonId>>,
    /// Branch key → its secretary.
    pub(super) secretaries: HashMap<&'static str, PersonId>,
    pub(super) categories: HashMap<PersonId, (MemberCategory, Option<CadreRank>)>,
    pub(super) logins: HashMap<&'static str, PersonId>,
    pub(super) committee_secretaries: HashMap<&'static str, PersonId>,
    pub(super) office: PersonId,
}

pub(super) async fn build(db: &mut DbConnection, now: DateTime<Utc>) -> Result<(), DemoError> {
    let built = organization(db, now).await?;
    let directory = Directory::load(db).await?;
    let today = chengnuo_domain::cycle::school_day(
        now,
        chengnuo_domain::cycle::CycleSettings::default().utc_offset_minutes,
    );
    // Last year's cycle, complete.
    let last = Cycle::from_template(today.years_ago());
    cycles::insert(db, &last, false).await?;
    past_cycle(db, &directory, &built, &last).await?;
    // This year's, drafting since yesterday.
    let current = Cycle::starting_on(today.pred_opt().unwrap_or(today));
    cycles::insert(db, &current, true).await?;
    current_cycle(db, &directory, &built, &current, now).await?;
    crate::store::set_meta(db, "demo", &now.to_rfc3339()).await?;
    Ok(())
}

pub(super) trait YearsAgo {
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

pub(super) fn actor(person: PersonId, grants: &[(Role, OrgUnitId)]) -> Actor {
    Actor {
        person: Some(person),
        grants: grants
            .iter()
            .map(|&(role, unit)| RoleGrant { role, unit })
            .collect(),
    }
}

pub(super) fn member_kind(built: &Built, person: PersonId) -> CommitterKind {
    let (category, cadre_rank) = built.categories[&person];
    CommitterKind::Member {
        category,
        cadre_rank,
        is_activist: false,
    }
}

pub(super) fn author_of(built: &Built, dossier: &Dossier) -> Actor {
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

pub(super) fn reviewer_of(built: &Built, directory: &Directory, dossier: &Dossier) -> Actor {
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
