//! The three-way merge of a commitment's text: two versions (this device's
//! and the other one, the server's or another tab's) against the version
//! both started from.
//!
//! What only one side changed is taken from that side without asking: a
//! field, an item added, an item removed, the order, a standard ticked. Only
//! a field both sides changed to different values is a [`Question`], and only
//! an item one side removed while the other changed it. Texts can keep both
//! versions ([`Choice::Both`], the answer offered first), so accepting what
//! is offered never discards anything; any other answer discards a version
//! only because the person chose it, and that version is returned in
//! [`Merge::set_aside`] to be kept in the commitment's history.

use crate::commitment::{CommitmentDraft, ItemDraft};
use crate::ids::ItemId;
use serde::{Deserialize, Serialize};

/// A field of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemField {
    Area,
    Content,
    Measures,
    Deadline,
    Target,
    PracticalDeed,
}

impl ItemField {
    pub const ALL: [ItemField; 6] = [
        ItemField::Area,
        ItemField::Content,
        ItemField::Measures,
        ItemField::Deadline,
        ItemField::Target,
        ItemField::PracticalDeed,
    ];

    /// How two versions of this field are kept together, if they can be.
    fn joiner(self) -> Option<&'static str> {
        match self {
            ItemField::Content | ItemField::Measures => Some("\n"),
            ItemField::Target => Some(" / "),
            ItemField::Area | ItemField::Deadline | ItemField::PracticalDeed => None,
        }
    }

    /// The field's value as text (a flag as `true`/`false`).
    pub fn get(self, item: &ItemDraft) -> String {
        match self {
            ItemField::Area => item.area.clone(),
            ItemField::Content => item.content.clone(),
            ItemField::Measures => item.measures.clone(),
            ItemField::Deadline => item.deadline.clone(),
            ItemField::Target => item.target.clone(),
            ItemField::PracticalDeed => item.practical_deed.to_string(),
        }
    }

    fn set(self, item: &mut ItemDraft, value: String) {
        match self {
            ItemField::Area => item.area = value,
            ItemField::Content => item.content = value,
            ItemField::Measures => item.measures = value,
            ItemField::Deadline => item.deadline = value,
            ItemField::Target => item.target = value,
            ItemField::PracticalDeed => item.practical_deed = value == "true",
        }
    }
}

/// A place where both versions changed the same thing differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Spot {
    /// 调研情况
    NeedsSummary,
    /// One field of an item both versions have.
    Item { id: ItemId, field: ItemField },
    /// An item one version removed and the other changed.
    Removed { id: ItemId },
}

impl Spot {
    /// Whether "keep both" is possible here (texts).
    pub fn keeps_both(self) -> bool {
        match self {
            Spot::NeedsSummary => true,
            Spot::Item { field, .. } => field.joiner().is_some(),
            Spot::Removed { .. } => false,
        }
    }
}

/// The person's answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Choice {
    /// This device's version.
    Mine,
    /// The other version.
    Theirs,
    /// Both texts, this device's first (texts only).
    Both,
}

/// One question for the person, with the three versions of the value. For
/// [`Spot::Removed`] a value is the item's text, or empty where it was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub spot: Spot,
    pub base: String,
    pub mine: String,
    pub theirs: String,
}

impl Question {
    /// The answer offered first: both texts where they can be kept together,
    /// and keeping an item one side removed. Nothing is discarded by it.
    pub fn offered(&self) -> Option<Choice> {
        match self.spot {
            Spot::Removed { .. } if self.mine.is_empty() => Some(Choice::Theirs),
            Spot::Removed { .. } => Some(Choice::Mine),
            spot if spot.keeps_both() => Some(Choice::Both),
            _ => None,
        }
    }
}

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The merged text: one-sided changes taken, each question answered by
    /// the choice given, else by [`Question::offered`], else this device's.
    pub draft: CommitmentDraft,
    /// Every question, answered or not, in the order of the form.
    pub questions: Vec<Question>,
    /// The whole versions a choice discarded something from.
    pub set_aside: Vec<CommitmentDraft>,
}

