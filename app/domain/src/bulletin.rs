//! 简报 / 经验交流: bulletins of good practice. A secretary over a published
//! commitment nominates one of its crossed-off items, or one entry of its
//! ledger (台账), with the reason it is worth copying; the committer agrees
//! (or not) to its publication; the campaign office composes a numbered
//! bulletin (第 N 期) from the nominations agreed to and publishes it on the
//! public board and in everyone's messages. What a bulletin prints is the
//! practice as it stood when nominated: a later edit elsewhere does not
//! rewrite a published issue.

use crate::dossier::Dossier;
use crate::ids::{BulletinId, CommitmentId, ItemId, NominationId, ProgressId};
use crate::ledger::ProgressLine;
use crate::locale::Locale;
use crate::messages::{Message, ValidationErrors};
use crate::workflow::ItemState;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const REASON_MAX: usize = 500;
pub const TITLE_MAX: usize = 100;
pub const INTRO_MAX: usize = 5_000;
/// The most practices one issue carries.
pub const MAX_PRACTICES: usize = 20;

/// A secretary's nomination as sent (`POST /api/commitments/{id}/nominations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NominationDraft {
    pub item: ItemId,
    /// One entry of the item's ledger; none: the crossed-off item itself.
    #[serde(default)]
    pub entry: Option<ProgressId>,
    /// 推荐理由: why others should learn from it.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reason: String,
}

/// The practice as it stood when nominated (what a bulletin prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Practice {
    pub commitment: CommitmentId,
    /// The commitment's number (e.g. `2026-JSJ-007`).
    pub number: Option<String>,
    /// The person or unit who committed.
    pub committer: String,
    /// The unit they belong to (a member's branch; the unit itself).
    pub unit_name: String,
    pub item: ItemId,
    pub content: String,
    pub measures: String,
    /// What was done: the entry nominated, or every entry of the item.
    pub done: Vec<Done>,
    /// When the item was crossed off (销号), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::day::de_option")]
    pub crossed_off_on: Option<NaiveDate>,
}

/// One dated line of what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Done {
    #[serde(deserialize_with = "crate::day::de")]
    pub date: NaiveDate,
    pub text: String,
}

/// Whether the committer agreed to the practice being published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Not answered yet.
    Waiting,
    Given,
    Declined,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Waiting => "waiting",
            Consent::Given => "given",
            Consent::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<Consent> {
        [Consent::Waiting, Consent::Given, Consent::Declined]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// The committer's answer (`POST /api/nominations/{id}/consent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentAnswer {
    /// Agree to publication (or withdraw an agreement, while not yet published).
    pub give: bool,
}

/// A nomination and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nomination {
    pub id: NominationId,
    pub practice: Practice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<ProgressId>,
    pub reason: String,
    pub nominated_by: String,
    #[serde(deserialize_with = "crate::day::de")]
    pub nominated_on: NaiveDate,
    pub consent: Consent,
    /// The issue that printed it, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulletin: Option<BulletinId>,
}

impl Nomination {
    /// The committer answers until the practice is printed; after that the
    /// published issue stands (409).
    pub fn answer(&mut self, answer: ConsentAnswer) -> Result<(), ValidationErrors> {
        if self.bulletin.is_some() {
            let mut errors = ValidationErrors::default();
            errors.push("give", Message::InvalidValue);
            return Err(errors);
        }
        self.consent = if answer.give {
            Consent::Given
        } else {
            Consent::Declined
        };
        Ok(())
    }

    /// May the office print it in a new issue?
    pub fn available(&self) -> bool {
        self.consent == Consent::Given && self.bulletin.is_none()
    }
}

/// Who and where a commitment is, for a practice's heading.
pub struct Committed<'a> {
    pub committer: &'a str,
    pub unit_name: &'a str,
}

