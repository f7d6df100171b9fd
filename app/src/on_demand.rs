//! The screens whose code is loaded the first time they are opened: each is a
//! wasm module of its own, cut from the first load by `cargo xtask
//! build-client` at the split points written here. What a member drafting on a
//! phone never opens, they never download; the service worker keeps each part
//! once fetched, so it opens offline afterwards.
//!
//! Two split points stand beside what they split, so that no module and
//! this one import each other: importing a transfer file
//! (`components::device_transfer::import_file`) and sending an evidence
//! file (`sync::upload_file`, in the fulfilment part).
//!
//! A part that cannot be fetched (offline, never opened on this device) shows
//! a screen that says so instead of stopping the app: the split points are
//! `fallible`.

use crate::components::conflict_merge::ConflictMerge;
use crate::components::fulfilment::Fulfilment;
use crate::components::supervisor_desk::SupervisorDesk;
use crate::i18n::{use_i18n, Text};
use crate::pages::{
    account::AccountPage,
    admin::AdminPage,
    ballot::BallotPage,
    ballot_codes::BallotCodesPage,
    board::BoardPage,
    board_entry::BoardEntryPage,
    circulars::{CircularDraftPage, CircularPage, CircularsPage},
    claims::ClaimsPage,
    dashboard::DashboardPage,
    package_forms::PackageFormsPage,
    print::PrintPage,
    reports::ReportsPage,
    review::ReviewPage,
    years::YearsPage,
};
use chengnuo_domain::ids::CommitmentId;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;
use std::pin::Pin;

/// A part of the app could not be fetched.
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// One screen loaded on demand: `$screen` the component the app shows for
/// its route, `$page` the screen's component in its part, `$module` the
/// name of the part, `$preload` fetches the part without showing it.
macro_rules! on_demand {
    ($screen:ident, $page:ident, $module:ident, $preload:ident) => {
        #[wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $module() -> Result<AnyView, NotLoaded> {
            Ok(view! { <$page/> }.into_any())
        }

        #[component]
        pub fn $screen() -> impl IntoView {
            when_loaded(
                Box::pin($preload()),
                Box::new(|| ready_now($module())),
                not_loaded_screen,
            )
        }
    };
}

on_demand!(
    ReviewScreen,
    ReviewPage,
    review_screen,
    preload_review_screen
);
on_demand!(PrintScreen, PrintPage, print_screen, preload_print_screen);
on_demand!(BoardScreen, BoardPage, board_screen, preload_board_screen);
on_demand!(
    BoardEntryScreen,
    BoardEntryPage,
    board_entry_screen,
    preload_board_entry_screen
);
on_demand!(
    ReportsScreen,
    ReportsPage,
    reports_screen,
    preload_reports_screen
);
on_demand!(
    PackageFormsScreen,
    PackageFormsPage,
    package_forms_screen,
    preload_package_forms_screen
);
on_demand!(
    ClaimsScreen,
    ClaimsPage,
    claims_screen,
    preload_claims_screen
);
on_demand!(YearsScreen, YearsPage, years_screen, preload_years_screen);
on_demand!(
    BallotCodesScreen,
    BallotCodesPage,
    ballot_codes_screen,
    preload_ballot_codes_screen
);
on_demand!(
    BallotScreen,
    BallotPage,
    ballot_screen,
    preload_ballot_screen
);
on_demand!(
    AccountScreen,
    AccountPage,
    account_screen,
    preload_account_screen
);
on_demand!(AdminScreen, AdminPage, admin_screen, preload_admin_screen);
on_demand!(
    CircularsScreen,
    CircularsPage,
    circulars_screen,
    preload_circulars_screen
);
on_demand!(
    CircularScreen,
    CircularPage,
    circular_screen,
    preload_circular_screen
);
on_demand!(
    CircularDraftScreen,
    CircularDraftPage,
    circular_draft_screen,
    preload_circular_draft_screen
);
on_demand!(
    DashboardScreen,
    DashboardPage,
    dashboard_screen,
    preload_dashboard_screen
);

/// A screen (or a part of one) once its part of the app is here. The part is fetched by a task of its
/// own, never dropped half-way (the loader does not survive a cancelled
/// load, and a screen left while its part loaded once built its page under
/// an owner already gone: "Tried to access a reactive value that has
/// already been disposed"); the page is then built like any view, where
/// the screen is, and not at all if the person left meanwhile. Not generic
/// (the builder boxed): one copy for every screen, 16 KB of wasm less.
fn when_loaded(
    preload: Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>,
    build: Box<dyn Fn() -> Option<Result<AnyView, NotLoaded>> + Send + Sync>,
    not_loaded: fn() -> AnyView,
) -> AnyView {
    #[derive(Clone, Copy, PartialEq)]
    enum Part {
        Loading,
        Here,
        NotHere,
    }
    let part = RwSignal::new(Part::Loading);
    leptos::task::spawn_local(async move {
        let here = preload.await.is_ok();
        // A screen left meanwhile: nothing to show it on.
        let _ = part.try_set(if here { Part::Here } else { Part::NotHere });
    });
    (move || match part.get() {
        Part::Loading => ().into_any(),
        Part::Here => build().and_then(Result::ok).unwrap_or_else(not_loaded),
        Part::NotHere => not_loaded(),
    })
    .into_any()
}

/// The value of a future that is ready at once (a split function whose
/// part is loaded already), else `None`.
fn ready_now<T>(future: impl Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}