impl Merge {
    /// Nothing to ask: the merged text can be used as it is.
    pub fn is_clean(&self) -> bool {
        self.questions.is_empty()
    }
}

struct Resolver<'a> {
    choose: &'a dyn Fn(Spot) -> Option<Choice>,
    questions: Vec<Question>,
    discarded_mine: bool,
    discarded_theirs: bool,
}

impl Resolver<'_> {
    /// One value: taken from the side that changed it, or asked.
    fn value(&mut self, spot: Spot, base: &str, mine: &str, theirs: &str) -> String {
        if mine == theirs || theirs == base {
            return mine.to_owned();
        }
        if mine == base {
            return theirs.to_owned();
        }
        let question = Question {
            spot,
            base: base.to_owned(),
            mine: mine.to_owned(),
            theirs: theirs.to_owned(),
        };
        let choice = (self.choose)(spot)
            .filter(|c| *c != Choice::Both || spot.keeps_both())
            .or(question.offered())
            .unwrap_or(Choice::Mine);
        self.questions.push(question);
        match choice {
            Choice::Mine => {
                self.discarded_theirs = true;
                mine.to_owned()
            }
            Choice::Theirs => {
                self.discarded_mine = true;
                theirs.to_owned()
            }
            Choice::Both => {
                let joiner = match spot {
                    Spot::Item { field, .. } => field.joiner().unwrap_or("\n"),
                    _ => "\n",
                };
                format!("{mine}{joiner}{theirs}")
            }
        }
    }

    /// An item both versions have, field by field.
    fn item(&mut self, base: &ItemDraft, mine: &ItemDraft, theirs: &ItemDraft) -> ItemDraft {
        let mut merged = mine.clone();
        for field in ItemField::ALL {
            let value = self.value(
                Spot::Item { id: mine.id, field },
                &field.get(base),
                &field.get(mine),
                &field.get(theirs),
            );
            field.set(&mut merged, value);
        }
        merged
    }

    /// An item one side removed: gone if the other left it alone, asked if
    /// the other changed it. Returns the item if it stays.
    fn removed(
        &mut self,
        base: &ItemDraft,
        kept: &ItemDraft,
        kept_by_mine: bool,
    ) -> Option<ItemDraft> {
        if kept == base {
            return None;
        }
        let text = item_text(kept);
        let (mine, theirs) = if kept_by_mine {
            (text, String::new())
        } else {
            (String::new(), text)
        };
        let question = Question {
            spot: Spot::Removed { id: kept.id },
            base: item_text(base),
            mine,
            theirs,
        };
        let choice = (self.choose)(question.spot)
            .filter(|c| *c != Choice::Both)
            .or(question.offered())
            .unwrap_or(Choice::Mine);
        self.questions.push(question);
        let keep = (choice == Choice::Mine) == kept_by_mine;
        if keep {
            Some(kept.clone())
        } else {
            if kept_by_mine {
                self.discarded_mine = true;
            } else {
                self.discarded_theirs = true;
            }
            None
        }
    }
}

/// An item in one line, for a question about it.
pub fn item_text(item: &ItemDraft) -> String {
    [&item.area, &item.content, &item.measures, &item.deadline]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" — ")
}

fn find(draft: &CommitmentDraft, id: ItemId) -> Option<&ItemDraft> {
    draft.items.iter().find(|i| i.id == id)
}

