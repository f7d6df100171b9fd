//! Evaluation and scoring (考核评议, DOMAIN.md section 5): the self-check, the
//! leaders' scores (领导点评), the mass ballots (群众评议), the organization's
//! score (组织考核), the composite, the grade and its caps, and the
//! rectification orders (限期整改) after the annual round.
//!
//! All arithmetic is in integers, in tenths of a point, rounding half up, so
//! the browser (wasm32) and the server (x86_64) agree to the digit.

use crate::cycle::CycleSettings;
use crate::ids::{CommitmentId, CycleId, ItemId, RectificationId, RoundId};
use crate::messages::{Message, ValidationErrors};
use crate::validation::{optional_text, MAX_REMARK};
use crate::workflow::{ItemState, ItemStatus};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A score in tenths of a point: `Tenths(875)` is 87.5. Always 0..=1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Tenths(pub u16);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// `numerator / denominator`, rounded half up; both non-negative.
fn divide_rounding_half_up(numerator: u64, denominator: u64) -> u64 {
    (2 * numerator + denominator) / (2 * denominator)
}

/// A whole-point score from 0 to 100 given by a leader or the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    pub fn new(points: u8) -> Option<Score> {
        (points <= 100).then_some(Score(points))
    }
    pub fn points(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = String;
    fn try_from(points: u8) -> Result<Self, Self::Error> {
        Score::new(points).ok_or_else(|| format!("score {points} is above 100"))
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

/// Parses a typed score ("87"), for the field `field`.
pub fn parse_score(field: &str, value: &str) -> Result<Score, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    match value.trim().parse::<u8>().ok().and_then(Score::new) {
        Some(score) => Ok(score),
        None => {
            errors.push(
                field,
                if value.trim().is_empty() {
                    Message::Required
                } else {
                    Message::ScoreOutOfRange
                },
            );
            Err(errors)
        }
    }
}

/// A mass-evaluation ballot (群众评议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ballot {
    /// 满意: 100 points.
    Satisfied,
    /// 基本满意: 60 points.
    FairlySatisfied,
    /// 不满意: 0 points.
    Dissatisfied,
}

impl Ballot {
    pub fn points(self) -> u64 {
        match self {
            Ballot::Satisfied => 100,
            Ballot::FairlySatisfied => 60,
            Ballot::Dissatisfied => 0,
        }
    }
}

/// Quarterly rounds (季度考核评议) and the comprehensive annual one (年度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RoundKind {
    Quarterly,
    Annual,
}

/// How an item stands, by the committer's own check (逐项对照检查).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum SelfCheckStatus {
    Fulfilled,
    OnTrack,
    Behind,
    NotStarted,
}

read_by_name!(SelfCheckStatus {
    Fulfilled,
    OnTrack,
    Behind,
    NotStarted
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfCheckDraft {
    pub item: ItemId,
    pub status: SelfCheckStatus,
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfCheck {
    pub item: ItemId,
    pub status: SelfCheckStatus,
    pub explanation: Option<String>,
}

impl SelfCheckDraft {
    /// An explanation is required unless the item is fulfilled.
    pub fn parse(&self) -> Result<SelfCheck, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let explanation = optional_text(&mut errors, "explanation", &self.explanation, MAX_REMARK);
        if explanation.is_none() && self.status != SelfCheckStatus::Fulfilled {
            errors.push("explanation", Message::ExplanationRequired);
        }
        errors.into_result(|| SelfCheck {
            item: self.item,
            status: self.status,
            explanation,
        })
    }
}

/// A committer's self-check of a round: every item of the commitment once,
/// each parsed (an explanation unless fulfilled), refused by field
/// (`checks[n].explanation`, or `checks` when an item is missing or foreign).
pub fn parse_self_check(
    checks: &[SelfCheckDraft],
    items: &[ItemId],
) -> Result<Vec<SelfCheck>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut parsed = Vec::new();
    for (n, check) in checks.iter().enumerate() {
        match check.parse() {
            Ok(check) => parsed.push(check),
            Err(refused) => {
                for error in refused.0 {
                    errors.push(format!("checks[{n}].{}", error.field), error.message);
                }
            }
        }
    }
    let complete = items
        .iter()
        .all(|i| checks.iter().filter(|c| c.item == *i).count() == 1)
        && checks.iter().all(|c| items.contains(&c.item));
    if !complete {
        errors.push("checks", Message::EveryItemOnce);
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// A self-check as kept, with its round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfCheckRecord {
    pub round: RoundId,
    pub item: ItemId,
    pub status: SelfCheckStatus,
    pub explanation: Option<String>,
    pub checked_at: String,
}

/// The four grades (评定等次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    /// 不合格
    NotCompetent,
    /// 基本合格
    BasicallyCompetent,
    /// 合格
    Competent,
    /// 优秀
    Excellent,
}

/// Why a grade was lowered below what the composite gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Cap {
    /// Excellent needs every due item crossed off: capped at Competent.
    DueItemsNotCrossedOff,
    /// An overdue item at the annual round: capped at Basically competent.
    OverdueAtAnnualRound,
}

