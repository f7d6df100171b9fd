//! A merge that waits for the person: only what both versions changed
//! differently is asked, each with the two versions side by side and their
//! difference highlighted. Texts offer "keep both" first, so accepting what
//! is offered discards nothing; a version the person chooses not to keep
//! goes to the commitment's history with the merged text.

use crate::i18n::{use_i18n, Text};
use crate::state::use_state;
use chengnuo_domain::commitment::CommitmentDraft;
use chengnuo_domain::ids::{CommitmentId, OperationId};
use chengnuo_domain::sync::merge::{highlight, merge, Choice, ItemField, Question, Spot};
use leptos::prelude::*;
use std::collections::HashMap;

/// A part of its own (`on_demand::ConflictMergePart`), fetched when a
/// conflict is there to merge, which is right after an answer of the server
/// or of another tab.
#[component]
pub fn ConflictMerge(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let versions = state.workspace.with_untracked(|w| {
        w.as_ref().and_then(|w| w.replica.get(id)).and_then(|l| {
            l.conflict.as_ref().map(|other| {
                (
                    l.ancestor(),
                    l.draft.clone(),
                    other.draft.clone(),
                    l.conflict_from_other_tab,
                )
            })
        })
    });
    let Some((base, mine, theirs, other_tab)) = versions else {
        return ().into_any();
    };
    // The other side is the server's, or another tab's on this device.
    let (other_heading, keep_other) = if other_tab {
        (Words::OtherTabVersion, Words::KeepOtherTab)
    } else {
        (Words::ServerVersion, Words::KeepServer)
    };
    let questions = merge(&base, &mine, &theirs, &|_| None).questions;
    let choices = RwSignal::new(
        questions
            .iter()
            .filter_map(|q| q.offered().map(|c| (q.spot, c)))
            .collect::<HashMap<Spot, Choice>>(),
    );
    let unanswered = {
        let spots: Vec<Spot> = questions.iter().map(|q| q.spot).collect();
        Memo::new(move |_| choices.with(|c| spots.iter().filter(|s| !c.contains_key(s)).count()))
    };
    let position = {
        let mine = mine.clone();
        let theirs = theirs.clone();
        move |item| {
            let at = |draft: &CommitmentDraft| draft.items.iter().position(|i| i.id == item);
            at(&mine).or_else(|| at(&theirs)).map_or(0, |n| n + 1)
        }
    };
    let title = move |spot: Spot| -> String {
        match spot {
            Spot::NeedsSummary => i18n.text(Text::NeedsSummary).to_owned(),
            Spot::Item { id, field } => format!(
                "{} {} · {}",
                i18n.text(Text::Item),
                position(id),
                i18n.text(field_text(field))
            ),
            Spot::Removed { id } => format!(
                "{} {} · {}",
                i18n.text(Text::Item),
                position(id),
                i18n.text(Words::RemovedOnOneSide)
            ),
        }
    };
    let (base_s, mine_s, theirs_s) = (base.clone(), mine.clone(), theirs.clone());
    let save = move |_| {
        let chosen = choices.get_untracked();
        let merged = merge(&base_s, &mine_s, &theirs_s, &|spot| {
            chosen.get(&spot).copied()
        });
        state.change_replica(|replica| {
            replica.resolve(id, merged.draft, merged.set_aside, OperationId::new())
        });
    };
    let count = questions.len();
    view! {
        <section class="conflict" data-testid="conflict">
            <h1>{move || i18n.text(Text::ConflictHeading)}</h1>
            <p>{move || i18n.text(Words::ConflictIntro).replace("{n}", &count.to_string())}</p>
            {questions.into_iter().enumerate().map(|(n, question)| {
                let heading = title(question.spot);
                view! { <QuestionRow n=n question=question title=heading choices=choices other_heading=other_heading keep_other=keep_other/> }
            }).collect_view()}
            <p class="hint" role="status">
                {move || (unanswered.get() > 0).then(|| i18n.text(Words::ChooseForEach).replace("{n}", &unanswered.get().to_string()))}
            </p>
            <button type="button" class="button primary" on:click=save disabled=move || { unanswered.get() > 0 }>
                {move || i18n.text(Words::SaveMerge)}
            </button>
        </section>
    }
    .into_any()
}

fn field_text(field: ItemField) -> Text {
    match field {
        ItemField::Area => Text::Area,
        ItemField::Content => Text::Content,
        ItemField::Measures => Text::Measures,
        ItemField::Deadline => Text::Deadline,
        ItemField::Target => Text::Target,
        ItemField::PracticalDeed => Text::PracticalDeed,
    }
}