/// Merges `mine` and `theirs`, which both started from `base`, answering
/// each question with `choose` (none: the offered answer).
pub fn merge(
    base: &CommitmentDraft,
    mine: &CommitmentDraft,
    theirs: &CommitmentDraft,
    choose: &dyn Fn(Spot) -> Option<Choice>,
) -> Merge {
    let mut resolver = Resolver {
        choose,
        questions: Vec::new(),
        discarded_mine: false,
        discarded_theirs: false,
    };
    let needs_summary = resolver.value(
        Spot::NeedsSummary,
        &base.needs_summary,
        &mine.needs_summary,
        &theirs.needs_summary,
    );

    // Items, in the form's order: every id of either side, then decided one by one.
    let mut ids: Vec<ItemId> = Vec::new();
    for item in mine.items.iter().chain(&theirs.items).chain(&base.items) {
        if !ids.contains(&item.id) {
            ids.push(item.id);
        }
    }
    let mut kept: Vec<ItemDraft> = Vec::new();
    for id in ids {
        let blank = ItemDraft {
            id,
            ..Default::default()
        };
        let item = match (find(base, id), find(mine, id), find(theirs, id)) {
            (b, Some(m), Some(t)) => Some(resolver.item(b.unwrap_or(&blank), m, t)),
            (Some(b), Some(m), None) => resolver.removed(b, m, true),
            (Some(b), None, Some(t)) => resolver.removed(b, t, false),
            (None, Some(m), None) => Some(m.clone()),
            (None, None, Some(t)) => Some(t.clone()),
            (_, None, None) => None,
        };
        kept.extend(item);
    }
    let items = order(base, mine, theirs, kept);

    // Standards: a code ticked or unticked on one side is ticked or unticked.
    let mut standards: Vec<String> = mine
        .standards
        .iter()
        .filter(|s| theirs.standards.contains(s) || !base.standards.contains(s))
        .cloned()
        .collect();
    for code in &theirs.standards {
        if !standards.contains(code) && !base.standards.contains(code) {
            standards.push(code.clone());
        }
    }

    let mut set_aside = Vec::new();
    if resolver.discarded_mine {
        set_aside.push(mine.clone());
    }
    if resolver.discarded_theirs {
        set_aside.push(theirs.clone());
    }
    Merge {
        draft: CommitmentDraft {
            needs_summary,
            items,
            standards,
        },
        questions: resolver.questions,
        set_aside,
    }
}

/// The order of the merged items: that of the side that reordered (this
/// device's if both or neither did), with the other side's new items placed
/// after the item they follow there.
fn order(
    base: &CommitmentDraft,
    mine: &CommitmentDraft,
    theirs: &CommitmentDraft,
    kept: Vec<ItemDraft>,
) -> Vec<ItemDraft> {
    let common = |side: &CommitmentDraft| -> Vec<ItemId> {
        side.items
            .iter()
            .map(|i| i.id)
            .filter(|id| find(base, *id).is_some())
            .collect()
    };
    let in_base_order = |side: &CommitmentDraft| -> bool {
        let ids = common(side);
        let base_ids: Vec<ItemId> = base
            .items
            .iter()
            .map(|i| i.id)
            .filter(|id| ids.contains(id))
            .collect();
        ids == base_ids
    };
    let (first, second) = if in_base_order(mine) && !in_base_order(theirs) {
        (theirs, mine)
    } else {
        (mine, theirs)
    };
    let is_kept = |id: ItemId| kept.iter().any(|k| k.id == id);
    let mut sequence: Vec<ItemId> = first
        .items
        .iter()
        .map(|i| i.id)
        .filter(|id| is_kept(*id))
        .collect();
    let mut anchor: Option<usize> = None;
    for item in &second.items {
        match sequence.iter().position(|id| *id == item.id) {
            Some(at) => anchor = Some(at),
            None if is_kept(item.id) => {
                let at = anchor.map_or(0, |a| a + 1);
                sequence.insert(at, item.id);
                anchor = Some(at);
            }
            None => {}
        }
    }
    for item in &kept {
        if !sequence.contains(&item.id) {
            sequence.push(item.id);
        }
    }
    sequence
        .into_iter()
        .filter_map(|id| kept.iter().find(|k| k.id == id).cloned())
        .collect()
}

/// A piece of a text shown beside the other version: `changed` where the
/// two differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub changed: bool,
}

