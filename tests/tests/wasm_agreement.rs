//! The browser and the server must decide alike: the domain's scoring and
//! validation, compiled to wasm32 (run by Node's V8, Chromium's engine) and
//! natively, answer one corpus identically, to the digit and the letter.
//! Needs `cargo xtask test` (which builds target/agreement-wasm/).

use chengnuo_agreement::{answer, Corpus, DraftCase};
use chengnuo_domain::commitment::{CommitmentDraft, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::CycleSettings;
use chengnuo_domain::evaluation::{Ballot, ItemStanding, RoundInputs, RoundKind, Score};
use chengnuo_domain::org::{BranchKind, CadreRank, MemberCategory};
use chengnuo_domain::workflow::ItemState;
use chengnuo_tests::workspace_root;
use chrono::NaiveDate;
use uuid_from::item_id;

mod uuid_from {
    use chengnuo_domain::ids::ItemId;
    /// Deterministic ids, so the corpus is the same every run.
    pub fn item_id(n: u64) -> ItemId {
        let text = format!("00000000-0000-4000-8000-{n:012x}");
        text.parse().expect("a valid uuid")
    }
}

/// A small deterministic generator (no randomness in the corpus).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

fn corpus() -> Corpus {
    let mut rng = Lcg(20_101_019);
    let day = |offset: u64| {
        NaiveDate::from_ymd_opt(2011, 1, 1).unwrap() + chrono::Duration::days(offset as i64)
    };
    let mut rounds = Vec::new();
    for n in 0..400 {
        let leaders = (0..rng.next(5))
            .map(|_| Score::new(rng.next(101) as u8).unwrap())
            .collect();
        let ballots = (0..rng.next(40))
            .map(|_| match rng.next(3) {
                0 => Ballot::Satisfied,
                1 => Ballot::FairlySatisfied,
                _ => Ballot::Dissatisfied,
            })
            .collect();
        let organization = (rng.next(4) > 0).then(|| Score::new(rng.next(101) as u8).unwrap());
        let items = (0..rng.next(6))
            .map(|i| ItemStanding {
                item: item_id(n * 10 + i),
                state: match rng.next(3) {
                    0 => ItemState::Open,
                    1 => ItemState::ClaimedDone,
                    _ => ItemState::CrossedOff,
                },
                deadline: day(rng.next(200)),
            })
            .collect();
        rounds.push(RoundInputs {
            kind: if n % 2 == 0 {
                RoundKind::Annual
            } else {
                RoundKind::Quarterly
            },
            on: day(100 + rng.next(100)),
            leader_scores: leaders,
            ballots,
            organization,
            items,
        });
    }
    let kinds = [
        CommitterKind::Committee,
        CommitterKind::Branch {
            kind: BranchKind::Teaching,
        },
        CommitterKind::Member {
            category: MemberCategory::Student,
            cadre_rank: None,
            is_activist: false,
        },
        CommitterKind::Member {
            category: MemberCategory::Staff,
            cadre_rank: Some(CadreRank::Section),
            is_activist: false,
        },
    ];
    let areas = ["", "C1", "C8", "B1", "B2", "B3", "M1", "M4", "X9"];
    let texts = [
        "",
        "  ",
        "开设实验课",
        "Tutor two students",
        &"长".repeat(301),
    ];
    let dates = [
        "",
        "2011-02-30",
        "2010-10-18",
        "2010-10-25",
        "2011-03-01",
        "2011-05-31",
        "2011-06-01",
    ];
    let drafts = (0..300)
        .map(|n| DraftCase {
            kind: kinds[rng.next(kinds.len() as u64) as usize],
            year: 2010,
            today: NaiveDate::from_ymd_opt(2010, 10, 19 + rng.next(10) as u32).unwrap(),
            draft: CommitmentDraft {
                needs_summary: texts[rng.next(texts.len() as u64) as usize].to_owned(),
                items: (0..rng.next(5))
                    .map(|i| ItemDraft {
                        id: item_id(100_000 + n * 10 + i),
                        area: areas[rng.next(areas.len() as u64) as usize].to_owned(),
                        content: texts[rng.next(texts.len() as u64) as usize].to_owned(),
                        measures: texts[rng.next(texts.len() as u64) as usize].to_owned(),
                        deadline: dates[rng.next(dates.len() as u64) as usize].to_owned(),
                        target: texts[rng.next(3) as usize].to_owned(),
                        practical_deed: rng.next(2) == 0,
                    })
                    .collect(),
                standards: ["G1", "L5", "Q7"][..rng.next(4) as usize]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            },
        })
        .collect();
    Corpus {
        settings: CycleSettings::default(),
        rounds,
        drafts,
    }
}

#[test]
fn scoring_and_validation_agree_between_wasm32_and_native() {
    let bindings = workspace_root()
        .join("target")
        .join("agreement-wasm")
        .join("chengnuo_agreement.js");
    assert!(
        bindings.exists(),
        "the wasm32 build is missing: run `cargo xtask test` (it builds {})",
        bindings.display()
    );
    let corpus = corpus();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_string(&corpus).unwrap()).unwrap();
    let output = std::process::Command::new("node")
        .arg(
            workspace_root()
                .join("tests")
                .join("agreement")
                .join("run.mjs"),
        )
        .arg(&bindings)
        .arg(file.path())
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_wasm: chengnuo_agreement::Answers = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| {
            panic!(
                "wasm answered {e}: {}",
                String::from_utf8_lossy(&output.stdout)
            )
        });
    let native = answer(&corpus);
    assert_eq!(from_wasm.rounds.len(), 400);
    // The corpus exercises what it should: grades, absent mass scores, caps, refusals, passes.
    assert!(native.rounds.iter().any(|r| r.composite.is_none()));
    assert!(native.rounds.iter().any(|r| !r.caps.is_empty()));
    assert!(native.drafts.iter().any(|(errors, _)| errors.is_empty()));
    assert!(native.drafts.iter().any(|(errors, _)| !errors.is_empty()));
    for (i, (wasm, native)) in from_wasm.rounds.iter().zip(&native.rounds).enumerate() {
        assert_eq!(wasm, native, "round {i}");
    }
    for (i, (wasm, native)) in from_wasm.drafts.iter().zip(&native.drafts).enumerate() {
        assert_eq!(wasm, native, "draft {i}");
    }
    assert_eq!(from_wasm, native);
}
