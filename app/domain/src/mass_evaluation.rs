//! Mass evaluation (群众评议) with one-time codes: the codes a unit's
//! secretary issues and prints, the ballot paper a code opens on any phone
//! (no account), and the ballot cast with it.
//!
//! Anonymity is by construction: a cast ballot only adds one to a count per
//! commitment and choice (`satisfied`, `fairly`, `dissatisfied`), so the
//! database keeps no ballot row that could carry a code or a time; a code
//! keeps only whether it was used.

use crate::evaluation::{Ballot, Round};
use crate::ids::{CommitmentId, OrgUnitId};
use crate::messages::{Message, ValidationErrors};
use crate::publication::BoardItem;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Symbols of a code: digits and capitals without the look-alikes 0/O and
/// 1/I. 32 symbols, 5 bits each.
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Ten symbols: 50 bits, far beyond guessing at the rate allowed.
pub const CODE_LENGTH: usize = 10;
/// At most this many codes in one issue (a large branch's masses, and spares).
pub const MAX_CODES_PER_ISSUE: usize = 500;
/// Unknown codes an address may type in a window before it waits.
pub const CODE_GUESSES: i64 = 20;
pub const CODE_GUESS_WINDOW_MINUTES: i64 = 15;

/// A one-time ballot code, normalized (capitals, no separator).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BallotCode(String);

impl BallotCode {
    /// A code from ten random bytes (each byte's low five bits: 256 is a
    /// multiple of 32, so every symbol is equally likely).
    pub fn from_random(bytes: [u8; CODE_LENGTH]) -> BallotCode {
        BallotCode(
            bytes
                .iter()
                .map(|b| CODE_ALPHABET[usize::from(b & 31)] as char)
                .collect(),
        )
    }

    /// Reads a typed or scanned code: case, spaces and dashes do not matter;
    /// anything else outside the alphabet, or the wrong length, is no code.
    pub fn parse(typed: &str) -> Option<BallotCode> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b)))
            .then_some(BallotCode(code))
    }

    /// As printed: two groups of five (`7KQ2M-X9FHT`).
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }

    /// What the server keeps: the SHA-256 of the code, so a copy of the
    /// database casts no ballot.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The ballot page's address for a slip's QR code: the code in the
    /// fragment, which browsers never send to a server (nor to its logs).
    pub fn ballot_path(&self) -> String {
        format!("/ballot#{}", self.0)
    }
}

/// How many codes a secretary asks for (the form's text read by
/// [`parse_code_count`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    pub unit: OrgUnitId,
    #[serde(deserialize_with = "code_count")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub count: usize,
    /// The page's origin (`https://…`) for the QR codes' address; a slip
    /// without it points to the ballot page's path alone.
    #[serde(default)]
    pub origin: String,
}

fn code_count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let n = crate::sync::count(deserializer)?;
    match usize::try_from(n) {
        Ok(n) if (1..=MAX_CODES_PER_ISSUE).contains(&n) => Ok(n),
        _ => Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Unsigned(n),
            &"a number of codes from 1 to 500",
        )),
    }
}

/// The number of codes as typed in the form: a whole number from 1 to 500.
pub fn parse_code_count(typed: &str) -> Result<usize, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    match typed.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_CODES_PER_ISSUE).contains(&n) => return Ok(n),
        _ if typed.trim().is_empty() => errors.push("count", Message::Required),
        _ => errors.push(
            "count",
            Message::CountOutOfRange {
                max: MAX_CODES_PER_ISSUE,
            },
        ),
    }
    Err(errors)
}

/// Slips' printed numbers, each read as the API reads counts (whole, at
/// most 2^53 − 1, `3.0` taken as 3).
fn slip_numbers<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u64>, D::Error> {
    #[derive(Deserialize)]
    struct Number(#[serde(deserialize_with = "crate::sync::count")] u64);
    Ok(Vec::<Number>::deserialize(deserializer)?
        .into_iter()
        .map(|n| n.0)
        .collect())
}

/// One printed slip: its number in the unit's round (to void a lost one),
/// the code, and the QR code of the ballot page's address (SVG).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCode {
    pub number: u32,
    pub code: String,
    pub qr_svg: String,
}

