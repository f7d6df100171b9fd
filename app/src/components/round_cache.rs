//! The rounds of a commitment's year as this device knows them: kept in
//! browser storage of their own (not in the workspace, so their code stays
//! in the fulfilment part, out of the first load), read when a section
//! shows, refreshed while online. The self-check and the scores ask it for
//! the round open today, offline too.

use crate::state::use_state;
use chengnuo_domain::evaluation::Round;
use chengnuo_domain::ids::{CommitmentId, CycleId, PersonId};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct RoundCache {
    pub person: Option<PersonId>,
    pub cycle: Option<CycleId>,
    pub rounds: RwSignal<Vec<Round>>,
}

fn key(person: PersonId) -> String {
    format!("chengnuo.rounds.{person}")
}

impl RoundCache {
    /// The rounds of commitment `id`'s year, as kept for the signed-in person.
    pub fn of(id: CommitmentId) -> RoundCache {
        let state = use_state();
        let (person, cycle) = state.workspace.with_untracked(|w| {
            let w = w.as_ref();
            (
                w.map(|w| w.me.id()),
                w.and_then(|w| w.replica.get(id).map(|c| c.cycle)),
            )
        });
        let rounds = RwSignal::new(
            person
                .and_then(|p| crate::json::stored(key(p)))
                .unwrap_or_default(),
        );
        RoundCache {
            person,
            cycle,
            rounds,
        }
    }

    /// Fetches the year's rounds and keeps them, when they changed.
    pub async fn refresh(self, language: &'static str) {
        let (Some(person), Some(cycle)) = (self.person, self.cycle) else {
            return;
        };
        if let Ok(fresh) = crate::api::rounds(cycle, language).await {
            // The screen may be gone meanwhile (the person signed out or
            // moved on): kept anyway, shown if it is still there.
            let changed = self
                .rounds
                .try_with_untracked(|r| *r != fresh)
                .unwrap_or(true);
            if changed {
                let _ = crate::json::store(key(person), &fresh);
                let _ = self.rounds.try_set(fresh);
            }
        }
    }

    /// The round of this year taking input today (tracked).
    pub fn open_today(self) -> Option<Round> {
        let today = crate::time::today();
        self.rounds.with(|all| {
            all.iter()
                .find(|r| Some(r.cycle) == self.cycle && r.takes_input_on(today))
                .cloned()
        })
    }
}
