//! 管理, for the campaign office: the roster uploaded (every refused line
//! shown with its number, nothing imported until all are right), the tree
//! with its people and accounts counted, a unit's people — accounts
//! created, given a one-time password, disabled or enabled, roles granted
//! and revoked — and the audit trail, filtered and paged. Online only: each
//! of these is the server's to decide.

use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use chengnuo_domain::administration::{
    AccountLine, GrantChange, NewAccount, OneTimePassword, RosterImported, UnitCount,
};
use chengnuo_domain::audit::AuditEntry;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::messages::FieldBody;
use chengnuo_domain::org::{MemberCategory, OrgUnitKind};
use chengnuo_domain::permission::Role;
use chengnuo_domain::Locale;
use leptos::prelude::*;

/// A refusal as the page shows it: the sentence and each field's message.
type Refused = (String, Vec<FieldBody>);

fn refused(error: crate::api::ApiError, i18n: crate::i18n::I18n) -> Refused {
    match error {
        crate::api::ApiError::Refused {
            message, fields, ..
        } => (message, fields),
        other => (other.text(i18n), Vec::new()),
    }
}

fn role_name(role: Role, locale: Locale) -> &'static str {
    let (zh, en) = match role {
        Role::Member => ("党员", "Member"),
        Role::BranchSecretary => ("党支部书记", "Branch secretary"),
        Role::CommitteeSecretary => ("分党委书记", "Committee secretary"),
        Role::Leader => ("联系领导", "Leader"),
        Role::Office => ("活动办公室", "Campaign office"),
    };
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}

const CATEGORIES: [(MemberCategory, &str, &str); 4] = [
    (MemberCategory::Teacher, "教师", "Teacher"),
    (MemberCategory::Staff, "管理服务", "Staff"),
    (MemberCategory::Student, "学生", "Student"),
    (MemberCategory::Retired, "离退休", "Retired"),
];

#[component]
pub fn AdminPage() -> impl IntoView {
    crate::on_demand::screens_style();
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::Heading).to_owned());
    let reload = RwSignal::new(0u32);
    let selected = RwSignal::new(None::<OrgUnitId>);
    // Kept here, not in the unit's card: the card is drawn again when the
    // tree's counts are fetched after an account is made, and the one-time
    // password must stay on screen until the office chooses another unit.
    let shown = RwSignal::new(None::<Result<OneTimePassword, Refused>>);
    Effect::new(move |_| {
        selected.track();
        shown.set(None);
    });
    let units = LocalResource::new(move || {
        reload.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::admin_units(language).await }
    });
    view! {
        <div class="admin-screen">
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::Heading)}</h1>
        <p><a href=Page::Years.path()>{move || i18n.text(Words::YearsLink)}</a></p>
        <RosterUpload on_imported=move || reload.update(|n| *n += 1)/>
        <section class="card" aria-labelledby="tree-heading">
            <h2 id="tree-heading">{move || i18n.text(Words::TreeHeading)}</h2>
            {move || units.get().map(|result| match result {
                Ok(all) => view! { <Tree units=all selected=selected/> }.into_any(),
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
            })}
        </section>
        {move || {
            let all = units.get().and_then(Result::ok).unwrap_or_default();
            selected.get().and_then(|id| all.into_iter().find(|u| u.unit.unit.id == id)).map(|unit| view! {
                <People unit=unit shown=shown on_changed=move || reload.update(|n| *n += 1)/>
            })
        }}
        <AuditTrail selected=selected/>
        </div>
    }
}