/// Two texts cut into what they share at the start and at the end and the
/// differing middle, for highlighting the difference on screen.
pub fn highlight(a: &str, b: &str) -> (Vec<Segment>, Vec<Segment>) {
    let a_chars: Vec<char> = a.chars().collect();
    let b_chars: Vec<char> = b.chars().collect();
    let prefix = a_chars
        .iter()
        .zip(&b_chars)
        .take_while(|(x, y)| x == y)
        .count();
    let suffix = a_chars[prefix..]
        .iter()
        .rev()
        .zip(b_chars[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let cut = |chars: &[char]| -> Vec<Segment> {
        let parts = [
            (&chars[..prefix], false),
            (&chars[prefix..chars.len() - suffix], true),
            (&chars[chars.len() - suffix..], false),
        ];
        parts
            .into_iter()
            .filter(|(part, _)| !part.is_empty())
            .map(|(part, changed)| Segment {
                text: part.iter().collect(),
                changed,
            })
            .collect()
    };
    (cut(&a_chars), cut(&b_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(content: &str, measures: &str) -> ItemDraft {
        ItemDraft {
            content: content.into(),
            measures: measures.into(),
            ..Default::default()
        }
    }

    fn offered(_: Spot) -> Option<Choice> {
        None
    }

    #[test]
    fn one_sided_changes_are_taken_without_asking() {
        let a = item("一", "甲");
        let b = item("二", "乙");
        let c = item("三", "丙");
        let base = CommitmentDraft {
            needs_summary: "调研".into(),
            items: vec![a.clone(), b.clone(), c.clone()],
            standards: vec!["G1".into(), "G2".into()],
        };
        let mut mine = base.clone();
        mine.items[0].content = "一（手机1）".into();
        mine.standards.retain(|s| s != "G1");
        let mut theirs = base.clone();
        theirs.items[1].measures = "乙（手机2）".into();
        theirs.needs_summary = "调研（手机2）".into();
        theirs.standards.push("G3".into());
        let merged = merge(&base, &mine, &theirs, &offered);
        assert!(merged.is_clean(), "{:?}", merged.questions);
        assert_eq!(merged.draft.needs_summary, "调研（手机2）");
        assert_eq!(merged.draft.items[0].content, "一（手机1）");
        assert_eq!(merged.draft.items[1].measures, "乙（手机2）");
        assert_eq!(merged.draft.items[2], c);
        assert_eq!(merged.draft.standards, ["G2", "G3"]);
        assert!(merged.set_aside.is_empty());
    }

    #[test]
    fn a_field_both_changed_is_asked_and_keeping_both_loses_nothing() {
        let base = CommitmentDraft {
            items: vec![item("一", "原措施")],
            ..Default::default()
        };
        let mut mine = base.clone();
        mine.items[0].measures = "手机1的措施".into();
        let mut theirs = base.clone();
        theirs.items[0].measures = "手机2的措施".into();
        let merged = merge(&base, &mine, &theirs, &offered);
        let id = base.items[0].id;
        assert_eq!(
            merged.questions,
            [Question {
                spot: Spot::Item {
                    id,
                    field: ItemField::Measures
                },
                base: "原措施".into(),
                mine: "手机1的措施".into(),
                theirs: "手机2的措施".into(),
            }]
        );
        assert_eq!(merged.draft.items[0].measures, "手机1的措施\n手机2的措施");
        assert!(merged.set_aside.is_empty());

        let theirs_chosen = merge(&base, &mine, &theirs, &|_| Some(Choice::Theirs));
        assert_eq!(theirs_chosen.draft.items[0].measures, "手机2的措施");
        assert_eq!(theirs_chosen.set_aside, [mine.clone()]);
    }

    #[test]
    fn a_deadline_cannot_keep_both_and_is_not_guessed_as_both() {
        let base = CommitmentDraft {
            items: vec![ItemDraft {
                deadline: "2026-05-01".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut mine = base.clone();
        mine.items[0].deadline = "2026-05-10".into();
        let mut theirs = base.clone();
        theirs.items[0].deadline = "2026-05-20".into();
        let merged = merge(&base, &mine, &theirs, &|_| Some(Choice::Both));
        assert_eq!(merged.questions.len(), 1);
        assert_eq!(merged.questions[0].offered(), None);
        assert_eq!(merged.draft.items[0].deadline, "2026-05-10");
    }

    #[test]
    fn removing_an_item_the_other_side_changed_asks_and_offers_to_keep_it() {
        let a = item("一", "甲");
        let b = item("二", "乙");
        let base = CommitmentDraft {
            items: vec![a.clone(), b.clone()],
            ..Default::default()
        };
        let mut mine = base.clone();
        mine.items.remove(1);
        let mut theirs = base.clone();
        theirs.items[1].content = "二（改过）".into();
        let merged = merge(&base, &mine, &theirs, &offered);
        assert_eq!(merged.questions.len(), 1);
        assert_eq!(merged.questions[0].spot, Spot::Removed { id: b.id });
        assert_eq!(merged.draft.items.len(), 2, "kept by default");
        assert_eq!(merged.draft.items[1].content, "二（改过）");

        let removed = merge(&base, &mine, &theirs, &|_| Some(Choice::Mine));
        assert_eq!(removed.draft.items.len(), 1);
        assert_eq!(removed.set_aside, [theirs.clone()]);

        // Removed where the other side left it alone: gone, nothing asked.
        let untouched = merge(&base, &mine, &base, &offered);
        assert!(untouched.is_clean());
        assert_eq!(untouched.draft.items, [a]);
    }

    #[test]
    fn new_items_of_both_sides_are_kept_in_place() {
        let a = item("一", "");
        let b = item("二", "");
        let base = CommitmentDraft {
            items: vec![a.clone(), b.clone()],
            ..Default::default()
        };
        let mine_new = item("手机1加的", "");
        let theirs_new = item("手机2加的", "");
        let mut mine = base.clone();
        mine.items.insert(1, mine_new.clone());
        let mut theirs = base.clone();
        theirs.items.push(theirs_new.clone());
        let merged = merge(&base, &mine, &theirs, &offered);
        assert!(merged.is_clean());
        let ids: Vec<ItemId> = merged.draft.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, [a.id, mine_new.id, b.id, theirs_new.id]);

        // The other side moved items: its order, with this side's new item after its neighbour.
        let mut theirs = base.clone();
        theirs.items.reverse();
        let merged = merge(&base, &mine, &theirs, &offered);
        let ids: Vec<ItemId> = merged.draft.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, [b.id, a.id, mine_new.id]);
    }

    #[test]
    fn highlighting_marks_the_differing_middle() {
        let (a, b) = highlight("每周答疑一次", "每两周答疑一次");
        assert_eq!(
            a,
            [
                Segment {
                    text: "每".into(),
                    changed: false
                },
                Segment {
                    text: "周答疑一次".into(),
                    changed: false
                }
            ]
        );
        assert_eq!(
            b[1],
            Segment {
                text: "两".into(),
                changed: true
            }
        );
        let (same, _) = highlight("一样", "一样");
        assert!(same.iter().all(|s| !s.changed));
    }

    #[test]
    fn without_a_common_version_both_texts_are_kept() {
        // Two phones started the same person's commitment offline.
        let mine = CommitmentDraft {
            needs_summary: "手机1".into(),
            items: vec![item("手机1的事项", "")],
            standards: vec!["L1".into()],
        };
        let theirs = CommitmentDraft {
            needs_summary: "手机2".into(),
            items: vec![item("手机2的事项", "")],
            standards: vec!["L2".into()],
        };
        let merged = merge(&CommitmentDraft::default(), &mine, &theirs, &offered);
        assert_eq!(merged.draft.needs_summary, "手机1\n手机2");
        assert_eq!(merged.draft.items.len(), 2);
        assert_eq!(merged.draft.standards, ["L1", "L2"]);
    }
}