/// An item as the scoring sees it: its recorded state and its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemStanding {
    pub item: ItemId,
    pub state: ItemState,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
}

/// Everything a round's result is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundInputs {
    pub kind: RoundKind,
    /// The day the round is assessed on (its close).
    #[serde(deserialize_with = "crate::day::de")]
    pub on: NaiveDate,
    pub leader_scores: Vec<Score>,
    pub ballots: Vec<Ballot>,
    pub organization: Option<Score>,
    pub items: Vec<ItemStanding>,
}

/// The mass score, or why it is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MassScore {
    Present(Tenths),
    /// Fewer ballots than the quorum: the result says so and the weight is renormalized.
    BelowQuorum {
        ballots: usize,
        quorum: usize,
    },
}

/// A round's result for one commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundResult {
    pub leader: Option<Tenths>,
    pub mass: MassScore,
    pub organization: Option<Tenths>,
    /// The weighted mean of the present components; none when none is present.
    pub composite: Option<Tenths>,
    /// The grade after caps.
    pub grade: Option<Grade>,
    /// The grade the composite alone gives.
    pub grade_before_caps: Option<Grade>,
    pub caps: Vec<Cap>,
    /// At the annual round, the overdue items: each gets a rectification order.
    pub to_rectify: Vec<ItemId>,
}

/// A round's result as one viewer may see it (`permission`: `ViewGrade`,
/// `ViewScores`): the composite and the grade, and the breakdown behind them
/// only for the committer and the chain above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisibleResult {
    pub composite: Option<Tenths>,
    pub grade: Option<Grade>,
    /// The scores, ballots, caps and items to rectify; none for others.
    pub breakdown: Option<RoundResult>,
}

impl RoundResult {
    /// The result for a viewer who may (`scores`) or may not see the breakdown.
    pub fn visible(&self, scores: bool) -> VisibleResult {
        VisibleResult {
            composite: self.composite,
            grade: self.grade,
            breakdown: scores.then(|| self.clone()),
        }
    }
}

/// Averages whole points into tenths, rounding half up; `None` for no scores.
fn average_tenths(points: impl IntoIterator<Item = u64>) -> Option<Tenths> {
    let (sum, count) = points
        .into_iter()
        .fold((0u64, 0u64), |(s, c), p| (s + p, c + 1));
    (count > 0).then(|| Tenths(divide_rounding_half_up(sum * 10, count) as u16))
}

/// The grade a composite reaches, before caps.
pub fn grade_of(composite: Tenths, settings: &CycleSettings) -> Grade {
    let t = settings.thresholds;
    if composite.0 >= t.excellent {
        Grade::Excellent
    } else if composite.0 >= t.competent {
        Grade::Competent
    } else if composite.0 >= t.basically_competent {
        Grade::BasicallyCompetent
    } else {
        Grade::NotCompetent
    }
}

