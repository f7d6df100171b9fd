//! Both versions side by side, field by field; the person chooses, nothing
//! is lost: items only one side has are kept unless the person removes them.

use crate::i18n::{use_i18n, Text};
use crate::state::use_state;
use chengnuo_domain::commitment::{CommitmentDraft, ItemDraft};
use chengnuo_domain::ids::{CommitmentId, ItemId, OperationId};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Mine,
    Server,
}

#[component]
pub fn ConflictMerge(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pair = state.workspace.with_untracked(|w| {
        w.as_ref().and_then(|w| w.replica.get(id)).and_then(|l| {
            l.conflict
                .as_ref()
                .map(|s| (l.draft.clone(), s.draft.clone(), l.conflict_from_other_tab))
        })
    });
    let Some((mine, server, other_tab)) = pair else {
        return ().into_any();
    };
    // The other side is the server's, or another tab's on this device.
    let (other_heading, keep_other) = if other_tab {
        (Text::OtherTabVersion, Text::KeepOtherTab)
    } else {
        (Text::ServerVersion, Text::KeepServer)
    };
    let summary = RwSignal::new(Side::Mine);
    let standards = RwSignal::new(Side::Mine);
    let choices = RwSignal::new(HashMap::<ItemId, Side>::new());
    // Items only one version has: kept unless the person removes them.
    let dropped = RwSignal::new(HashSet::<ItemId>::new());
    // Every item of either side, in the local order, then the server's extras.
    let mut ids: Vec<ItemId> = mine.items.iter().map(|i| i.id).collect();
    ids.extend(
        server
            .items
            .iter()
            .map(|i| i.id)
            .filter(|id| !mine.items.iter().any(|m| m.id == *id)),
    );
    let find =
        |draft: &CommitmentDraft, id: ItemId| draft.items.iter().find(|i| i.id == id).cloned();
    let (mine_for_save, server_for_save, ids_for_save) =
        (mine.clone(), server.clone(), ids.clone());
    let save = move |_| {
        let choices = choices.get_untracked();
        let dropped = dropped.get_untracked();
        let items: Vec<ItemDraft> = ids_for_save
            .iter()
            .filter(|id| !dropped.contains(id))
            .filter_map(|id| {
                let side = choices.get(id).copied().unwrap_or(Side::Mine);
                let (first, second) = match side {
                    Side::Mine => (find(&mine_for_save, *id), find(&server_for_save, *id)),
                    Side::Server => (find(&server_for_save, *id), find(&mine_for_save, *id)),
                };
                first.or(second)
            })
            .collect();
        let merged = CommitmentDraft {
            needs_summary: match summary.get_untracked() {
                Side::Mine => mine_for_save.needs_summary.clone(),
                Side::Server => server_for_save.needs_summary.clone(),
            },
            items,
            standards: match standards.get_untracked() {
                Side::Mine => mine_for_save.standards.clone(),
                Side::Server => server_for_save.standards.clone(),
            },
        };
        state.update(|w| w.replica.resolve(id, merged, OperationId::new()));
        state.save_now();
        state.push_soon();
    };
    let chooser = move |name: String, signal: RwSignal<Side>| {
        view! {
            <div class="choose" role="radiogroup">
                <label class="check" for=format!("{name}-mine")>
                    <input type="radio" id=format!("{name}-mine") name=name.clone() prop:checked=move || signal.get() == Side::Mine
                        on:change=move |_| signal.set(Side::Mine)/>
                    {move || i18n.text(Text::KeepMine)}
                </label>
                <label class="check" for=format!("{name}-server")>
                    <input type="radio" id=format!("{name}-server") name=name.clone() prop:checked=move || signal.get() == Side::Server
                        on:change=move |_| signal.set(Side::Server)/>
                    {move || i18n.text(keep_other)}
                </label>
            </div>
        }
    };
    let item_text = |item: Option<ItemDraft>| {
        item.map(|i| format!("{} {} — {} — {}", i.area, i.content, i.measures, i.deadline))
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <section class="conflict" data-testid="conflict">
            <h1>{move || i18n.text(Text::ConflictHeading)}</h1>
            <p>{move || i18n.text(Text::ConflictIntro)}</p>
            <div class="merge-row">
                <h2>{move || i18n.text(Text::NeedsSummary)}</h2>
                <div class="side-by-side">
                    <div><h3>{move || i18n.text(Text::ThisDevice)}</h3><p data-testid="mine-summary">{mine.needs_summary.clone()}</p></div>
                    <div><h3>{move || i18n.text(other_heading)}</h3><p data-testid="server-summary">{server.needs_summary.clone()}</p></div>
                </div>
                {chooser("summary".to_owned(), summary)}
            </div>
            {ids.iter().enumerate().map(|(n, item)| {
                let item = *item;
                let (a, b) = (find(&mine, item), find(&server, item));
                let same = a == b;
                let side = RwSignal::new(Side::Mine);
                Effect::new(move |_| {
                    let chosen = side.get();
                    choices.update(|c| { c.insert(item, chosen); });
                });
                view! {
                    <div class="merge-row">
                        <h2>{move || format!("{} {}", i18n.text(Text::Item), n + 1)}</h2>
                        <div class="side-by-side">
                            <div><h3>{move || i18n.text(Text::ThisDevice)}</h3><p>{item_text(a.clone())}</p></div>
                            <div><h3>{move || i18n.text(other_heading)}</h3><p>{item_text(b.clone())}</p></div>
                        </div>
                        {match (a.is_some() && b.is_some(), same) {
                            (true, false) => chooser(format!("item-{item}"), side).into_any(),
                            (false, _) => {
                                let dom = format!("keep-{item}");
                                let label_for = dom.clone();
                                view! {
                                    <label class="check" for=label_for>
                                        <input id=dom type="checkbox" prop:checked=move || !dropped.with(|d| d.contains(&item))
                                            on:change=move |e| {
                                                let keep = event_target_checked(&e);
                                                dropped.update(|d| { if keep { d.remove(&item); } else { d.insert(item); } });
                                            }/>
                                        {move || i18n.text(Text::KeepItem)}
                                    </label>
                                }.into_any()
                            }
                            (true, true) => ().into_any(),
                        }}
                    </div>
                }
            }).collect_view()}
            <div class="merge-row">
                <h2>{move || i18n.text(Text::Standards)}</h2>
                <div class="side-by-side">
                    <div><p>{mine.standards.join("、")}</p></div>
                    <div><p>{server.standards.join("、")}</p></div>
                </div>
                {chooser("standards".to_owned(), standards)}
            </div>
            <button type="button" class="button primary" on:click=save>{move || i18n.text(Text::SaveMerge)}</button>
        </section>
    }
    .into_any()
}
