//! The public board (公开栏): published commitments, no sign-in needed,
//! a year at a time, by committee and branch, searched by the server, fifty
//! to a page. The first page as last seen is kept in browser storage, so the
//! board opens offline once visited.

use crate::api::{self, ApiError, BoardQuestion};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::publication::{BoardItem, BoardPage};
use leptos::prelude::*;

const CACHE: &str = "chengnuo.board";

/// A page from the server; offline, the first page kept from the last visit
/// for the same question (`true`). (A page the browser answers from its own
/// cache while offline is also shown as seen before.)
async fn load(question: BoardQuestion, language: &str) -> Result<(BoardPage, bool), ApiError> {
    let key = format!(
        "{CACHE}.{}",
        crate::json::to_string(&question).unwrap_or_default()
    );
    match api::board(&question, language).await {
        Ok(page) => {
            if question.offset == 0 {
                // A board that cannot be kept still shows; storage problems are the drafts' to report.
                let _ = crate::json::store(&key, &page);
            }
            let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
            Ok((page, offline))
        }
        Err(ApiError::Offline) => crate::json::stored::<BoardPage>(&key)
            .map(|page| (page, true))
            .ok_or(ApiError::Offline),
        Err(other) => Err(other),
    }
}

fn parse_unit(value: &str) -> Option<OrgUnitId> {
    value.parse().ok()
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::BoardHeading).to_owned());
    let question = RwSignal::new(BoardQuestion::default());
    // The words typed, sent once typing pauses.
    let (typed, set_typed) = signal(String::new());
    let pause = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let pages = LocalResource::new(move || {
        let question = question.get();
        let language = i18n.locale_untracked().tag();
        load(question, language)
    });
    // Pages after the first, as "more" is pressed.
    let further = RwSignal::new(Vec::<BoardItem>::new());
    let (next, set_next) = signal(None::<u32>);
    Effect::new(move |_| {
        if let Some(Ok((page, _))) = pages.get() {
            further.set(Vec::new());
            set_next.set(page.next);
        }
    });
    let first = move || pages.get().and_then(|r| r.ok());
    let more = move |_| {
        let Some(offset) = next.get_untracked() else {
            return;
        };
        let mut asked = question.get_untracked();
        asked.offset = offset;
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            if let Ok((page, _)) = load(asked, language).await {
                further.update(|items| items.extend(page.items));
                set_next.set(page.next);
            }
        });
    };
    let on_words = move |e| {
        let words = event_target_value(&e);
        set_typed.set(words.clone());
        if let Some(handle) = pause.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                question.update(|q| {
                    q.q = words.clone();
                    q.offset = 0;
                })
            },
            std::time::Duration::from_millis(400),
        )
        .ok();
        pause.set_value(handle);
    };
    view! {
        <section class="board">
            <h1>{move || i18n.text(Text::BoardHeading)}</h1>
            <p class="hint">{move || i18n.text(Words::BoardIntro)}</p>
            {move || first().filter(|(_, cached)| *cached).map(|_| view! {
                <p class="problem" role="status">{i18n.text(Words::BoardOffline)}</p>
            })}
            {move || pages.get().and_then(|r| r.err()).map(|error| {
                view! { <p class="problem" role="alert">{error.text(i18n)}</p> }
            })}
            <form class="form filters" on:submit=|e| e.prevent_default()>
                <label for="board-year">{move || i18n.text(Words::YearLabel)}</label>
                <select id="board-year" on:change=move |e| {
                    let year = event_target_value(&e).parse().ok();
                    question.update(|q| { q.year = year; q.offset = 0; });
                }>
                    {move || first().map(|(page, _)| {
                        let shown = page.year;
                        page.years.into_iter().map(|year| view! {
                            <option value=year.to_string() selected={Some(year) == shown}>{year.to_string()}</option>
                        }).collect_view()
                    })}
                </select>
                <label for="board-committee">{move || i18n.text(Words::CommitteeLabel)}</label>
                <select id="board-committee" on:change=move |e| {
                    let committee = parse_unit(&event_target_value(&e));
                    question.update(|q| { q.committee = committee; q.branch = None; q.offset = 0; });
                }>
                    <option value="">{move || i18n.text(Words::AllCommittees)}</option>
                    {move || first().map(|(page, _)| page.committees.into_iter().map(|unit| view! {
                        <option value=unit.id.to_string() selected={question.with_untracked(|q| q.committee == Some(unit.id))}>{unit.name.clone()}</option>
                    }).collect_view())}
                </select>
                <label for="board-branch">{move || i18n.text(Words::BranchLabel)}</label>
                <select id="board-branch" on:change=move |e| {
                    let branch = parse_unit(&event_target_value(&e));
                    question.update(|q| { q.branch = branch; q.offset = 0; });
                }>
                    <option value="">{move || i18n.text(Words::AllBranches)}</option>
                    {move || first().map(|(page, _)| {
                        let committee = question.with(|q| q.committee);
                        page.branches.into_iter()
                            .filter(|unit| committee.is_none() || unit.committee == committee)
                            .map(|unit| view! {
                                <option value=unit.id.to_string() selected={question.with_untracked(|q| q.branch == Some(unit.id))}>{unit.name.clone()}</option>
                            }).collect_view()
                    })}
                </select>
                <label for="board-search">{move || i18n.text(Text::SearchLabel)}</label>
                <input id="board-search" type="search" prop:value=typed on:input=on_words/>
            </form>
            {move || first().and_then(|(page, _)| {
                let unit = page.unit?;
                let chosen = question.with(|q| q.branch.or(q.committee));
                let name = page.branches.iter().chain(page.committees.iter())
                    .find(|u| Some(u.id) == chosen)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                Some(view! {
                    <section class="card unit-progress" data-testid="unit-progress">
                        <h2 lang="zh-CN">{name}</h2>
                        <p>{i18n.text(Words::UnitCommitments)}" "{unit.commitments}</p>
                        <crate::components::progress_bar::Bar progress=unit.progress/>
                    </section>
                })
            })}
            {move || question.with(|q| q.branch.or(q.committee)).map(|unit| view! {
                <crate::components::suggestions::SuggestionBox unit=unit/>
            })}
            {move || first().map(|(page, _)| {
                let items: Vec<BoardItem> = page.items.into_iter().chain(further.get()).collect();
                if items.is_empty() {
                    return view! { <p class="hint">{i18n.text(Words::BoardEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="queue">
                        {items.into_iter().map(|p| view! {
                            <li class="commitment-card" data-testid="board-entry">
                                <div>
                                    <strong lang=crate::i18n::user_lang(&p.committer_name)>{p.committer_name.clone()}</strong>
                                    <span class="state" lang="zh-CN">" · "{p.branch.clone().or(p.committee.clone()).unwrap_or_default()}</span>
                                    <span class="number">" · "{p.number.clone().unwrap_or_default()}</span>
                                    <crate::components::progress_bar::ProgressBar fulfilment=p.fulfilment.clone()/>
                                </div>
                                <a href=Page::BoardEntry(p.id).path() class="button small">
                                    {i18n.text(Text::Open)}
                                    <span class="visually-hidden" lang=crate::i18n::user_lang(&p.committer_name)>" "{p.committer_name.clone()}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {move || next.get().map(|_| view! {
                <button type="button" class="button" on:click=more>{i18n.text(Words::MoreEntries)}</button>
            })}
            {move || first().map(|(page, _)| view! { <PublishedResults year=page.year/> })}
            <BoardPublished/>
        </section>
    }
}

/// 情况通报 and 简报 published on the board: a list of each, when not empty.
#[component]
fn BoardPublished() -> impl IntoView {
    let i18n = use_i18n();
    // (address, title, day) of each, newest first
    let circulars = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move {
            let list = crate::api::board_circulars(language)
                .await
                .unwrap_or_default();
            list.into_iter()
                .map(|c| {
                    (
                        Page::Circular(c.id).path(),
                        c.title,
                        c.published_on.to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    });
    let bulletins = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move {
            let list = crate::api::bulletins(language).await.unwrap_or_default();
            list.into_iter()
                .map(|b| {
                    (
                        Page::Bulletin(b.id).path(),
                        b.title,
                        b.published_on.to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    });
    let shown =
        move |heading: Words, testid: &'static str, list: Option<Vec<(String, String, String)>>| {
            list.filter(|l| !l.is_empty()).map(|list| {
                view! {
                    <h2>{i18n.text(heading)}</h2>
                    <ul class="inbox" data-testid=testid>
                        {list.into_iter().map(|(href, title, day)| view! {
                            <li class="notice">
                                <a href=href>{title}</a>
                                <span class="hint">{format!(" · {day}")}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })
        };
    view! {
        {move || shown(Words::CircularsHeading, "board-circulars", circulars.get())}
        {move || shown(Words::BulletinsHeading, "board-bulletins", bulletins.get())}
    }
}

/// 考核结果: the grades of the year's closed rounds and the commendation
/// list (the Excellent), as the permission table lets everyone see them;
/// only `commitment`'s when given (its page on the board). Each round is
/// dated with the day it was assessed.
#[component]
pub fn PublishedResults(
    year: Option<i32>,
    #[prop(optional)] commitment: Option<chengnuo_domain::ids::CommitmentId>,
) -> impl IntoView {
    use crate::components::evaluation::{grade_word, round_word};
    let i18n = use_i18n();
    let results = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move { crate::api::published_results(year, commitment, language).await }
    });
    move || {
        results.get().and_then(|r| r.ok()).map(|rounds| {
            rounds.into_iter().map(|round| {
                let kind = round_word(round.round.kind);
                let assessed = round.round.assessed_on().to_string();
                let line = |g: chengnuo_domain::evaluation::GradeLine| {
                    let name = g.committer_name.clone();
                    view! {
                        <tr data-testid="grade-line">
                            <td lang=crate::i18n::user_lang(&name)>{name.clone()}</td>
                            <td>{g.branch.or(g.committee).unwrap_or_default()}</td>
                            <td data-testid="board-grade">{g.grade.map(|x| i18n.text(grade_word(x)))}</td>
                            <td>{g.composite.map(|c| c.to_string())}</td>
                        </tr>
                    }
                };
                let commended = round.commendations.clone();
                view! {
                    <section class="card results" data-testid="published-results">
                        <h2>{move || i18n.text(Words::ResultsHeading)}" · "{move || i18n.text(kind)}</h2>
                        <p class="hint">{move || i18n.text(crate::components::evaluation::Words::AssessedOn)}" "{assessed.clone()}</p>
                        {(!commended.is_empty()).then(|| view! {
                            <h3>{move || i18n.text(Words::Commended)}</h3>
                            <ul data-testid="commendations">
                                {commended.into_iter().map(|g| view! { <li>{g.committer_name}</li> }).collect_view()}
                            </ul>
                        })}
                        <table>
                            <thead><tr>
                                <th scope="col">{move || i18n.text(Words::Committer)}</th>
                                <th scope="col">{move || i18n.text(Words::UnitColumn)}</th>
                                <th scope="col">{move || i18n.text(Words::GradeColumn)}</th>
                                <th scope="col">{move || i18n.text(Words::CompositeColumn)}</th>
                            </tr></thead>
                            <tbody>{round.grades.into_iter().map(line).collect_view()}</tbody>
                        </table>
                    </section>
                }
            }).collect_view()
        })
    }
}

crate::i18n::texts! {
    Words;
    CircularsHeading => "情况通报", "Progress notices";
    BulletinsHeading => "经验交流简报", "Bulletins of good practice";
    UnitCommitments => "本单位公开的承诺书：", "Published commitments of this unit:";
    BoardIntro => "已公示的公开承诺书，接受师生和群众监督。", "Published commitments, open to everyone's supervision.";
    AllCommittees => "全部分党委", "All committees";
    AllBranches => "全部党支部", "All branches";
    CommitteeLabel => "分党委", "Committee";
    BranchLabel => "党支部", "Branch";
    BoardEmpty => "没有找到公示的承诺书。", "No published commitment found.";
    YearLabel => "年度", "Year";
    MoreEntries => "显示更多", "Show more";
    BoardOffline => "当前离线，显示上次查看时的内容。", "Offline: showing what was seen last time.";
    ResultsHeading => "考核结果", "Results";
    Commended => "优秀（予以表彰）", "Commended (Excellent)";
    Committer => "承诺人", "Committer";
    UnitColumn => "所在党组织", "Unit";
    GradeColumn => "等次", "Grade";
    CompositeColumn => "综合得分", "Composite";
}