impl NominationDraft {
    /// The reason's length, then the practice it names: an item of the
    /// signed text that is crossed off, or an entry of that item's ledger.
    /// `already`: the (item, entry) pairs nominated before.
    pub fn practice(
        &self,
        dossier: &Dossier,
        entries: &[ProgressLine],
        who: Committed<'_>,
        already: &[(ItemId, Option<ProgressId>)],
    ) -> Result<Practice, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.push("reason", Message::Required);
        } else if reason.chars().count() > REASON_MAX {
            errors.push("reason", Message::TooLong { max: REASON_MAX });
        }
        let text = dossier
            .signed
            .as_ref()
            .and_then(|c| c.items().iter().find(|i| i.id() == self.item));
        let fulfilment = dossier.fulfilment.iter().find(|f| f.item == self.item);
        let done: Vec<Done> = entries
            .iter()
            .filter(|e| e.item == self.item)
            .filter(|e| self.entry.is_none_or(|id| id == e.id))
            .map(|e| Done {
                date: e.date,
                text: e.text.clone(),
            })
            .collect();
        match (text, fulfilment) {
            (Some(_), Some(f)) => {
                if self.entry.is_some() && done.is_empty() {
                    errors.push("entry", Message::InvalidValue);
                } else if self.entry.is_none() && f.state != ItemState::CrossedOff {
                    errors.push("item", Message::NotCrossedOff);
                }
            }
            _ => errors.push("item", Message::InvalidValue),
        }
        if already.contains(&(self.item, self.entry)) {
            errors.push(
                if self.entry.is_some() {
                    "entry"
                } else {
                    "item"
                },
                Message::AlreadyNominated,
            );
        }
        match (text, fulfilment) {
            (Some(text), Some(f)) if errors.is_empty() => Ok(Practice {
                commitment: dossier.id,
                number: dossier.number.clone(),
                committer: who.committer.to_owned(),
                unit_name: who.unit_name.to_owned(),
                item: self.item,
                content: text.content().to_owned(),
                measures: text.measures().to_owned(),
                done,
                crossed_off_on: f.crossed_off_on,
            }),
            _ => Err(errors),
        }
    }
}

/// An issue before publication (`POST /api/bulletins`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulletinDraft {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub title: String,
    /// 编者按: a few words before the practices (may be empty).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub intro: String,
    /// The nominations printed, in this order.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub nominations: Vec<NominationId>,
}

/// One practice as printed in an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Featured {
    pub nomination: NominationId,
    pub practice: Practice,
    pub reason: String,
    pub nominated_by: String,
}

/// A published issue: on the board and in everyone's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bulletin {
    pub id: BulletinId,
    /// 第 N 期, from 1.
    pub number: u32,
    pub title: String,
    pub intro: String,
    pub practices: Vec<Featured>,
    #[serde(deserialize_with = "crate::day::de")]
    pub published_on: NaiveDate,
    pub published_by: String,
}

impl BulletinDraft {
    /// The issue the office starts from: numbered, every practice agreed to
    /// and not yet printed (at most [`MAX_PRACTICES`]), oldest first.
    pub fn suggest(number: u32, available: &[Nomination], locale: Locale) -> BulletinDraft {
        let (title, intro) = match locale {
            Locale::Zh => (
                format!("公开承诺践诺经验交流（第 {number} 期）"),
                "现将近期各单位、党员践行承诺的好做法编发如下，供学习借鉴。".to_owned(),
            ),
            Locale::En => (
                format!("Good practice in keeping public commitments, no. {number}"),
                "Below are practices from units and members that others may learn from.".to_owned(),
            ),
        };
        BulletinDraft {
            title,
            intro,
            nominations: available
                .iter()
                .filter(|n| n.available())
                .take(MAX_PRACTICES)
                .map(|n| n.id)
                .collect(),
        }
    }

