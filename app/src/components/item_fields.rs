use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::labels;
use chengnuo_domain::commitment::{CommitmentDraft, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::DateWindow;
use chengnuo_domain::ids::ItemId;
use chengnuo_domain::messages::ValidationErrors;
use leptos::prelude::*;

/// The fields of one item. Keyed by the item's id, so typing, moving and
/// removing other items never disturbs the field being typed in.
#[component]
pub fn ItemFields(
    id: ItemId,
    #[prop(into)] draft: Signal<CommitmentDraft>,
    #[prop(into)] errors: Signal<ValidationErrors>,
    kind: CommitterKind,
    fulfilment: Option<DateWindow>,
    on_change: Callback<(ItemId, ItemDraft)>,
    on_move: Callback<(ItemId, i32)>,
    on_remove: Callback<ItemId>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Each field of this item as a memo: typing in one field draws that
    // field again, not the other items' nor this item's other fields.
    let item = move || {
        draft.with_untracked(|d| {
            d.items
                .iter()
                .find(|i| i.id == id)
                .cloned()
                .unwrap_or_default()
        })
    };
    let of = move |pick: fn(&ItemDraft) -> String| {
        Memo::new(move |_| {
            draft.with(|d| {
                d.items
                    .iter()
                    .find(|i| i.id == id)
                    .map(pick)
                    .unwrap_or_default()
            })
        })
    };
    let area = of(|i| i.area.clone());
    let content = of(|i| i.content.clone());
    let measures = of(|i| i.measures.clone());
    let deadline = of(|i| i.deadline.clone());
    let target = of(|i| i.target.clone());
    let deed = move || draft.with(|d| d.items.iter().any(|i| i.id == id && i.practical_deed));
    let position = move || draft.with(|d| d.items.iter().position(|i| i.id == id).unwrap_or(0));
    let count = move || draft.with(|d| d.items.len());
    let field =
        move |name: &'static str| Signal::derive(move || format!("items[{}].{name}", position()));
    let dom = move |name: &str| format!("item-{id}-{name}");
    let change = move |apply: Box<dyn FnOnce(&mut ItemDraft)>| {
        let mut next = item();
        apply(&mut next);
        on_change.run((id, next));
    };
    let areas = kind.areas();
    let (min, max) = fulfilment
        .map(|w| (w.start.to_string(), w.end.to_string()))
        .unwrap_or_default();
    view! {
        <fieldset class="item" data-testid="item">
            <legend>{move || format!("{} {}", i18n.text(Text::Item), position() + 1)}</legend>
            <label for=dom("area")>{move || i18n.text(Text::Area)}</label>
            <select id=dom("area") prop:value=area
                on:change=move |e| { let v = event_target_value(&e); change(Box::new(move |i| i.area = v)) }>
                <option value="">{move || i18n.text(Text::ChooseArea)}</option>
                {areas.into_iter().map(|area| {
                    let code = area.code();
                    view! { <option value=code.clone()>{code.clone()}" "{move || labels::area(area, i18n.locale())}</option> }
                }).collect_view()}
            </select>
            <FieldErrors errors=errors field=field("area")/>
            <label for=dom("content")>{move || i18n.text(Text::Content)}</label>
            <textarea id=dom("content") rows="2" prop:value=content
                on:input=move |e| { let v = event_target_value(&e); change(Box::new(move |i| i.content = v)) }></textarea>
            <FieldErrors errors=errors field=field("content")/>
            <label for=dom("measures")>{move || i18n.text(Text::Measures)}</label>
            <textarea id=dom("measures") rows="3" prop:value=measures
                on:input=move |e| { let v = event_target_value(&e); change(Box::new(move |i| i.measures = v)) }></textarea>
            <FieldErrors errors=errors field=field("measures")/>
            <label for=dom("deadline")>{move || i18n.text(Text::Deadline)}</label>
            <input id=dom("deadline") type="date" min=min max=max prop:value=deadline
                on:input=move |e| { let v = event_target_value(&e); change(Box::new(move |i| i.deadline = v)) }/>
            <FieldErrors errors=errors field=field("deadline")/>
            <label for=dom("target")>{move || i18n.text(Text::Target)}</label>
            <input id=dom("target") prop:value=target
                on:input=move |e| { let v = event_target_value(&e); change(Box::new(move |i| i.target = v)) }/>
            <FieldErrors errors=errors field=field("target")/>
            <label class="check" for=dom("deed")>
                <input id=dom("deed") type="checkbox" prop:checked=deed
                    on:change=move |e| { let v = event_target_checked(&e); change(Box::new(move |i| i.practical_deed = v)) }/>
                {move || i18n.text(Text::PracticalDeed)}
            </label>
            <div class="item-actions">
                <button type="button" id=dom("up") class="button small" disabled=move || position() == 0
                    on:click=move |_| on_move.run((id, -1))>{move || i18n.text(Text::MoveUp)}
                    <span class="visually-hidden">" "{move || format!("{} {}", i18n.text(Text::Item), position() + 1)}</span></button>
                <button type="button" id=dom("down") class="button small" disabled=move || { position() + 1 >= count() }
                    on:click=move |_| on_move.run((id, 1))>{move || i18n.text(Text::MoveDown)}
                    <span class="visually-hidden">" "{move || format!("{} {}", i18n.text(Text::Item), position() + 1)}</span></button>
                <button type="button" id=dom("remove") class="button small danger" on:click=move |_| on_remove.run(id)>{move || i18n.text(Text::Remove)}
                    <span class="visually-hidden">" "{move || format!("{} {}", i18n.text(Text::Item), position() + 1)}</span></button>
            </div>
        </fieldset>
    }
}