/// A value as shown: a flag in words, an empty value as a dash.
fn shown(question: &Question, value: &str, i18n: crate::i18n::I18n) -> String {
    match question.spot {
        Spot::Item {
            field: ItemField::PracticalDeed,
            ..
        } => i18n
            .text(if value == "true" {
                Words::Yes
            } else {
                Words::No
            })
            .to_owned(),
        Spot::Removed { .. } if value.is_empty() => i18n.text(Words::ItemRemoved).to_owned(),
        _ if value.is_empty() => "—".to_owned(),
        _ => value.to_owned(),
    }
}

#[component]
fn QuestionRow(
    n: usize,
    question: Question,
    title: String,
    choices: RwSignal<HashMap<Spot, Choice>>,
    other_heading: Words,
    keep_other: Words,
) -> impl IntoView {
    let i18n = use_i18n();
    let spot = question.spot;
    let (mine, theirs) = (
        shown(&question, &question.mine, i18n),
        shown(&question, &question.theirs, i18n),
    );
    let (mine_parts, theirs_parts) = highlight(&mine, &theirs);
    let render = |parts: Vec<chengnuo_domain::sync::merge::Segment>| {
        parts
            .into_iter()
            .map(|p| {
                if p.changed {
                    view! { <mark>{p.text}</mark> }.into_any()
                } else {
                    view! { <span>{p.text}</span> }.into_any()
                }
            })
            .collect_view()
    };
    let name = format!("merge-{n}");
    let option = move |choice: Choice, text: Words| {
        let dom = format!("{name}-{choice:?}");
        let label_for = dom.clone();
        view! {
            <label class="check" for=label_for>
                <input type="radio" id=dom name=name.clone()
                    prop:checked=move || choices.with(|c| c.get(&spot) == Some(&choice))
                    on:change=move |_| choices.update(|c| { c.insert(spot, choice); })/>
                {move || i18n.text(text)}
            </label>
        }
    };
    let removed = matches!(spot, Spot::Removed { .. });
    let mine_kept = !question.mine.is_empty();
    view! {
        <fieldset class="merge-row" data-testid="merge-question">
            <legend>{title}</legend>
            <div class="side-by-side">
                <div><p class="side-name">{move || i18n.text(Words::ThisDevice)}</p><p lang=crate::i18n::user_lang(&question.mine) data-testid="mine">{render(mine_parts)}</p></div>
                <div><p class="side-name">{move || i18n.text(other_heading)}</p><p lang=crate::i18n::user_lang(&question.theirs) data-testid="theirs">{render(theirs_parts)}</p></div>
            </div>
            <div class="choose">
                {if removed {
                    // Keep the item (from the side that has it) or remove it.
                    let (keep, drop) = if mine_kept { (Choice::Mine, Choice::Theirs) } else { (Choice::Theirs, Choice::Mine) };
                    view! { {option(keep, Words::KeepItem)} {option(drop, Words::RemoveItem)} }.into_any()
                } else {
                    view! {
                        {spot.keeps_both().then(|| option(Choice::Both, Words::KeepBoth))}
                        {option(Choice::Mine, Words::KeepMine)}
                        {option(Choice::Theirs, keep_other)}
                    }.into_any()
                }}
            </div>
        </fieldset>
    }
}

crate::i18n::texts! {
    Words;
    ConflictIntro => "只有一方修改的内容已自动合并。下面 {n} 处两边改得不一样，请逐处选择，然后保存合并结果；没有选用的版本会留在承诺书的历史中。", "What only one side changed was merged for you. Both sides changed the {n} place(s) below differently: choose for each, then save the merge; a version you do not keep stays in the commitment's history.";
    ChooseForEach => "还有 {n} 处需要选择。", "{n} place(s) still need a choice.";
    KeepBoth => "两者都保留", "Keep both";
    RemoveItem => "删除此事项", "Remove this item";
    RemovedOnOneSide => "一方删除了此事项，另一方修改了它", "removed on one side, changed on the other";
    ItemRemoved => "（已删除）", "(removed)";
    Yes => "是", "Yes";
    No => "否", "No";
    KeepMine => "用本机的", "Keep this device's";
    KeepServer => "用服务器上的", "Keep the server's";
    KeepItem => "保留此事项", "Keep this item";
    ThisDevice => "本机版本", "This device";
    ServerVersion => "服务器版本", "Server";
    OtherTabVersion => "另一个标签页的版本", "The other tab";
    KeepOtherTab => "用另一个标签页的", "Keep the other tab's";
    SaveMerge => "保存合并结果", "Save the merge";
}