    /// The title, the intro's length, and the nominations: each once, each
    /// agreed to by its committer and not printed yet (`known`: the
    /// nominations the store found for the ids sent).
    pub fn check(&self, known: &[Nomination]) -> Result<Vec<Featured>, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.title.trim().is_empty() {
            errors.push("title", Message::Required);
        } else if self.title.chars().count() > TITLE_MAX {
            errors.push("title", Message::TooLong { max: TITLE_MAX });
        }
        if self.intro.chars().count() > INTRO_MAX {
            errors.push("intro", Message::TooLong { max: INTRO_MAX });
        }
        if self.nominations.is_empty() {
            errors.push("nominations", Message::Required);
        } else if self.nominations.len() > MAX_PRACTICES {
            errors.push("nominations", Message::TooManyItems { max: MAX_PRACTICES });
        }
        let mut featured = Vec::new();
        for (index, id) in self.nominations.iter().enumerate() {
            if self.nominations[..index].contains(id) {
                errors.push("nominations", Message::EveryItemOnce);
                continue;
            }
            match known.iter().find(|n| n.id == *id) {
                Some(n) if n.available() => featured.push(Featured {
                    nomination: n.id,
                    practice: n.practice.clone(),
                    reason: n.reason.clone(),
                    nominated_by: n.nominated_by.clone(),
                }),
                _ => errors.push("nominations", Message::ConsentNeeded),
            }
        }
        errors.into_result(|| featured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
    use crate::cycle::Cycle;
    use crate::dossier::ItemFulfilment;
    use crate::ids::{CycleId, OrgUnitId, PersonId};
    use crate::org::{Ancestry, MemberCategory};
    use crate::validation::CommitmentRules;
    use crate::workflow::CommitmentState;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2011, 1, d).unwrap()
    }

    /// A published commitment with two items: the first crossed off, the
    /// second open; one ledger entry on each.
    fn published() -> (Dossier, Vec<ProgressLine>) {
        let draft = CommitmentDraft {
            needs_summary: "学生反映实验课太少".into(),
            items: (0..2)
                .map(|n| ItemDraft {
                    id: ItemId::new(),
                    area: "M1".into(),
                    content: format!("事项{n}"),
                    measures: format!("措施{n}，按月推进"),
                    deadline: "2011-01-15".into(),
                    target: String::new(),
                    practical_deed: false,
                })
                .collect(),
            standards: vec!["L1".into()],
        };
        let kind = CommitterKind::Member {
            category: MemberCategory::Teacher,
            cadre_rank: None,
            is_activist: false,
        };
        let mut dossier = Dossier::new(
            CommitmentId::new(),
            CycleId::new(),
            Committer::Person(PersonId::new()),
            kind,
            Ancestry(vec![OrgUnitId::new()]),
            draft,
        );
        let cycle = Cycle::from_template(2010);
        dossier.signed = Some(
            dossier
                .draft
                .parse(&CommitmentRules::new(kind, &cycle))
                .unwrap(),
        );
        dossier.state = CommitmentState::Published;
        dossier.number = Some("2026-JSJ-001".into());
        let items: Vec<ItemId> = dossier
            .signed
            .as_ref()
            .unwrap()
            .items()
            .iter()
            .map(|i| i.id())
            .collect();
        dossier.fulfilment = items
            .iter()
            .enumerate()
            .map(|(n, item)| ItemFulfilment {
                item: *item,
                deadline: day(30),
                state: if n == 0 {
                    ItemState::CrossedOff
                } else {
                    ItemState::Open
                },
                returned: None,
                crossed_off_on: (n == 0).then(|| day(20)),
                plan: vec![],
            })
            .collect();
        let entries = items
            .iter()
            .enumerate()
            .map(|(n, item)| ProgressLine {
                id: ProgressId::new(),
                item: *item,
                date: day(10 + n as u32),
                text: format!("做了{n}"),
                by_name: None,
                recorded_at: String::new(),
                evidence: vec![],
                public: false,
            })
            .collect();
        (dossier, entries)
    }

    fn who() -> Committed<'static> {
        Committed {
            committer: "张三",
            unit_name: "软件支部",
        }
    }

    #[test]
    fn a_crossed_off_item_or_any_entry_may_be_nominated_once() {
        let (dossier, entries) = published();
        let items: Vec<ItemId> = dossier.fulfilment.iter().map(|f| f.item).collect();
        let draft = NominationDraft {
            item: items[0],
            entry: None,
            reason: " 做法扎实 ".into(),
        };
        let practice = draft.practice(&dossier, &entries, who(), &[]).unwrap();
        assert_eq!(practice.content, "事项0");
        assert_eq!(practice.measures, "措施0，按月推进");
        assert_eq!(practice.crossed_off_on, Some(day(20)));
        assert_eq!(practice.done.len(), 1, "the item's own entries only");
        assert_eq!(practice.number.as_deref(), Some("2026-JSJ-001"));
        let errors = draft
            .practice(&dossier, &entries, who(), &[(items[0], None)])
            .unwrap_err();
        assert_eq!(errors.0[0].message, Message::AlreadyNominated);

        // the open item: not as a whole, but its entry may be
        let open = NominationDraft {
            item: items[1],
            entry: None,
            reason: "好".into(),
        };
        let errors = open.practice(&dossier, &entries, who(), &[]).unwrap_err();
        assert_eq!(
            (errors.0[0].field.as_str(), &errors.0[0].message),
            ("item", &Message::NotCrossedOff)
        );
        let entry = NominationDraft {
            entry: Some(entries[1].id),
            ..open.clone()
        };
        let practice = entry.practice(&dossier, &entries, who(), &[]).unwrap();
        assert_eq!(
            practice.done,
            vec![Done {
                date: day(11),
                text: "做了1".into()
            }]
        );
        // an entry of another item is not this item's
        let wrong = NominationDraft {
            entry: Some(entries[0].id),
            ..open
        };
        assert_eq!(
            wrong
                .practice(&dossier, &entries, who(), &[])
                .unwrap_err()
                .0[0]
                .field,
            "entry"
        );
        let empty = NominationDraft {
            reason: "  ".into(),
            ..draft
        };
        assert_eq!(
            empty
                .practice(&dossier, &entries, who(), &[])
                .unwrap_err()
                .0[0]
                .message,
            Message::Required
        );
    }

    fn nomination(consent: Consent) -> Nomination {
        let (dossier, entries) = published();
        let draft = NominationDraft {
            item: dossier.fulfilment[0].item,
            entry: None,
            reason: "值得推广".into(),
        };
        Nomination {
            id: NominationId::new(),
            practice: draft.practice(&dossier, &entries, who(), &[]).unwrap(),
            entry: None,
            reason: draft.reason,
            nominated_by: "李书记".into(),
            nominated_on: day(21),
            consent,
            bulletin: None,
        }
    }

    #[test]
    fn only_practices_agreed_to_and_not_printed_go_into_an_issue() {
        let given = nomination(Consent::Given);
        let waiting = nomination(Consent::Waiting);
        let declined = nomination(Consent::Declined);
        let mut printed = nomination(Consent::Given);
        printed.bulletin = Some(BulletinId::new());
        let all = [
            given.clone(),
            waiting.clone(),
            declined.clone(),
            printed.clone(),
        ];
        let draft = BulletinDraft::suggest(2, &all, Locale::Zh);
        assert_eq!(draft.title, "公开承诺践诺经验交流（第 2 期）");
        assert_eq!(draft.nominations, vec![given.id]);
        let featured = draft.check(&all).unwrap();
        assert_eq!(featured[0].practice, given.practice);
        assert_eq!(featured[0].reason, "值得推广");
        for other in [&waiting, &declined, &printed] {
            let mut draft = draft.clone();
            draft.nominations.push(other.id);
            let errors = draft.check(&all).unwrap_err();
            assert_eq!(errors.0.len(), 1);
            assert_eq!(errors.0[0].message, Message::ConsentNeeded);
        }
        let mut twice = draft.clone();
        twice.nominations.push(given.id);
        assert_eq!(
            twice.check(&all).unwrap_err().0[0].message,
            Message::EveryItemOnce
        );
        let none = BulletinDraft {
            title: " ".into(),
            intro: String::new(),
            nominations: vec![],
        };
        let errors = none.check(&all).unwrap_err();
        assert_eq!(errors.0[0].field, "title");
        assert_eq!(errors.0[1].field, "nominations");
    }

    #[test]
    fn consent_may_change_until_the_practice_is_printed() {
        let mut n = nomination(Consent::Waiting);
        n.answer(ConsentAnswer { give: true }).unwrap();
        assert!(n.available());
        n.answer(ConsentAnswer { give: false }).unwrap();
        assert_eq!(n.consent, Consent::Declined);
        assert!(!n.available());
        n.answer(ConsentAnswer { give: true }).unwrap();
        n.bulletin = Some(BulletinId::new());
        assert!(n.answer(ConsentAnswer { give: false }).is_err());
        assert_eq!(n.consent, Consent::Given);
        for c in [Consent::Waiting, Consent::Given, Consent::Declined] {
            assert_eq!(Consent::parse(c.as_str()), Some(c));
        }
    }
}