/// Computes a round's result exactly as DOMAIN.md section 5 says.
pub fn assess(inputs: &RoundInputs, settings: &CycleSettings) -> RoundResult {
    let leader = average_tenths(inputs.leader_scores.iter().map(|s| u64::from(s.points())));
    let mass = if inputs.ballots.len() >= settings.mass_quorum.max(1) {
        MassScore::Present(
            average_tenths(inputs.ballots.iter().map(|b| b.points())).unwrap_or(Tenths(0)),
        )
    } else {
        MassScore::BelowQuorum {
            ballots: inputs.ballots.len(),
            quorum: settings.mass_quorum.max(1),
        }
    };
    let organization = inputs
        .organization
        .map(|s| Tenths(u16::from(s.points()) * 10));

    let weights = settings.weights;
    let components = [
        (leader, weights.leader),
        (
            match mass {
                MassScore::Present(t) => Some(t),
                MassScore::BelowQuorum { .. } => None,
            },
            weights.mass,
        ),
        (organization, weights.organization),
    ];
    let (weighted, weight) = components
        .iter()
        .filter_map(|(value, weight)| value.map(|v| (u64::from(v.0), u64::from(*weight))))
        .fold((0u64, 0u64), |(sum, total), (v, w)| {
            (sum + v * w, total + w)
        });
    let composite = (weight > 0).then(|| Tenths(divide_rounding_half_up(weighted, weight) as u16));

    let grade_before_caps = composite.map(|c| grade_of(c, settings));
    let mut caps = Vec::new();
    let due_not_crossed_off = inputs
        .items
        .iter()
        .any(|i| i.deadline <= inputs.on && i.state != ItemState::CrossedOff);
    if due_not_crossed_off {
        caps.push(Cap::DueItemsNotCrossedOff);
    }
    let overdue = inputs
        .items
        .iter()
        .any(|i| i.state.status_on(i.deadline, inputs.on) == ItemStatus::Overdue);
    if inputs.kind == RoundKind::Annual && overdue {
        caps.push(Cap::OverdueAtAnnualRound);
    }
    let grade = grade_before_caps.map(|mut grade| {
        for cap in &caps {
            let ceiling = match cap {
                Cap::DueItemsNotCrossedOff => Grade::Competent,
                Cap::OverdueAtAnnualRound => Grade::BasicallyCompetent,
            };
            grade = grade.min(ceiling);
        }
        grade
    });
    // DOMAIN.md 5: at the annual round an overdue item requires a
    // rectification order (an item claimed done waits for its unit's
    // decision instead; one not yet due is not late).
    let to_rectify = if inputs.kind == RoundKind::Annual {
        inputs
            .items
            .iter()
            .filter(|i| i.state.status_on(i.deadline, inputs.on) == ItemStatus::Overdue)
            .map(|i| i.item)
            .collect()
    } else {
        Vec::new()
    };
    RoundResult {
        leader,
        mass,
        organization,
        composite,
        grade,
        grade_before_caps,
        caps,
        to_rectify,
    }
}

/// A rectification order (限期整改) for an item left undone after the annual round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationOrder {
    /// The item left undone; none for the commitment as a whole (不合格).
    pub item: Option<ItemId>,
    #[serde(deserialize_with = "crate::day::de")]
    pub ordered_on: NaiveDate,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
}

/// The orders a closed annual round produces: one per overdue item, and
/// one for the whole commitment when it is graded 不合格 with every item
/// crossed off; due `rectification_days` after the round closed.
pub fn rectification_orders(
    result: &RoundResult,
    closed_on: NaiveDate,
    settings: &CycleSettings,
) -> Vec<RectificationOrder> {
    let deadline = closed_on
        .checked_add_days(Days::new(settings.rectification_days))
        .unwrap_or(NaiveDate::MAX);
    let mut orders: Vec<RectificationOrder> = result
        .to_rectify
        .iter()
        .map(|&item| RectificationOrder {
            item: Some(item),
            ordered_on: closed_on,
            deadline,
        })
        .collect();
    if orders.is_empty() && result.grade == Some(Grade::NotCompetent) {
        orders.push(RectificationOrder {
            item: None,
            ordered_on: closed_on,
            deadline,
        });
    }
    orders
}

/// An evaluation round (考核评议) of a cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Round {
    pub id: RoundId,
    pub cycle: CycleId,
    pub kind: RoundKind,
    #[serde(deserialize_with = "crate::day::de")]
    pub opens_on: NaiveDate,
    #[serde(deserialize_with = "crate::day::de")]
    pub closes_on: NaiveDate,
    pub is_closed: bool,
    /// The day the office closed it (none while open, and for rounds closed
    /// before the day was kept).
    #[serde(default, deserialize_with = "crate::day::de_option")]
    pub closed_on: Option<NaiveDate>,
}

