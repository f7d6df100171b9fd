//! The supervision dashboard (督查) of a unit, assembled from the store and
//! the directory and counted by the domain (`Dashboard::build`): the 督查
//! screen and its workbook show it, a progress notice (情况通报) is written
//! from it.

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::store::directory::Directory;
use crate::store::{ballots, cycles, evaluation, supervision};
use chengnuo_domain::evaluation::Round;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::permission::{can, Action, Actor, Target};
use chengnuo_domain::supervision::{Child, Dashboard, Evaluated, RoundRef, UnitRef};
use chrono::Utc;

fn target(directory: &Directory, unit: OrgUnitId, kind: OrgUnitKind) -> Target {
    Target::Unit {
        kind,
        ancestry: directory.ancestry(unit),
    }
}

fn unit_ref(directory: &Directory, id: OrgUnitId) -> UnitRef {
    UnitRef {
        id,
        name: directory
            .unit(id)
            .map(|u| u.unit.name.clone())
            .unwrap_or_default(),
    }
}

/// The highest units the actor supervises (the domain's rule), by name.
fn highest(directory: &Directory, actor: &Actor) -> Vec<UnitRef> {
    let mut units: Vec<UnitRef> = chengnuo_domain::supervision::highest_supervised(
        actor,
        |u| directory.ancestry(u),
        |u| directory.unit(u).is_some(),
    )
    .into_iter()
    .map(|u| unit_ref(directory, u))
    .collect();
    units.sort_by(|a, b| a.name.cmp(&b.name));
    units
}

fn round_ref(round: &Round) -> RoundRef {
    RoundRef {
        id: round.id,
        kind: round.kind,
        closes_on: round.closes_on,
        is_closed: round.is_closed,
        closed_on: round.closed_on,
    }
}

/// The dashboard of `choice`, else of the actor's highest unit (404 when it does not exist or is not the
/// caller's to supervise; 404 without a current cycle).
pub async fn build(
    db: &mut DbConnection,
    directory: &Directory,
    actor: &Actor,
    choice: Option<OrgUnitId>,
) -> Result<Dashboard, ApiError> {
    let mine = highest(directory, actor);
    let id = choice
        .or_else(|| mine.first().map(|u| u.id))
        .ok_or(ApiError::Forbidden)?;
    let unit = directory.unit(id).ok_or(ApiError::NotFound)?;
    let kind = unit.unit.kind;
    can(actor, Action::Supervise, &target(directory, id, kind))?;
    let cycle = cycles::current(db).await?.ok_or(ApiError::NotFound)?;
    let today = cycle.today(Utc::now());
    let mut path: Vec<UnitRef> = directory
        .ancestry(id)
        .0
        .iter()
        .rev()
        .skip_while(|u| {
            let kind = directory.unit(**u).map(|x| x.unit.kind);
            kind.is_none_or(|kind| {
                can(actor, Action::Supervise, &target(directory, **u, kind)).is_err()
            })
        })
        .map(|u| unit_ref(directory, *u))
        .collect();
    path.pop();
    let children: Vec<Child> = directory
        .children(id)
        .into_iter()
        .map(|child| Child {
            id: child.unit.id,
            name: child.unit.name.clone(),
            kind: child.unit.kind,
            committees: directory
                .units
                .values()
                .filter(|u| {
                    u.unit.kind == OrgUnitKind::Committee
                        && directory.ancestry(u.unit.id).contains(child.unit.id)
                })
                .map(|u| u.unit.id)
                .collect(),
        })
        .collect();
    let facts = supervision::facts_under(db, cycle.id, id, kind).await?;
    let rounds = evaluation::rounds(db, cycle.id).await?;
    let graded = rounds.iter().rev().find(|r| r.is_closed);
    let ballot_round = rounds.iter().find(|r| r.takes_input_on(today)).or(graded);
    let mut evaluated = Evaluated {
        quorum: u32::try_from(cycle.settings.mass_quorum).unwrap_or(u32::MAX),
        report_deadline: Some(cycle.calendar.report_deadline),
        reports: supervision::report_days(db, cycle.id).await?,
        ..Evaluated::default()
    };
    if let Some(round) = ballot_round {
        evaluated.ballots = ballots::tallies(db, round.id)
            .await?
            .into_iter()
            .map(|(id, tally)| (id, tally.total()))
            .collect();
    }
    if let Some(round) = graded {
        evaluated.grades = supervision::grades(db, round.id).await?;
    }
    let names = supervision::committers_at(db, cycle.id, id).await?;
    let counted = Dashboard::build(
        id,
        kind == OrgUnitKind::Committee,
        &children,
        &facts,
        &evaluated,
        |c| names.get(&c).cloned().unwrap_or_default(),
        (cycle.calendar.draft.start, cycle.calendar.fulfilment_until),
        today,
    );
    Ok(Dashboard {
        unit: unit_ref(directory, id),
        kind,
        path,
        mine,
        cycle: cycle.id,
        cycle_name: cycle.name.clone(),
        as_of: today,
        ballot_round: ballot_round.map(round_ref),
        graded_round: graded.map(round_ref),
        quorum: evaluated.quorum,
        total: counted.total,
        rows: counted.rows,
        progress: counted.progress,
    })
}
