//! Last year's cycle: everything published, the ledger kept, rounds held
//! and graded, rectification orders for what was left undone.

use super::DemoError;
use crate::db::DbConnection;
use crate::store::commitments;
use crate::store::directory::Directory;
use crate::store::{evaluation, ledger};
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::{Cycle, DateWindow};
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::evaluation::{
    assess, rectification_orders, Ballot, RoundInputs, RoundKind, Score,
};
use chengnuo_domain::ids::{ItemId, RoundId};
use chengnuo_domain::ledger::ProgressEntry;
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::permission::Actor;
use chengnuo_domain::permission::Role;
use chengnuo_domain::workflow::ItemStep;
use chrono::NaiveDate;
use std::collections::HashMap;

use super::organization::UNITS;
use super::walk::{Until, Walk};
use super::{actor, author_of, member_kind, reviewer_of, texts, Built};

/// Last year: everything published, the ledger kept, rounds held, graded.
pub(super) async fn past_cycle(
    db: &mut DbConnection,
    directory: &Directory,
    built: &Built,
    cycle: &Cycle,
) -> Result<(), DemoError> {
    let office = actor(built.office, &[(Role::Office, built.units["school"])]);
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
    let rounds = hold_rounds(walk.db, cycle).await?;
    for (index, dossier) in dossiers.iter_mut().enumerate() {
        let reviewer = reviewer_of(built, directory, dossier);
        let author = author_of(built, dossier);
        complete_year(walk.db, cycle, &rounds, dossier, &author, &reviewer, index).await?;
    }
    Ok(())
}

/// The rounds of a finished year (two quarterly, the annual), closed.
pub(super) async fn hold_rounds(
    db: &mut DbConnection,
    cycle: &Cycle,
) -> Result<Vec<(RoundKind, DateWindow, RoundId)>, DemoError> {
    let rounds = [
        (RoundKind::Quarterly, cycle.calendar.quarterly_rounds[0]),
        (RoundKind::Quarterly, cycle.calendar.quarterly_rounds[1]),
        (RoundKind::Annual, cycle.calendar.annual_round),
    ];
    let mut held = Vec::new();
    for (kind, window) in rounds {
        let round = chengnuo_domain::evaluation::Round {
            id: RoundId::new(),
            cycle: cycle.id,
            kind,
            opens_on: window.start,
            closes_on: window.end,
            is_closed: true,
            closed_on: Some(window.end),
        };
        evaluation::insert_round(db, &round).await?;
        held.push((kind, window, round.id));
    }
    Ok(held)
}

/// A published commitment's finished year: the ledger kept and what was due
/// crossed off (except one item in every seventh commitment, `index % 7 ==
/// 3`), graded in every round, rectification ordered for what is left.
pub(super) async fn complete_year(
    db: &mut DbConnection,
    cycle: &Cycle,
    rounds: &[(RoundKind, DateWindow, RoundId)],
    dossier: &mut Dossier,
    author: &Actor,
    reviewer: &Actor,
    index: usize,
) -> Result<(), DemoError> {
    let annual_close = cycle.calendar.annual_round.end;
    let at = annual_close.and_hms_opt(18, 0, 0).expect("18:00").and_utc();
    // Stored first: the ledger and the results refer to it.
    commitments::save(db, dossier, at).await?;
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
            .step_item(author, *item, ItemStep::Claim, "", *deadline)
            .map_err(|e| DemoError::Build(format!("{e:?}")))?;
        dossier
            .step_item(reviewer, *item, ItemStep::CrossOff, "", *deadline)
            .map_err(|e| DemoError::Build(format!("{e:?}")))?;
        if let Some(by) = author.person {
            let entry = ProgressEntry {
                item: *item,
                date: *deadline,
                text: texts::PROGRESS[(index + position) % texts::PROGRESS.len()].to_owned(),
                by,
                evidence: Vec::new(),
                public: false,
            };
            let at = deadline.and_hms_opt(17, 0, 0).expect("17:00").and_utc();
            ledger::insert(db, dossier.id, &entry, at).await?;
        }
    }
    for (kind, window, round) in rounds {
        let inputs = RoundInputs {
            kind: *kind,
            on: window.end,
            leader_scores: if dossier.kind.assessed_by_leaders() {
                vec![Score::new(80 + (index * 7 % 18) as u8).expect("≤ 100")]
            } else {
                Vec::new()
            },
            ballots: (0..6 + index % 5)
                .map(|b| {
                    if (b + index).is_multiple_of(6) {
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
        evaluation::insert_result(db, *round, dossier.id, &inputs, &result).await?;
        if *kind == RoundKind::Annual {
            for order in rectification_orders(&result, annual_close, &cycle.settings) {
                evaluation::insert_rectification(db, dossier.id, Some(*round), &order).await?;
            }
        }
    }
    commitments::save(db, dossier, at).await?;
    Ok(())
}
