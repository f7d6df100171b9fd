//! A published commitment's progress on the board: items crossed off of all
//! items, how many were due by today and how many of those are overdue.

use crate::i18n::{use_i18n, Text};
use chengnuo_domain::dossier::ItemFulfilment;
use chengnuo_domain::publication::Progress;
use leptos::prelude::*;

#[component]
pub fn ProgressBar(fulfilment: Vec<ItemFulfilment>) -> impl IntoView {
    view! { <Bar progress=Progress::of(&fulfilment, crate::time::today())/> }
}

/// The bar of a progress counted elsewhere (a unit's, by the server).
#[component]
pub fn Bar(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let mut text = format!(
            "{} {}/{} · {} {}",
            i18n.text(Text::ProgressCrossedOff),
            progress.crossed_off,
            progress.total,
            i18n.text(Text::ProgressDue),
            progress.due
        );
        if progress.overdue > 0 {
            text.push_str(&format!(
                " · {} {}",
                i18n.text(Text::TodoOverdue),
                progress.overdue
            ));
        }
        text
    };
    let late = progress.overdue > 0;
    (progress.total > 0).then(|| {
        view! {
            <div class="progress" data-testid="progress">
                <progress max=progress.total value=progress.crossed_off aria-label=text></progress>
                <span class:overdue=late>{text}</span>
            </div>
        }
    })
}