impl Round {
    /// The day its results are dated with: when it was closed (assessed),
    /// else its planned end.
    pub fn assessed_on(&self) -> NaiveDate {
        self.closed_on.unwrap_or(self.closes_on)
    }

    /// Whether a round takes self-checks, comments, scores and ballots on
    /// `today`: from its first day until the office closes it (its last day
    /// is the one asked for; closing is explicit, and final).
    pub fn takes_input_on(&self, today: NaiveDate) -> bool {
        !self.is_closed && today >= self.opens_on
    }
}

/// A round as the office opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundDraft {
    pub kind: RoundKind,
    pub opens_on: String,
    pub closes_on: String,
}

impl RoundDraft {
    /// The cycle's own window for a kind of round: the first quarterly
    /// round not yet held, or the annual one.
    pub fn from_calendar(
        cycle: &crate::cycle::Cycle,
        kind: RoundKind,
        held: &[Round],
    ) -> RoundDraft {
        let calendar = &cycle.calendar;
        let window = match kind {
            RoundKind::Annual => calendar.annual_round,
            RoundKind::Quarterly => calendar
                .quarterly_rounds
                .iter()
                .copied()
                .find(|w| {
                    !held
                        .iter()
                        .any(|r| r.kind == kind && r.closes_on >= w.start)
                })
                .unwrap_or(calendar.annual_round),
        };
        RoundDraft {
            kind,
            opens_on: window.start.to_string(),
            closes_on: window.end.to_string(),
        }
    }

    /// Dates within the cycle's fulfilment (from publication to its end),
    /// in order; no other round of the cycle still open; one annual round.
    pub fn parse(
        &self,
        cycle: &crate::cycle::Cycle,
        held: &[Round],
    ) -> Result<(NaiveDate, NaiveDate), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let bounds = crate::cycle::DateWindow::new(
            cycle.calendar.publish.start,
            cycle.calendar.fulfilment_until,
        );
        let mut day = |field: &str, text: &str| match crate::validation::parse_date(text) {
            Some(day) if bounds.contains(day) => Some(day),
            Some(_) => {
                errors.push(
                    field,
                    Message::DateOutside {
                        start: bounds.start,
                        end: bounds.end,
                    },
                );
                None
            }
            None => {
                errors.push(field, Message::InvalidDate);
                None
            }
        };
        let opens = day("opens_on", &self.opens_on);
        let closes = day("closes_on", &self.closes_on);
        if let (Some(opens), Some(closes)) = (opens, closes) {
            if closes < opens {
                errors.push("closes_on", Message::EndsBeforeStart);
            }
        }
        if held.iter().any(|r| !r.is_closed) {
            errors.push("kind", Message::RoundStillOpen);
        }
        if self.kind == RoundKind::Annual && held.iter().any(|r| r.kind == RoundKind::Annual) {
            errors.push("kind", Message::AnnualRoundHeld);
        }
        match (opens, closes) {
            (Some(opens), Some(closes)) if errors.is_empty() => Ok((opens, closes)),
            _ => Err(errors),
        }
    }
}

/// A round's result as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisibleOutcome {
    pub round: Round,
    pub result: VisibleResult,
}

/// Where a rectification order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RectificationState {
    /// Being worked on by the committer.
    Open,
    /// The committer says it is done; the parent unit closes it or returns it.
    Claimed,
    /// Closed by the parent unit: done for good.
    Closed,
}

/// A step on a rectification order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum RectificationStep {
    /// The committer records what was done (like a ledger entry).
    Report,
    /// The committer says the order is done, with a summary.
    Claim,
    /// The parent unit accepts the work: the order is closed.
    Close,
    /// The parent unit sends the claim back, with the reason.
    Return,
}

read_by_name!(RectificationStep {
    Report,
    Claim,
    Close,
    Return
});

impl RectificationStep {
    /// The permission the step needs on the commitment: the committer's own
    /// work, or the parent unit's decision (as on a claimed item).
    pub fn action(self) -> crate::permission::Action {
        match self {
            RectificationStep::Report | RectificationStep::Claim => {
                crate::permission::Action::RecordProgress
            }
            RectificationStep::Close | RectificationStep::Return => {
                crate::permission::Action::CrossOff
            }
        }
    }
}

