//! This year's cycle, in its drafting window: commitments in every state.

use super::DemoError;
use crate::db::DbConnection;
use crate::store::commitments;
use crate::store::directory::Directory;
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::org::{MemberCategory, OrgUnitKind};
use chengnuo_domain::permission::Role;
use chrono::{DateTime, Utc};

use super::organization::UNITS;
use super::walk::{Until, Walk};
use super::{actor, member_kind, Built};

/// This year: drafting has just begun; commitments in every state.
pub(super) async fn current_cycle(
    db: &mut DbConnection,
    directory: &Directory,
    built: &Built,
    cycle: &Cycle,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
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
