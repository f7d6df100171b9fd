//! Runs the domain's scoring and validation over a corpus of cases. The same
//! source is compiled natively (the server's build) and to wasm32 (the
//! browser's build); `tests/tests/wasm_agreement.rs` runs both on one corpus
//! and asserts the answers are identical, to the digit.

use chengnuo_domain::commitment::{CommitmentDraft, CommitterKind};
use chengnuo_domain::cycle::{Cycle, CycleSettings};
use chengnuo_domain::evaluation::{assess, RoundInputs, RoundResult};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::validation::CommitmentRules;
use chengnuo_domain::Locale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Corpus {
    pub settings: CycleSettings,
    pub rounds: Vec<RoundInputs>,
    pub drafts: Vec<DraftCase>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftCase {
    pub kind: CommitterKind,
    pub year: i32,
    pub today: NaiveDate,
    pub draft: CommitmentDraft,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub rounds: Vec<RoundResult>,
    /// Per draft: the refusals at submission (empty when it parses), and their
    /// texts in both languages, as a person would read them.
    pub drafts: Vec<(ValidationErrors, Vec<String>)>,
}

pub fn answer(corpus: &Corpus) -> Answers {
    let rounds = corpus
        .rounds
        .iter()
        .map(|r| assess(r, &corpus.settings))
        .collect();
    let drafts = corpus
        .drafts
        .iter()
        .map(|case| {
            let mut cycle = Cycle::from_template(case.year);
            cycle.settings = corpus.settings.clone();
            let rules = CommitmentRules::new(case.kind, &cycle);
            let errors = case
                .draft
                .parse_for_submission(&rules, case.today)
                .err()
                .unwrap_or_default();
            let texts = errors
                .0
                .iter()
                .flat_map(|e| [e.message.text(Locale::Zh), e.message.text(Locale::En)])
                .collect();
            (errors, texts)
        })
        .collect();
    Answers { rounds, drafts }
}

/// The corpus as JSON in, the answers as JSON out.
pub fn run(corpus: &str) -> String {
    match serde_json::from_str::<Corpus>(corpus) {
        Ok(corpus) => {
            serde_json::to_string(&answer(&corpus)).unwrap_or_else(|e| format!("error: {e}"))
        }
        Err(e) => format!("error: {e}"),
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::wasm_bindgen;

    /// `run` for JavaScript.
    #[wasm_bindgen(js_name = run)]
    pub fn run(corpus: &str) -> String {
        super::run(corpus)
    }
}