/// One step taken on an order, with its text and the school's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationEntry {
    pub step: RectificationStep,
    pub text: String,
    /// 佐证材料 of a report or a claim (the committer's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<crate::evidence::Evidence>,
    #[serde(deserialize_with = "crate::day::de")]
    pub day: NaiveDate,
}

/// A rectification order (整改): for an item left undone, or (no item) for
/// a commitment graded 不合格.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rectification {
    pub id: RectificationId,
    pub item: Option<ItemId>,
    #[serde(deserialize_with = "crate::day::de")]
    pub ordered_on: NaiveDate,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
    pub state: RectificationState,
    #[serde(default, deserialize_with = "crate::day::de_option")]
    pub closed_on: Option<NaiveDate>,
    #[serde(default)]
    pub entries: Vec<RectificationEntry>,
}

impl Rectification {
    /// Not closed and past its deadline: flagged to the office.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.state != RectificationState::Closed && today > self.deadline
    }

    /// Takes a step: a report or a claim while open, a close or a return
    /// once claimed; the text is required except to close; files only on a
    /// report or a claim, at most as many as on a ledger entry. The
    /// permission (`step.action()`) is the caller's to check.
    pub fn take(
        &mut self,
        step: RectificationStep,
        text: &str,
        evidence: Vec<crate::evidence::Evidence>,
        today: NaiveDate,
    ) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let committers = matches!(step, RectificationStep::Report | RectificationStep::Claim);
        if !evidence.is_empty() && !committers {
            errors.push("evidence", Message::InvalidValue);
        }
        if evidence.len() > crate::evidence::MAX_FILES_PER_ENTRY {
            errors.push(
                "evidence",
                Message::TooManyFiles {
                    max: crate::evidence::MAX_FILES_PER_ENTRY,
                },
            );
        }
        let text = if step == RectificationStep::Close {
            optional_text(&mut errors, "text", text, MAX_REMARK).unwrap_or_default()
        } else {
            crate::validation::required_text(&mut errors, "text", text, MAX_REMARK)
        };
        let next = match (self.state, step) {
            (RectificationState::Open, RectificationStep::Report) => RectificationState::Open,
            (RectificationState::Open, RectificationStep::Claim) => RectificationState::Claimed,
            (RectificationState::Claimed, RectificationStep::Close) => RectificationState::Closed,
            (RectificationState::Claimed, RectificationStep::Return) => RectificationState::Open,
            _ => {
                errors.push("step", Message::RectificationNotNow);
                self.state
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        self.state = next;
        if next == RectificationState::Closed {
            self.closed_on = Some(today);
        }
        self.entries.push(RectificationEntry {
            step,
            text,
            evidence,
            day: today,
        });
        Ok(())
    }
}

/// An order past its deadline and not closed, flagged to the office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueRectification {
    pub commitment: CommitmentId,
    pub committer_name: String,
    pub order: Rectification,
}

/// Who scores a commitment in a round: a leader assigned above it (领导点评)
/// or its parent unit (组织考核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum Assessor {
    Leader,
    Organization,
}

read_by_name!(Assessor {
    Leader,
    Organization
});

impl Assessor {
    pub fn action(self) -> crate::permission::Action {
        match self {
            Assessor::Leader => crate::permission::Action::LeaderComment,
            Assessor::Organization => crate::permission::Action::AssessOrganization,
        }
    }
}

/// A score (0–100) and its written comment, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentDraft {
    pub score: String,
    pub comment: String,
}

/// A parsed score with its comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub score: Score,
    pub comment: String,
}

impl AssessmentDraft {
    /// Whole points 0–100 and a comment (required: a score says nothing
    /// without its reasons).
    pub fn parse(&self) -> Result<Assessment, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let score = parse_score("score", &self.score).map_err(|e| errors.0.extend(e.0));
        let comment =
            crate::validation::required_text(&mut errors, "comment", &self.comment, MAX_REMARK);
        match score {
            Ok(score) if errors.is_empty() => Ok(Assessment { score, comment }),
            _ => Err(errors),
        }
    }
}

/// A score as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentRecord {
    pub round: RoundId,
    pub by: Assessor,
    pub scorer: crate::ids::PersonId,
    pub scorer_name: String,
    pub score: Score,
    pub comment: String,
    pub at: String,
}