#[component]
fn RosterUpload(on_imported: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let (outcome, set_outcome) = signal(None::<Result<RosterImported, Refused>>);
    let (busy, set_busy) = signal(false);
    let upload = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            set_outcome.set(Some(Err((
                i18n.text(Words::ChooseFile).to_owned(),
                Vec::new(),
            ))));
            return;
        };
        set_busy.set(true);
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            let result = crate::api::import_roster(file, language).await;
            if result.is_ok() {
                on_imported();
            }
            set_outcome.set(Some(result.map_err(|e| refused(e, i18n))));
            set_busy.set(false);
        });
    };
    view! {
        <form class="card form" on:submit=upload aria-labelledby="roster-heading">
            <h2 id="roster-heading">{move || i18n.text(Words::RosterHeading)}</h2>
            <p class="hint">{move || i18n.text(Words::RosterHint)}</p>
            <p class="hint"><code>"type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role"</code></p>
            <label for="roster-file">{move || i18n.text(Words::RosterFile)}</label>
            <input id="roster-file" type="file" accept=".csv,text/csv" node_ref=input/>
            <button type="submit" class="button primary" disabled=busy>{move || i18n.text(Words::Import)}</button>
            {move || outcome.get().map(|o| match o {
                Ok(imported) => view! {
                    <div role="status" data-testid="roster-imported">
                        <p class="hint">{format!("{} {} · {} {}", i18n.text(Words::ImportedUnits), imported.units, i18n.text(Words::ImportedPeople), imported.people)}</p>
                        <Passwords passwords=imported.passwords/>
                    </div>
                }.into_any(),
                Err((message, fields)) => view! {
                    <div class="problem" role="alert" data-testid="roster-errors">
                        <p>{message}</p>
                        <ul>{fields.into_iter().map(|f| view! { <li data-testid="roster-error">{f.message}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </form>
    }
}

/// One-time passwords, shown once: to copy (a line per account, login and
/// password separated by a tab, as a spreadsheet pastes them) or to print
/// (the page prints them alone, to cut and hand out).
#[component]
fn Passwords(passwords: Vec<OneTimePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let (copied, set_copied) = signal(None::<bool>);
    (!passwords.is_empty()).then(|| {
        let text: String = passwords
            .iter()
            .map(|p| format!("{}\t{}\n", p.login, p.password))
            .collect();
        let copy = move |_| {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                let Some(window) = web_sys::window() else { return };
                let written = window.navigator().clipboard().write_text(&text);
                let done = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
                set_copied.set(Some(done));
            });
        };
        let print = move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.print();
            }
        };
        view! {
            <div class="one-time">
                <p class="hint">{i18n.text(Words::ShownOnce)}</p>
                <table class="checklist" data-testid="one-time-passwords">
                    <thead><tr><th scope="col">{i18n.text(Text::Login)}</th><th scope="col">{i18n.text(Words::OneTimePassword)}</th></tr></thead>
                    <tbody>
                        {passwords.into_iter().map(|p| view! {
                            <tr><td>{p.login}</td><td><code data-testid="password">{p.password}</code></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="actions no-print">
                    <button type="button" class="button" on:click=copy>{i18n.text(Words::CopyPasswords)}</button>
                    <button type="button" class="button" on:click=print>{i18n.text(Words::PrintPasswords)}</button>
                </div>
                {move || copied.get().map(|done| if done {
                    view! { <p role="status">{i18n.text(Words::Copied)}</p> }.into_any()
                } else {
                    view! { <p class="problem" role="alert">{i18n.text(Words::NotCopied)}</p> }.into_any()
                })}
            </div>
        }
    })
}

#[component]
fn Tree(units: Vec<UnitCount>, selected: RwSignal<Option<OrgUnitId>>) -> impl IntoView {
    let roots: Vec<OrgUnitId> = units
        .iter()
        .filter(|u| u.unit.unit.parent.is_none())
        .map(|u| u.unit.unit.id)
        .collect();
    let units = std::sync::Arc::new(units);
    view! {
        <ul class="tree" data-testid="org-tree">
            {roots.into_iter().map(|id| node(units.clone(), id, selected)).collect_view()}
        </ul>
    }
}

/// A unit and, under it, its children (by name).
fn node(
    units: std::sync::Arc<Vec<UnitCount>>,
    id: OrgUnitId,
    selected: RwSignal<Option<OrgUnitId>>,
) -> AnyView {
    let i18n = use_i18n();
    let Some(unit) = units.iter().find(|u| u.unit.unit.id == id).cloned() else {
        return ().into_any();
    };
    let children: Vec<OrgUnitId> = units
        .iter()
        .filter(|u| u.unit.unit.parent == Some(id))
        .map(|u| u.unit.unit.id)
        .collect();
    let counts = format!(
        "{} {} · {} {}",
        i18n.text(Words::PeopleCount),
        unit.people,
        i18n.text(Words::AccountsCount),
        unit.accounts
    );
    view! {
        <li>
            <button type="button" class="link tree-unit" aria-pressed=move || (selected.get() == Some(id)).to_string()
                on:click=move |_| selected.set(Some(id))>
                {unit.unit.unit.name.clone()}
            </button>
            <span class="muted">" "{(unit.people > 0).then_some(counts)}</span>
            {(!children.is_empty()).then(|| view! {
                <ul>{children.into_iter().map(|c| node(units.clone(), c, selected)).collect_view()}</ul>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn People(
    unit: UnitCount,
    shown: RwSignal<Option<Result<OneTimePassword, Refused>>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = unit.unit.unit.id;
    let kind = unit.unit.unit.kind;
    let reload = RwSignal::new(0u32);
    let people = LocalResource::new(move || {
        reload.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::admin_people(id, language).await }
    });
    let changed = move || {
        reload.update(|n| *n += 1);
        on_changed();
    };
    let set_shown = shown.write_only();
    let roles: Vec<Role> = [
        Role::BranchSecretary,
        Role::CommitteeSecretary,
        Role::Leader,
        Role::Office,
    ]
    .into_iter()
    .filter(|r| GrantChange::fits(*r, kind))
    .collect();
    let unit_name = unit.unit.unit.name.clone();
    view! {
        <section class="card" aria-labelledby="people-heading" data-testid="people">
            <h2 id="people-heading">{format!("{} · {}", i18n.text(Words::PeopleHeading), unit_name)}</h2>
            {move || shown.get().map(|o| match o {
                Ok(password) => view! { <div aria-live="polite"><Passwords passwords=vec![password]/></div> }.into_any(),
                Err((message, _)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
            })}
            {move || people.get().map(|result| match result {
                Ok(lines) if lines.is_empty() => view! { <p class="hint">{i18n.text(Words::Nobody)}</p> }.into_any(),
                Ok(lines) => view! {
                    <ul class="people">
                        {lines.into_iter().map(|line| view! {
                            <Person line=line unit=id roles=roles.clone() set_shown=set_shown on_changed=changed/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
            })}
            {matches!(kind, OrgUnitKind::Branch(_)).then(|| view! { <NewAccountForm branch=id set_shown=set_shown on_created=changed/> })}
        </section>
    }
}

#[component]
fn Person(
    line: AccountLine,
    unit: OrgUnitId,
    roles: Vec<Role>,
    set_shown: WriteSignal<Option<Result<OneTimePassword, Refused>>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_untracked();
    let person: PersonId = line.person.person.id;
    let name = line.person.person.name.clone();
    let (problem, set_problem) = signal(None::<String>);
    let act = move |work: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), crate::api::ApiError>>>,
    >| {
        leptos::task::spawn_local(async move {
            match work.await {
                Ok(()) => {
                    set_problem.set(None);
                    on_changed();
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let reset = move |_| {
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            let result = crate::api::reset_password(person, language).await;
            set_shown.set(Some(result.map_err(|e| refused(e, i18n))));
            on_changed();
        });
    };
    let disabled = line.disabled;
    let toggle = move |_| {
        let language = i18n.locale_untracked().tag();
        let what = if disabled { "enable" } else { "disable" };
        act(Box::pin(async move {
            crate::api::set_account(person, what, language).await
        }));
    };
    let role_choice = RwSignal::new(roles.first().copied());
    let select_id = format!("grant-{person}");
    let grant = move |_| {
        let Some(role) = role_choice.get_untracked() else {
            return;
        };
        let language = i18n.locale_untracked().tag();
        let change = GrantChange { person, role, unit };
        act(Box::pin(async move {
            crate::api::change_grant(&change, false, language).await
        }));
    };
    let held = line
        .roles
        .iter()
        .filter(|g| g.role != Role::Member)
        .copied()
        .collect::<Vec<_>>();
    view! {
        <li class="person" data-testid="person">
            <p>
                <strong lang=crate::i18n::user_lang(&name)>{name.clone()}</strong>" "
                {match &line.login {
                    Some(login) => format!("· {} {login}", i18n.text(Text::Login)),
                    None => format!("· {}", i18n.text(Words::NoAccount)),
                }}
                {line.disabled.then(|| view! { " "<span class="badge conflict">{i18n.text(Words::Disabled)}</span> })}
                {line.must_change_password.then(|| view! { " "<span class="badge waiting">{i18n.text(Words::MustChange)}</span> })}
            </p>
            <ul class="roles">
                {held.into_iter().map(|g| {
                    let change = GrantChange { person, role: g.role, unit: g.unit };
                    view! {
                        <li>
                            {role_name(g.role, locale)}" "
                            <button type="button" class="button small" on:click=move |_| {
                                let language = i18n.locale_untracked().tag();
                                act(Box::pin(async move { crate::api::change_grant(&change, true, language).await }));
                            }>{format!("{} {}", i18n.text(Words::Revoke), role_name(g.role, locale))}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="actions">
                {line.login.is_some().then(|| view! {
                    <button type="button" class="button small" on:click=reset>{i18n.text(Words::ResetPassword)}</button>
                    <button type="button" class="button small" on:click=toggle>{i18n.text(if disabled { Words::Enable } else { Words::Disable })}</button>
                })}
                {(!roles.is_empty()).then(|| view! {
                    <label for=select_id.clone()>{i18n.text(Words::RoleLabel)}</label>
                    <select id=select_id.clone() on:change=move |e| {
                        let index: usize = event_target_value(&e).parse().unwrap_or(0);
                        role_choice.set(roles.get(index).copied());
                    }>
                        {roles.iter().enumerate().map(|(i, r)| view! { <option value=i.to_string()>{role_name(*r, locale)}</option> }).collect_view()}
                    </select>
                    <button type="button" class="button small" on:click=grant>{i18n.text(Words::Grant)}</button>
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
        </li>
    }
}

#[component]
fn NewAccountForm(
    branch: OrgUnitId,
    set_shown: WriteSignal<Option<Result<OneTimePassword, Refused>>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let category = RwSignal::new(0usize);
    let (fields, set_fields) = signal(Vec::<FieldBody>::new());
    let field_error = move |field: &'static str| {
        move || {
            fields
                .get()
                .into_iter()
                .filter(|f| f.field == field)
                .map(|f| view! { <p class="field-error" role="alert">{f.message}</p> })
                .collect_view()
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let account = NewAccount {
            name: name.get_untracked(),
            branch,
            category: CATEGORIES[category.get_untracked().min(3)].0,
            cadre_rank: None,
            title: title.get_untracked(),
            login: login.get_untracked(),
        };
        if let Err(errors) = account.check() {
            set_fields.set(errors.bodies(i18n.locale_untracked()));
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::create_account(&account, language).await {
                Ok(password) => {
                    set_fields.set(Vec::new());
                    name.set(String::new());
                    login.set(String::new());
                    title.set(String::new());
                    set_shown.set(Some(Ok(password)));
                    on_created();
                }
                Err(error) => {
                    let (message, refused_fields) = refused(error, i18n);
                    if refused_fields.is_empty() {
                        set_shown.set(Some(Err((message, Vec::new()))));
                    }
                    set_fields.set(refused_fields);
                }
            }
        });
    };
    let locale = i18n.locale_untracked();
    view! {
        <form class="form" on:submit=submit data-testid="new-account">
            <h3>{i18n.text(Words::NewAccountHeading)}</h3>
            <label for="new-name">{i18n.text(Words::NameLabel)}</label>
            <input id="new-name" prop:value=name on:input=move |e| name.set(event_target_value(&e))/>
            {field_error("name")}
            <label for="new-login">{i18n.text(Text::Login)}</label>
            <input id="new-login" autocomplete="off" prop:value=login on:input=move |e| login.set(event_target_value(&e))/>
            {field_error("login")}
            <label for="new-category">{i18n.text(Words::CategoryLabel)}</label>
            <select id="new-category" on:change=move |e| category.set(event_target_value(&e).parse().unwrap_or(0))>
                {CATEGORIES.iter().enumerate().map(|(i, (_, zh, en))| view! {
                    <option value=i.to_string()>{if locale == Locale::Zh { *zh } else { *en }}</option>
                }).collect_view()}
            </select>
            <label for="new-title">{i18n.text(Words::TitleLabel)}</label>
            <input id="new-title" prop:value=title on:input=move |e| title.set(event_target_value(&e))/>
            {field_error("title")}
            <button type="submit" class="button primary">{i18n.text(Words::CreateAccount)}</button>
        </form>
    }
}

/// Entries shown at a time.
const AUDIT_PAGE: usize = 30;

#[component]
fn AuditTrail(selected: RwSignal<Option<OrgUnitId>>) -> impl IntoView {
    let i18n = use_i18n();
    let action = RwSignal::new(String::new());
    let only_unit = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let (problem, set_problem) = signal(None::<String>);
    let (more, set_more) = signal(false);
    // The actions the trail can hold, named by the server in the person's language.
    let actions = LocalResource::new(move || {
        let language = i18n.locale().tag();
        async move { crate::api::audit_actions(language).await }
    });
    let query = move |before: Option<i64>| {
        let mut parts = Vec::new();
        let action = action.get_untracked();
        if !action.is_empty() {
            parts.push(format!("action={action}"));
        }
        if let (true, Some(unit)) = (only_unit.get_untracked(), selected.get_untracked()) {
            parts.push(format!("unit={unit}"));
        }
        for (key, value) in [("from", from.get_untracked()), ("to", to.get_untracked())] {
            if !value.is_empty() {
                parts.push(format!("{key}={value}"));
            }
        }
        if let Some(before) = before {
            parts.push(format!("before={before}"));
        }
        parts.push(format!("limit={AUDIT_PAGE}"));
        parts.join("&")
    };
    let load = move |before: Option<i64>| {
        let query = query(before);
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::audit(&query, language).await {
                Ok(page) => {
                    set_problem.set(None);
                    set_more.set(page.len() >= AUDIT_PAGE);
                    if before.is_some() {
                        entries.update(|e| e.extend(page));
                    } else {
                        entries.set(page);
                    }
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    load(None);
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        load(None);
    };
    view! {
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{move || i18n.text(Words::AuditHeading)}</h2>
            <form class="form filters" on:submit=search>
                <label for="audit-action">{move || i18n.text(Words::ActionLabel)}</label>
                <select id="audit-action" on:change=move |e| action.set(event_target_value(&e))>
                    <option value="">{move || i18n.text(Words::AnyAction)}</option>
                    {move || actions.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|a| view! {
                        <option value=a.name>{a.words}</option>
                    }).collect_view()}
                </select>
                <label for="audit-unit">{move || i18n.text(Words::UnitFilter)}</label>
                <select id="audit-unit" on:change=move |e| only_unit.set(event_target_value(&e) == "1")>
                    <option value="0">{move || i18n.text(Words::AnyUnit)}</option>
                    <option value="1">{move || i18n.text(Words::OnlySelectedUnit)}</option>
                </select>
                <label for="audit-from">{move || i18n.text(Words::FromLabel)}</label>
                <input id="audit-from" type="date" on:change=move |e| from.set(event_target_value(&e))/>
                <label for="audit-to">{move || i18n.text(Words::ToLabel)}</label>
                <input id="audit-to" type="date" on:change=move |e| to.set(event_target_value(&e))/>
                <button type="submit" class="button">{move || i18n.text(Words::Filter)}</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            <div class="table-scroll" role="region" aria-label=move || i18n.text(Words::AuditTable) tabindex="0">
                <table class="checklist" data-testid="audit-trail">
                    <thead><tr>
                        <th scope="col">{move || i18n.text(Words::WhenColumn)}</th>
                        <th scope="col">{move || i18n.text(Words::WhoColumn)}</th>
                        <th scope="col">{move || i18n.text(Words::ActionLabel)}</th>
                        <th scope="col">{move || i18n.text(Words::WhatColumn)}</th>
                    </tr></thead>
                    <tbody>
                        {move || entries.get().into_iter().map(|e| view! {
                            <tr data-testid="audit-entry">
                                <td>{e.at.chars().take(16).collect::<String>().replace('T', " ")}</td>
                                <td>{e.actor_name.unwrap_or_default()}</td>
                                <td>{if e.words.is_empty() { e.action } else { e.words }}</td>
                                <td>{[Some(e.subject_type), e.to_state, e.comment].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Show when=move || more.get()>
                <button type="button" class="button" on:click=move |_| {
                    let last = entries.with_untracked(|e| e.last().map(|e| e.id));
                    load(last);
                }>{move || i18n.text(Words::Older)}</button>
            </Show>
        </section>
    }
}

crate::i18n::texts! {
    Words;
    Heading => "管理", "Administration";
    YearsLink => "年度设置（日历、考核评议、权重）", "Years (calendar, rounds, weights)";
    RosterHeading => "名册导入", "Import the roster";
    RosterHint => "上传 CSV（UTF-8）文件：先列单位（上级在前），再列党员。任何一行有误则整份不导入，并逐行说明原因。", "Upload a CSV file (UTF-8): units first (each after its parent), then people. If any line is wrong nothing is imported, and each wrong line is named.";
    RosterFile => "名册文件（CSV）", "Roster file (CSV)";
    ChooseFile => "请先选择名册文件。", "Choose the roster file first.";
    Import => "导入", "Import";
    ImportedUnits => "已导入单位", "Units imported";
    ImportedPeople => "人员", "people";
    CopyPasswords => "复制账号和密码", "Copy the logins and passwords";
    PrintPasswords => "打印", "Print";
    Copied => "已复制：每行一个账号和它的一次性密码。", "Copied: a line per login with its one-time password.";
    NotCopied => "浏览器不允许复制，请选中表格后手动复制或打印。", "The browser did not allow copying: select the table and copy it, or print it.";
    ShownOnce => "一次性密码只显示这一次：请交给本人，本人首次登录时须设置自己的密码。", "One-time passwords are shown only now: hand each to its owner, who sets their own at the first sign-in.";
    OneTimePassword => "一次性密码", "One-time password";
    TreeHeading => "组织机构", "The organization";
    PeopleCount => "人员", "people";
    AccountsCount => "账号", "accounts";
    PeopleHeading => "人员与账号", "People and accounts";
    Nobody => "这个单位没有人员。", "Nobody belongs to this unit.";
    NoAccount => "无账号", "no account";
    Disabled => "已停用", "Disabled";
    MustChange => "待设置密码", "Must set a password";
    ResetPassword => "重置密码", "Reset the password";
    Disable => "停用账号", "Disable";
    Enable => "启用账号", "Enable";
    RoleLabel => "角色", "Role";
    Grant => "授予", "Grant";
    Revoke => "撤销", "Revoke";
    NewAccountHeading => "新建账号", "New account";
    NameLabel => "姓名", "Name";
    CategoryLabel => "党员类别", "Category";
    TitleLabel => "职务（可不填）", "Post (optional)";
    CreateAccount => "新建账号", "Create the account";
    AuditHeading => "操作记录", "Audit trail";
    AuditTable => "操作记录明细（可左右滑动）", "The trail's entries (scrolls sideways)";
    ActionLabel => "操作", "Action";
    AnyAction => "全部操作", "Any action";
    UnitFilter => "单位", "Unit";
    AnyUnit => "全部单位", "Any unit";
    OnlySelectedUnit => "上面选中的单位", "The unit chosen above";
    FromLabel => "起始日期", "From";
    ToLabel => "截止日期", "To";
    Filter => "筛选", "Filter";
    WhenColumn => "时间（UTC）", "When (UTC)";
    WhoColumn => "操作人", "Who";
    WhatColumn => "对象", "What";
    Older => "更早的记录", "Older entries";
}
