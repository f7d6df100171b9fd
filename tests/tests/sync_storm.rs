//! The seeded sync storm (see `chengnuo_tests::storm`): 200 seeds here, more
//! with `cargo xtask storm --seeds N`. A failing seed prints itself; replay
//! it alone with `STORM_SEED=<seed> STORM_SEEDS=1 cargo test -p chengnuo-tests --test sync_storm`.

use chengnuo_tests::storm::{run_seed, Report, Size, Template};
use std::sync::Arc;
use std::time::Instant;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeded_storm_of_phones_and_faults_loses_nothing() {
    storm(env_number("STORM_INSTANCES", 1) as usize, 200).await
}

/// The same storm against two server instances on one database, as behind
/// a load balancer: each request lands on the next instance, a restart
/// stops one of them (also in the middle of a batch), a retry lands on the
/// other. Same assertions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_storm_holds_across_two_instances_on_one_database() {
    if std::env::var_os("STORM_INSTANCES").is_some() {
        return; // the first test runs the instances asked for
    }
    storm(2, 100).await
}

async fn storm(instances: usize, default_seeds: u64) {
    let first = env_number("STORM_SEED", 1);
    let seeds = env_number("STORM_SEEDS", default_seeds);
    let parallel = env_number("STORM_PARALLEL", 2) as usize;
    let size = Size {
        events: env_number("STORM_EVENTS", Size::default().events as u64) as usize,
        instances,
    };
    let template = Arc::new(Template::new().await);
    let started = Instant::now();
    let mut total = Report::default();
    let mut running = tokio::task::JoinSet::new();
    let mut next = first;
    let mut failed = Vec::new();
    let mut seed_of = std::collections::HashMap::new();
    while next < first + seeds || !running.is_empty() {
        while next < first + seeds && running.len() < parallel {
            let template = template.clone();
            let seed = next;
            let task = running.spawn(async move { (seed, run_seed(&template, seed, size).await) });
            seed_of.insert(task.id(), seed);
            next += 1;
        }
        match running.join_next().await.expect("a seed runs") {
            Ok((_, report)) => {
                total.requests += report.requests;
                total.busy += report.busy;
                total.typed_in_flight += report.typed_in_flight;
                total.dropped += report.dropped;
                total.answers_lost += report.answers_lost;
                total.duplicated += report.duplicated;
                total.delayed += report.delayed;
                total.restarts += report.restarts;
                total.cut_batches += report.cut_batches;
                total.conflicts_merged += report.conflicts_merged;
                total.refusals_seen += report.refusals_seen;
                total.tokens += report.tokens;
            }
            Err(error) => failed.push((seed_of[&error.id()], error)),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "storm ({instances} instance(s)): {seeds} seeds from {first} in {elapsed:.1} s ({:.1} seeds/s); {total:?}",
        seeds as f64 / elapsed
    );
    if !failed.is_empty() {
        for (seed, error) in &failed {
            eprintln!("storm seed {seed} failed ({error}); replay: STORM_SEED={seed} STORM_SEEDS=1 cargo test -p chengnuo-tests --test sync_storm");
        }
        panic!(
            "{} seed(s) failed: see the messages above (each names its seed: replay with STORM_SEED=<seed> STORM_SEEDS=1)",
            failed.len()
        );
    }
}