/// One commitment's grade in a closed round, as the board shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeLine {
    pub commitment: CommitmentId,
    pub number: Option<String>,
    pub kind: crate::commitment::CommitterKind,
    pub committer_name: String,
    pub branch: Option<String>,
    pub committee: Option<String>,
    pub composite: Option<Tenths>,
    pub grade: Option<Grade>,
}

/// A closed round's published results: every grade, best first, and the
/// commendation list (the Excellent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundGrades {
    pub round: Round,
    pub grades: Vec<GradeLine>,
    pub commendations: Vec<GradeLine>,
}

impl RoundGrades {
    /// The round's lines, and the Excellent among them commended.
    pub fn of(round: Round, grades: Vec<GradeLine>) -> RoundGrades {
        let commendations = grades
            .iter()
            .filter(|g| g.grade == Some(Grade::Excellent))
            .cloned()
            .collect();
        RoundGrades {
            round,
            grades,
            commendations,
        }
    }
}

/// A commitment's results and rectification orders, as the caller may see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub commitment: CommitmentId,
    pub results: Vec<VisibleOutcome>,
    pub rectification_orders: Vec<Rectification>,
    /// The committer's self-checks, round by round (to whoever sees the whole ledger).
    #[serde(default)]
    pub self_checks: Vec<SelfCheckRecord>,
    /// Leaders' and the organization's scores: of a closed round to whoever
    /// sees the breakdown, of an open one to the scorer alone (their own).
    #[serde(default)]
    pub assessments: Vec<AssessmentRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_check_covers_every_item_once_and_explains_what_is_not_done() {
        let items = [ItemId::new(), ItemId::new()];
        let check = |item, status, explanation: &str| SelfCheckDraft {
            item,
            status,
            explanation: explanation.into(),
        };
        let done = parse_self_check(
            &[
                check(items[0], SelfCheckStatus::Fulfilled, ""),
                check(
                    items[1],
                    SelfCheckStatus::Behind,
                    "实验室改造推迟，下月补上",
                ),
            ],
            &items,
        )
        .unwrap();
        assert_eq!(done.len(), 2);
        let refused = parse_self_check(
            &[
                check(items[0], SelfCheckStatus::Fulfilled, ""),
                check(items[1], SelfCheckStatus::NotStarted, " "),
            ],
            &items,
        )
        .unwrap_err();
        assert_eq!(refused.0[0].field, "checks[1].explanation");
        assert_eq!(refused.0[0].message, Message::ExplanationRequired);
        let missing = parse_self_check(&[check(items[0], SelfCheckStatus::Fulfilled, "")], &items);
        assert_eq!(missing.unwrap_err().0[0].field, "checks");
        let foreign = parse_self_check(
            &[
                check(items[0], SelfCheckStatus::Fulfilled, ""),
                check(items[1], SelfCheckStatus::Fulfilled, ""),
                check(ItemId::new(), SelfCheckStatus::Fulfilled, ""),
            ],
            &items,
        );
        assert_eq!(foreign.unwrap_err().0[0].message, Message::EveryItemOnce);
    }

    #[test]
    fn the_office_opens_one_round_at_a_time_within_fulfilment() {
        let cycle = crate::cycle::Cycle::from_template(2026);
        let first = RoundDraft::from_calendar(&cycle, RoundKind::Quarterly, &[]);
        assert_eq!(
            (first.opens_on.as_str(), first.closes_on.as_str()),
            ("2026-12-20", "2026-12-31")
        );
        let (opens, closes) = first.parse(&cycle, &[]).unwrap();
        let held = Round {
            id: crate::ids::RoundId::new(),
            cycle: cycle.id,
            kind: RoundKind::Quarterly,
            opens_on: opens,
            closes_on: closes,
            is_closed: false,
            closed_on: None,
        };
        assert!(held.takes_input_on(day("2026-12-20")));
        assert!(held.takes_input_on(day("2027-01-03")), "late, until closed");
        assert!(!held.takes_input_on(day("2026-12-19")));
        let code = |r: Result<(NaiveDate, NaiveDate), ValidationErrors>| {
            r.unwrap_err()
                .0
                .iter()
                .map(|e| e.message.code())
                .collect::<Vec<_>>()
        };
        // Another while it is open: refused.
        let second =
            RoundDraft::from_calendar(&cycle, RoundKind::Quarterly, std::slice::from_ref(&held));
        assert_eq!(second.opens_on, "2027-03-20", "the next quarter's window");
        assert_eq!(
            code(second.parse(&cycle, std::slice::from_ref(&held))),
            ["round_still_open"]
        );
        let closed = Round {
            is_closed: true,
            ..held.clone()
        };
        assert!(second.parse(&cycle, std::slice::from_ref(&closed)).is_ok());
        assert!(!closed.takes_input_on(day("2026-12-25")));
        // One annual round; dates inside fulfilment, in order.
        let annual = Round {
            kind: RoundKind::Annual,
            ..closed.clone()
        };
        let again = RoundDraft::from_calendar(&cycle, RoundKind::Annual, &[]);
        assert_eq!(code(again.parse(&cycle, &[annual])), ["annual_round_held"]);
        let outside = RoundDraft {
            kind: RoundKind::Quarterly,
            opens_on: "2027-06-01".into(),
            closes_on: "2027-05-01".into(),
        };
        assert_eq!(code(outside.parse(&cycle, &[])), ["date_outside"]);
        let backwards = RoundDraft {
            kind: RoundKind::Quarterly,
            opens_on: "2027-03-31".into(),
            closes_on: "2027-03-20".into(),
        };
        assert_eq!(code(backwards.parse(&cycle, &[])), ["ends_before_start"]);
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn scores(points: &[u8]) -> Vec<Score> {
        points.iter().map(|&p| Score::new(p).unwrap()).collect()
    }

    fn inputs(leaders: &[u8], ballots: Vec<Ballot>, organization: Option<u8>) -> RoundInputs {
        RoundInputs {
            kind: RoundKind::Quarterly,
            on: day("2010-12-31"),
            leader_scores: scores(leaders),
            ballots,
            organization: organization.and_then(Score::new),
            items: Vec::new(),
        }
    }

    #[test]
    fn the_composite_is_the_weighted_mean_in_tenths() {
        // L = 85, M = (100*4 + 60)/5 = 92, O = 90: 0.3*85 + 0.3*92 + 0.4*90 = 89.1
        let ballots = vec![
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::Satisfied,
            Ballot::FairlySatisfied,
        ];
        let result = assess(
            &inputs(&[80, 90], ballots, Some(90)),
            &CycleSettings::default(),
        );
        assert_eq!(result.leader, Some(Tenths(850)));
        assert_eq!(result.mass, MassScore::Present(Tenths(920)));
        assert_eq!(result.organization, Some(Tenths(900)));
        assert_eq!(result.composite, Some(Tenths(891)));
        assert_eq!(result.composite.unwrap().to_string(), "89.1");
        assert_eq!(result.grade, Some(Grade::Competent));
    }

    #[test]
    fn averages_round_half_up() {
        // (90 + 91) / 2 = 90.5 exactly; (90 + 90 + 91) / 3 = 90.333.. → 90.3; (90+91+91)/3 = 90.666.. → 90.7
        assert_eq!(average_tenths([90, 91]), Some(Tenths(905)));
        assert_eq!(average_tenths([90, 90, 91]), Some(Tenths(903)));
        assert_eq!(average_tenths([90, 91, 91]), Some(Tenths(907)));
        // A half tenth rounds up: 0.3*85.5 + 0.7*... check the divider directly.
        assert_eq!(divide_rounding_half_up(5, 10), 1);
        assert_eq!(divide_rounding_half_up(4, 10), 0);
        assert_eq!(divide_rounding_half_up(15, 10), 2);
    }

    #[test]
    fn below_quorum_the_mass_score_is_absent_and_weights_renormalize() {
        let result = assess(
            &inputs(&[80], vec![Ballot::Dissatisfied; 4], Some(90)),
            &CycleSettings::default(),
        );
        assert_eq!(
            result.mass,
            MassScore::BelowQuorum {
                ballots: 4,
                quorum: 5
            }
        );
        // (0.3*80 + 0.4*90) / 0.7 = 85.714.. → 85.7
        assert_eq!(result.composite, Some(Tenths(857)));
    }

    #[test]
    fn nothing_to_score_gives_no_grade() {
        let result = assess(&inputs(&[], vec![], None), &CycleSettings::default());
        assert_eq!(result.composite, None);
        assert_eq!(result.grade, None);
    }

    #[test]
    fn grades_follow_the_thresholds() {
        let settings = CycleSettings::default();
        assert_eq!(grade_of(Tenths(900), &settings), Grade::Excellent);
        assert_eq!(grade_of(Tenths(899), &settings), Grade::Competent);
        assert_eq!(grade_of(Tenths(750), &settings), Grade::Competent);
        assert_eq!(grade_of(Tenths(749), &settings), Grade::BasicallyCompetent);
        assert_eq!(grade_of(Tenths(600), &settings), Grade::BasicallyCompetent);
        assert_eq!(grade_of(Tenths(599), &settings), Grade::NotCompetent);
    }

    #[test]
    fn excellent_needs_every_due_item_crossed_off() {
        let mut round = inputs(&[95], vec![Ballot::Satisfied; 5], Some(95));
        let due = ItemId::new();
        let later = ItemId::new();
        round.items = vec![
            ItemStanding {
                item: due,
                state: ItemState::ClaimedDone,
                deadline: day("2010-12-01"),
            },
            ItemStanding {
                item: later,
                state: ItemState::Open,
                deadline: day("2011-03-01"),
            },
        ];
        let result = assess(&round, &CycleSettings::default());
        assert_eq!(result.grade_before_caps, Some(Grade::Excellent));
        assert_eq!(result.grade, Some(Grade::Competent));
        assert_eq!(result.caps, [Cap::DueItemsNotCrossedOff]);
        assert!(
            result.to_rectify.is_empty(),
            "a quarterly round orders no rectification"
        );

        round.items[0].state = ItemState::CrossedOff;
        let result = assess(&round, &CycleSettings::default());
        assert_eq!(
            result.grade,
            Some(Grade::Excellent),
            "items not yet due do not count"
        );
    }

    #[test]
    fn an_overdue_item_at_the_annual_round_caps_and_orders_rectification() {
        let overdue = ItemId::new();
        let done = ItemId::new();
        let round = RoundInputs {
            kind: RoundKind::Annual,
            on: day("2011-05-31"),
            leader_scores: scores(&[95]),
            ballots: vec![Ballot::Satisfied; 6],
            organization: Score::new(95),
            items: vec![
                ItemStanding {
                    item: overdue,
                    state: ItemState::Open,
                    deadline: day("2011-04-30"),
                },
                ItemStanding {
                    item: done,
                    state: ItemState::CrossedOff,
                    deadline: day("2011-03-01"),
                },
            ],
        };
        let settings = CycleSettings::default();
        let result = assess(&round, &settings);
        assert_eq!(result.grade_before_caps, Some(Grade::Excellent));
        assert_eq!(result.grade, Some(Grade::BasicallyCompetent));
        assert_eq!(
            result.caps,
            [Cap::DueItemsNotCrossedOff, Cap::OverdueAtAnnualRound]
        );
        assert_eq!(result.to_rectify, [overdue]);
        let orders = rectification_orders(&result, day("2011-05-31"), &settings);
        assert_eq!(orders.len(), 1);
        assert_eq!(orders[0].item, Some(overdue));
        assert_eq!(orders[0].deadline, day("2011-06-30"));
    }

    #[test]
    fn scores_are_whole_points_up_to_100() {
        assert_eq!(parse_score("score", " 87 ").unwrap().points(), 87);
        assert_eq!(
            parse_score("score", "101").unwrap_err().0[0].message,
            Message::ScoreOutOfRange
        );
        assert_eq!(
            parse_score("score", "-1").unwrap_err().0[0].message,
            Message::ScoreOutOfRange
        );
        assert_eq!(
            parse_score("score", "").unwrap_err().0[0].message,
            Message::Required
        );
        assert!(serde_json::from_str::<Score>("101").is_err());
    }

    #[test]
    fn self_checks_explain_what_is_not_fulfilled() {
        let item = ItemId::new();
        let fulfilled = SelfCheckDraft {
            item,
            status: SelfCheckStatus::Fulfilled,
            explanation: String::new(),
        };
        assert!(fulfilled.parse().is_ok());
        let behind = SelfCheckDraft {
            status: SelfCheckStatus::Behind,
            ..fulfilled
        };
        assert_eq!(
            behind.parse().unwrap_err().0[0].message,
            Message::ExplanationRequired
        );
    }
}