/// One part of a screen loaded on demand, shown where it belongs:
/// `$part(args)` the component, `$module` the name of the part, `$preload`
/// fetches it without showing it, `$view` what it shows (with the args).
macro_rules! part_on_demand {
    ($(#[$doc:meta])* $part:ident($($arg:ident: $ty:ty),*), $module:ident, $preload:ident, $view:expr) => {
        #[wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $module($($arg: $ty),*) -> Result<AnyView, NotLoaded> {
            Ok($view.into_any())
        }

        $(#[$doc])*
        #[component]
        pub fn $part($($arg: $ty),*) -> impl IntoView {
            when_loaded(
                Box::pin($preload()),
                Box::new(move || ready_now($module($($arg),*))),
                not_loaded_part,
            )
        }
    };
}

part_on_demand!(
    /// The supervisor's desk on the dashboard (督查).
    SupervisorDeskPart(),
    supervisor_desk,
    preload_supervisor_desk,
    view! { <SupervisorDesk/> }
);

part_on_demand!(
    /// 兑现情况 of a published commitment: the items, their plans and ledgers,
    /// claims and decisions. A person whose device holds a published commitment
    /// gets this part while online (see [`fetch_fulfilment`]).
    FulfilmentPart(id: CommitmentId),
    fulfilment,
    preload_fulfilment,
    view! { <Fulfilment id=id/> }
);

/// Fetches the fulfilment part while there is a network, so that a
/// published commitment's ledger opens offline later.
pub async fn fetch_fulfilment() -> Result<(), NotLoaded> {
    kept_offline().await?;
    preload_fulfilment().await?;
    // Its rounds and orders are on the to-do list (the server's lines).
    preload_todo_feed().await?;
    Ok(())
}

part_on_demand!(
    /// Signing, printing and publishing a commitment (`sign_and_publish`). A
    /// device holding an approved commitment gets this part while online (see
    /// [`fetch_publication`]), a secretary's with their screens.
    PublicationPart(id: CommitmentId),
    publication,
    preload_publication,
    view! { <crate::components::sign_and_publish::SignAndPublish id=id/> }
);

/// Fetches the publication part while there is a network, so that an
/// approved commitment can be signed offline later.
pub async fn fetch_publication() -> Result<(), NotLoaded> {
    kept_offline().await?;
    preload_publication().await?;
    Ok(())
}

part_on_demand!(
    /// 征求意见 on a unit's own draft, for its secretary.
    SuggestionsPart(id: CommitmentId, unit: chengnuo_domain::ids::OrgUnitId),
    suggestions_for_draft,
    preload_suggestions_for_draft,
    view! { <crate::components::suggestions::SuggestionsForDraft id=id unit=unit/> }
);

part_on_demand!(
    /// 待办 the server decides, below the device's lines: `text` as the
    /// server answered it; `count` how many lines it shows.
    TodoFeedPart(text: RwSignal<Option<String>>, count: RwSignal<usize>),
    todo_feed,
    preload_todo_feed,
    view! { <crate::components::todo_feed::TodoFeed text=text count=count/> }
);

part_on_demand!(
    /// Two versions of a commitment side by side, merged by the person.
    ConflictMergePart(id: CommitmentId),
    conflict_merge,
    preload_conflict_merge,
    view! { <ConflictMerge id=id/> }
);

/// Fetches the parts of the screens a secretary, a leader or the office
/// works in (review, claims, reports, the package's forms) while there is a network,
/// so that they open offline later even if not opened before. A member
/// fetches none of them. A failed fetch is tried again on the next call.
pub async fn fetch_supervisors_screens() -> Result<(), NotLoaded> {
    kept_offline().await?;
    preload_supervisor_desk().await?;
    preload_todo_feed().await?;
    preload_review_screen().await?;
    preload_publication().await?;
    preload_claims_screen().await?;
    preload_reports_screen().await?;
    preload_package_forms_screen().await?;
    Ok(())
}

/// Adds the stylesheet of the on-demand screens (`style/screens/`, named by
/// the page's `screens-css` meta) to the page, once: the screens that use it
/// call this, so a member who never opens them never downloads it. The
/// service worker keeps it like a part.
pub fn screens_style() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("screens-css").is_some() {
        return;
    }
    let href = document
        .query_selector("meta[name=screens-css]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let (Some(href), Ok(link), Ok(Some(head))) = (
        href,
        document.create_element("link"),
        document.query_selector("head"),
    ) else {
        return;
    };
    link.set_id("screens-css");
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href);
    let _ = head.append_child(&link);
}

fn not_loaded_part() -> AnyView {
    view! { <NotLoadedPart/> }.into_any()
}

fn not_loaded_screen() -> AnyView {
    view! { <NotLoadedScreen/> }.into_any()
}

#[component]
fn NotLoadedPart() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="hint" data-testid="not-loaded">{move || i18n.text(Text::NotLoadedPartBody)}</p>
    }
}

/// Waits until a service worker controls the page (the loader's
/// `chengnuoKeptOffline`), so that what is fetched next is kept for offline
/// use; fetching before would download a part only to lose it.
async fn kept_offline() -> Result<(), NotLoaded> {
    let promise = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"chengnuoKeptOffline".into()).ok())
        .and_then(|p| wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p).ok())
        .ok_or(NotLoaded)?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| NotLoaded)
}

#[component]
fn NotLoadedScreen() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::NotLoadedHeading).to_owned());
    view! {
        <section class="not-found" data-testid="not-loaded">
            <h1>{move || i18n.text(Text::NotLoadedHeading)}</h1>
            <p>{move || i18n.text(Text::NotLoadedBody)}</p>
            <button type="button" class="button" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }>{move || i18n.text(Text::TryAgain)}</button>
        </section>
    }
}