/// The codes just issued, for the printed sheet. Shown once: the server
/// keeps only their hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSheet {
    pub unit: OrgUnitId,
    pub unit_name: String,
    pub round: Round,
    pub codes: Vec<IssuedCode>,
}

/// A unit's codes in a round, counted; never which code voted what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeCounts {
    pub issued: u32,
    pub used: u32,
    pub unused: u32,
    pub void: u32,
}

/// What a secretary sees of a unit's mass evaluation in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitCodes {
    pub unit: OrgUnitId,
    pub unit_name: String,
    pub counts: CodeCounts,
    /// The numbers of the slips not used yet (to void a lost one).
    pub unused_numbers: Vec<u32>,
    /// The ballots needed for a mass score (the cycle's quorum).
    pub quorum: usize,
}

/// Slips to void, by their printed numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoidRequest {
    pub unit: OrgUnitId,
    #[serde(deserialize_with = "slip_numbers")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u32>))]
    pub numbers: Vec<u64>,
}

/// The ballot paper a code opens: the unit, the round, and the unit's
/// published commitments with their progress, each to be rated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BallotPaper {
    pub unit_name: String,
    pub round: Round,
    pub subjects: Vec<BoardItem>,
    /// What each subject promised (as signed), in the order of `subjects`:
    /// the masses judge the items, not only the progress.
    #[serde(default)]
    pub promised: Vec<Vec<PromisedItem>>,
}

/// One signed item of a commitment on a ballot paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromisedItem {
    pub content: String,
    pub measures: String,
}

/// A code as typed or scanned, asking for its ballot paper (in the body:
/// never in an address a log would keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeQuestion {
    pub code: String,
}

/// What a cast ballot answers: how many choices were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counted {
    pub counted: usize,
}

/// One choice on a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BallotChoice {
    pub commitment: CommitmentId,
    pub ballot: Option<Ballot>,
}

/// A ballot as cast with a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CastBallot {
    pub code: String,
    pub choices: Vec<BallotChoice>,
}

/// The choices of a ballot: one for every subject of the paper, in any
/// order, each once (`choices[n]` names the subject left unrated).
pub fn parse_choices(
    choices: &[BallotChoice],
    subjects: &[CommitmentId],
) -> Result<Vec<(CommitmentId, Ballot)>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut parsed = Vec::new();
    for (n, subject) in subjects.iter().enumerate() {
        let mut given = choices.iter().filter(|c| c.commitment == *subject);
        match (given.next(), given.next()) {
            (
                Some(BallotChoice {
                    ballot: Some(ballot),
                    ..
                }),
                None,
            ) => parsed.push((*subject, *ballot)),
            (Some(_), Some(_)) => errors.push(format!("choices[{n}]"), Message::EveryItemOnce),
            _ => errors.push(format!("choices[{n}]"), Message::Required),
        }
    }
    if choices.iter().any(|c| !subjects.contains(&c.commitment)) {
        errors.push("choices", Message::EveryItemOnce);
    }
    errors.into_result(|| parsed)
}

/// A code's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CodeState {
    Unused,
    Used,
    Void,
}

impl CodeState {
    /// Whether a ballot may be cast with a code in this state, and why not.
    pub fn admits_ballot(self) -> Result<(), Message> {
        match self {
            CodeState::Unused => Ok(()),
            CodeState::Used => Err(Message::BallotCodeUsed),
            CodeState::Void => Err(Message::BallotCodeVoid),
        }
    }
}

/// The count of each choice for one commitment in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub satisfied: u32,
    pub fairly_satisfied: u32,
    pub dissatisfied: u32,
}

impl Tally {
    /// The ballots the scoring reads (their order carries nothing).
    pub fn ballots(&self) -> Vec<Ballot> {
        let mut ballots = vec![Ballot::Satisfied; self.satisfied as usize];
        ballots.extend(vec![
            Ballot::FairlySatisfied;
            self.fairly_satisfied as usize
        ]);
        ballots.extend(vec![Ballot::Dissatisfied; self.dissatisfied as usize]);
        ballots
    }

    pub fn total(&self) -> u32 {
        self.satisfied + self.fairly_satisfied + self.dissatisfied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_code_reads_back_as_printed_typed_in_any_case(bytes in any::<[u8; CODE_LENGTH]>()) {
            let code = BallotCode::from_random(bytes);
            prop_assert_eq!(BallotCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(BallotCode::parse(&code.display().to_lowercase()), Some(code.clone()));
            let spaced = format!(" {} {} ", &code.0[..5], &code.0[5..]);
            prop_assert_eq!(BallotCode::parse(&spaced), Some(code.clone()));
            prop_assert_eq!(code.hash().len(), 64);
            prop_assert!(code.ballot_path().ends_with(&code.0));
        }
    }

    #[test]
    fn codes_have_no_look_alikes_and_forty_bits_at_least() {
        for c in ['0', 'O', '1', 'I'] {
            assert!(!CODE_ALPHABET.contains(&(c as u8)), "{c}");
        }
        let bits = CODE_LENGTH as f64 * (CODE_ALPHABET.len() as f64).log2();
        assert!(bits >= 40.0, "{bits}");
        assert_eq!(BallotCode::parse("7KQ2M-X9FH"), None, "too short");
        assert_eq!(BallotCode::parse("7KQ2M-X9FH0"), None, "0 is no symbol");
        assert_ne!(
            BallotCode::from_random([0; 10]).hash(),
            BallotCode::from_random([1; 10]).hash()
        );
    }

    #[test]
    fn a_ballot_rates_every_subject_once() {
        let a = CommitmentId::new();
        let b = CommitmentId::new();
        let choice = |commitment, ballot| BallotChoice { commitment, ballot };
        let parsed = parse_choices(
            &[
                choice(b, Some(Ballot::Dissatisfied)),
                choice(a, Some(Ballot::Satisfied)),
            ],
            &[a, b],
        )
        .unwrap();
        assert_eq!(parsed, [(a, Ballot::Satisfied), (b, Ballot::Dissatisfied)]);
        let missing = parse_choices(
            &[choice(a, Some(Ballot::Satisfied)), choice(b, None)],
            &[a, b],
        );
        let errors = missing.unwrap_err();
        assert_eq!(errors.0[0].field, "choices[1]");
        assert_eq!(errors.0[0].message, Message::Required);
        let foreign = parse_choices(
            &[
                choice(a, Some(Ballot::Satisfied)),
                choice(CommitmentId::new(), Some(Ballot::Satisfied)),
            ],
            &[a],
        );
        assert_eq!(foreign.unwrap_err().0[0].field, "choices");
    }

    #[test]
    fn a_count_of_codes_is_a_whole_number_up_to_the_limit() {
        assert_eq!(parse_code_count(" 40 "), Ok(40));
        for bad in ["0", "501", "-3", "十"] {
            assert_eq!(
                parse_code_count(bad).unwrap_err().0[0].message,
                Message::CountOutOfRange { max: 500 },
                "{bad}"
            );
        }
        assert_eq!(
            parse_code_count("").unwrap_err().0[0].message,
            Message::Required
        );
        let unit = OrgUnitId::new();
        let request = |count: &str| {
            serde_json::from_str::<CodeRequest>(&format!(r#"{{"unit":"{unit}","count":{count}}}"#))
        };
        assert_eq!(request("40.0").unwrap().count, 40);
        assert!(request("0").is_err() && request("501").is_err() && request("2.5").is_err());
    }

    #[test]
    fn a_tally_gives_back_its_ballots() {
        let tally = Tally {
            satisfied: 3,
            fairly_satisfied: 1,
            dissatisfied: 2,
        };
        let ballots = tally.ballots();
        assert_eq!(ballots.len(), 6);
        assert_eq!(tally.total(), 6);
        assert_eq!(
            ballots
                .iter()
                .filter(|b| **b == Ballot::Dissatisfied)
                .count(),
            2
        );
    }
}
