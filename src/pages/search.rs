use leptos::html::{Input, Ol, H1};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::Endpoint;
use crate::components::card::StoryCard;
use crate::components::head::{PageMeta, PageTitle};
use crate::config::{use_config, Config};
use crate::format;
use crate::load::{load, Load};
use crate::location::use_location;
use crate::messages::Msg;
use crate::model::{Section, SEARCH_SLUG};
use crate::navigation::use_arrival;
use crate::router::navigate;
use crate::search::index::{self, Found, SearchError};
use crate::search::marks::{excerpt_parts, matched_words, query_words};
use crate::search::query::{clean, SearchQuery, Sort, MAX_QUERY};
use crate::search::typo;

/// Results shown at first, and added by "Show more results": two rows of three on a desktop,
/// and each costs its fragment (about 1.7 KB) to fetch.
const PAGE: usize = 6;

/// How long typing must pause before a search runs, in ms: a moment for a word, longer for one
/// or two letters, whose prefixes would fetch large parts of the index ("k" matches every word
/// that starts with k) only to be replaced by the next keystroke.
const PAUSE_MS: u64 = 20;
const SHORT_PAUSE_MS: u64 = 500;

/// What the page shows below the form.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    /// Nothing to search for yet.
    Prompt,
    /// The first answer is on its way (later ones replace the results in place).
    Searching,
    /// What was found for `query`; `corrected` is the query searched instead when `query`
    /// found nothing and mistyped words could be corrected.
    Found {
        query: SearchQuery,
        corrected: Option<String>,
        found: Found,
    },
    Failed(SearchError),
}

/// `/search?q=…&section=…&sort=newest`: a search field with live results, filtered by
/// section and sorted by relevance or date. The address holds the search: typing replaces
/// it, a change of filter or order adds a history entry, and back and forward restore both
/// query and results. The index is loaded on the first search (`search/index.rs`).
#[component]
pub fn SearchPage() -> impl IntoView {
    let config = use_config();
    let location = use_location();
    let query = Memo::new(move |_| SearchQuery::from_search(&location.search.get()));
    let shown = RwSignal::new(PAGE);
    let answer = RwSignal::new(Answer::Prompt);
    // A search is on its way: the results shown are for the query before (kept, so nothing
    // flickers while typing), and say so (`aria-busy`, `data-state="searching"`).
    let pending = RwSignal::new(false);
    let retries = RwSignal::new(0u32);
    let generation = StoredValue::new(0u64);
    let sections = load::<Vec<Section>>(Endpoint::Sections);
    let field = NodeRef::<Input>::new();
    let results = NodeRef::<Ol>::new();
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    // Arriving with nothing asked yet (the header's button on a phone), the field is where
    // the reader goes next.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(input) = field.get() else {
            return false;
        };
        if query.get_untracked().is_empty() {
            // After the frame: on a pre-rendered page the app is still being swapped in.
            request_animation_frame(move || {
                let _ = input.focus();
            });
        }
        true
    });

    // A new search starts with one page of results.
    Effect::new(move |previous: Option<SearchQuery>| {
        let now = query.get();
        if previous.is_some_and(|p| p != now) {
            shown.set(PAGE);
        }
        now
    });
    let base = config.base_path.clone();
    // The reader came to search: the library loads while they type.
    Effect::new({
        let base = base.clone();
        move |_| {
            let base = base.clone();
            leptos::task::spawn_local(async move { index::warm(&base).await });
        }
    });
    Effect::new(move |_| {
        let wanted = query.get();
        let count = shown.get();
        retries.track();
        generation.update_value(|g| *g += 1);
        if wanted.is_empty() {
            pending.set(false);
            answer.set(Answer::Prompt);
            return;
        }
        pending.set(true);
        let mine = generation.get_value();
        if !matches!(answer.get_untracked(), Answer::Found { .. }) {
            answer.set(Answer::Searching);
        }
        let base = base.clone();
        let pause = if wanted.is_short() {
            SHORT_PAUSE_MS
        } else {
            PAUSE_MS
        };
        set_timeout(
            move || {
                // Typed on, or left the page (whose values are then gone: never `get_value`).
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let result = run(&base, wanted, count).await;
                    // A late answer never paints over a newer search, nor a page left.
                    if generation.try_get_value() == Some(mine) {
                        pending.set(false);
                        answer.set(result);
                    }
                });
            },
            std::time::Duration::from_millis(pause),
        );
    });

    let address = {
        let config = config.clone();
        move |next: &SearchQuery| {
            format!(
                "{}{}",
                config.href(&format!("/{SEARCH_SLUG}")),
                next.to_search()
            )
        }
    };
    let on_input = {
        let address = address.clone();
        move |ev: leptos::ev::Event| {
            let next = SearchQuery {
                q: clean(&event_target_value(&ev)),
                ..query.get_untracked()
            };
            navigate(&address(&next), true);
        }
    };
    let on_section = {
        let address = address.clone();
        move |ev: leptos::ev::Event| {
            let next = SearchQuery {
                section: event_target_value(&ev),
                ..query.get_untracked()
            };
            navigate(&address(&next), false);
        }
    };
    let on_sort = move |ev: leptos::ev::Event| {
        let sort = if event_target_value(&ev) == "newest" {
            Sort::Newest
        } else {
            Sort::Relevance
        };
        let next = SearchQuery {
            sort,
            ..query.get_untracked()
        };
        navigate(&address(&next), false);
    };
    // The address already says what was asked; Enter only puts the keyboard away.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(field) = field.get() {
            let _ = field.blur();
        }
    };
    let on_field_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "ArrowDown" && focus_result(results, 0) {
            ev.prevent_default();
        }
    };
    let on_results_key = move |ev: leptos::ev::KeyboardEvent| {
        let links = result_links(results);
        let Some(at) = links.iter().position(|l| {
            crate::browser::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|active| l.contains(Some(&active)))
        }) else {
            return;
        };
        let to_field = || {
            if let Some(field) = field.get() {
                let _ = field.focus();
            }
        };
        match ev.key().as_str() {
            "ArrowDown" => {
                focus_result(results, at + 1);
            }
            "ArrowUp" if at == 0 => to_field(),
            "ArrowUp" => {
                focus_result(results, at - 1);
            }
            "Escape" => to_field(),
            _ => return,
        }
        ev.prevent_default();
    };
    // "Show more results" moves focus to the first story it added.
    let focus_from = StoredValue::new(None::<usize>);
    Effect::new(move |_| {
        if matches!(answer.get(), Answer::Found { .. }) {
            if let Some(at) = focus_from.get_value() {
                focus_from.set_value(None);
                focus_result(results, at);
            }
        }
    });

    let t = |msg: Msg| config.t(msg).to_string();
    // `prop:selected`: after the reader has chosen, only the property says what is chosen
    // (back and forward change it).
    let section_options = {
        let config = config.clone();
        move || {
            let counts = match answer.get() {
                Answer::Found { found, .. } => Some(found.sections),
                _ => None,
            };
            let selected = query.get().section;
            let list = match sections.state.get() {
                Load::Ready(list) => list,
                _ => Vec::new(),
            };
            list.into_iter()
                .map(|s| {
                    let label = match &counts {
                        Some(counts) => {
                            let n = counts
                                .iter()
                                .find(|(slug, _)| *slug == s.slug)
                                .map_or(0, |(_, n)| *n);
                            config.fill(
                                Msg::SearchSectionCount,
                                &[("section", &s.name), ("count", &format::number(&config, n))],
                            )
                        }
                        None => s.name.clone(),
                    };
                    let is_selected = s.slug == selected;
                    view! { <option value=s.slug selected=is_selected prop:selected=is_selected>{label}</option> }
                })
                .collect_view()
        }
    };
    let form = view! {
            <form class="search-form" role="search" action=config.href(&format!("/{SEARCH_SLUG}")) method="get" on:submit=on_submit>
                <p class="search-form__query">
                    <label for="search-q">{t(Msg::SearchLabel)}</label>
                    <input
                        id="search-q"
                        type="search"
                        name="q"
                        node_ref=field
                        maxlength=MAX_QUERY
                        autocomplete="off"
                        spellcheck="false"
                        enterkeyhint="search"
                        aria-controls="search-results"
                        aria-describedby="search-status"
                        prop:value=move || query.get().q
                        on:input=on_input
                        on:keydown=on_field_key
                    />
                    <button class="button" type="submit">{t(Msg::Search)}</button>
                </p>
                <p class="search-form__options">
                    <label>
                        <span>{t(Msg::SearchSection)}</span>
                        <select name="section" on:change=on_section>
                            <option value="" prop:selected=move || query.get().section.is_empty()>{t(Msg::SearchAllSections)}</option>
                            {section_options}
                        </select>
                    </label>
                    <label>
                        <span>{t(Msg::SearchSort)}</span>
                        <select name="sort" on:change=on_sort>
                            <option value="relevance" prop:selected=move || query.get().sort == Sort::Relevance>{t(Msg::SearchRelevance)}</option>
                            <option value="newest" prop:selected=move || query.get().sort == Sort::Newest>{t(Msg::SearchNewest)}</option>
                        </select>
                    </label>
                </p>
            </form>
            <noscript>
                <p class="search__no-script">
                    {t(Msg::SearchNoScript)}" "
                    <a href=config.href("/feed.xml")>{t(Msg::SearchFeed)}</a>
                </p>
            </noscript>
    }
    .into_any();
    let status_config = config.clone();
    let results_config = config.clone();
    view! {
        <PageTitle text=t(Msg::Search) />
        <PageMeta name="robots" content="noindex" />
        <section class="search" data-state=move || if pending.get() { "searching" } else { state_name(&answer.get()) }>
            <header class="section-head">
                <h1 tabindex="-1" node_ref=heading>{t(Msg::Search)}</h1>
            </header>
            {form}
            <p id="search-status" class="search__status" role="status">
                {move || status(&status_config, &answer.get())}
            </p>
            {move || match answer.get() {
                Answer::Failed(_) => view! {
                    <div class="error-panel search__unavailable" role="alert">
                        <h2>{results_config.t(Msg::SearchUnavailable).to_string()}</h2>
                        <p>{results_config.t(Msg::SearchUnavailableText).to_string()}</p>
                        <p class="error-panel__actions">
                            <button type="button" class="button" on:click=move |_| retries.update(|n| *n += 1)>
                                {results_config.t(Msg::Retry).to_string()}
                            </button>
                        </p>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <ol id="search-results" class="card-grid card-grid--section search-results" node_ref=results
                aria-label=t(Msg::SearchResults) aria-busy=move || pending.get().to_string() on:keydown=on_results_key>
                {move || match answer.get() {
                    Answer::Found { query, corrected, found } => {
                        let words = query_words(corrected.as_deref().unwrap_or(&query.q));
                        found.hits.into_iter().map(|hit| {
                            let excerpt = excerpt_parts(&hit.excerpt);
                            let mut marks = words.clone();
                            marks.extend(matched_words(&excerpt));
                            view! {
                                <li><StoryCard card=hit.card standfirst=true level=2 marks=marks excerpt=excerpt /></li>
                            }
                        }).collect_view().into_any()
                    }
                    _ => ().into_any(),
                }}
            </ol>
            {move || match answer.get() {
                Answer::Found { found, .. } if found.total > found.hits.len() => {
                    let from = found.hits.len();
                    view! {
                        <p class="search__more">
                            <button type="button" class="button" on:click=move |_| {
                                focus_from.set_value(Some(from));
                                shown.update(|n| *n += PAGE);
                            }>{config.t(Msg::SearchMore).to_string()}</button>
                        </p>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </section>
    }
}

async fn run(base: &str, query: SearchQuery, count: usize) -> Answer {
    let newest = query.sort == Sort::Newest;
    // Words only: Pagefind takes "<script>" or "keeper's" as they are and finds nothing.
    let words = query_words(&query.q);
    let found = match index::search(base, &words.join(" "), &query.section, newest, count).await {
        Ok(found) => found,
        Err(error) => return Answer::Failed(error),
    };
    let marked: Vec<String> = found
        .hits
        .iter()
        .flat_map(|hit| matched_words(&excerpt_parts(&hit.excerpt)))
        .collect();
    if found.total == 0 || typo::mistyped(&words, &marked) {
        let vocabulary = index::words(base).await;
        if let Some(corrected) = typo::correct(&query.q, &vocabulary) {
            if let Ok(better) = index::search(base, &corrected, &query.section, newest, count).await
            {
                if better.total > 0 {
                    return Answer::Found {
                        query,
                        corrected: Some(corrected),
                        found: better,
                    };
                }
            }
        }
    }
    Answer::Found {
        query,
        corrected: None,
        found,
    }
}

/// The page's state as its `data-state` names it (tests and styles wait on it).
fn state_name(answer: &Answer) -> &'static str {
    match answer {
        Answer::Prompt => "prompt",
        Answer::Searching => "searching",
        Answer::Found { found, .. } if found.total == 0 => "no-results",
        Answer::Found {
            corrected: Some(_), ..
        } => "corrected",
        Answer::Found { .. } => "results",
        Answer::Failed(SearchError::Unavailable) => "unavailable",
        Answer::Failed(SearchError::Failed) => "failed",
    }
}

/// The status line, read out by screen readers when it changes.
fn status(config: &Config, answer: &Answer) -> String {
    match answer {
        Answer::Prompt => config.t(Msg::SearchPrompt).to_string(),
        Answer::Searching => config.t(Msg::Searching).to_string(),
        Answer::Found {
            query,
            corrected: Some(corrected),
            ..
        } => config.fill(
            Msg::SearchCorrected,
            &[("query", query.q.trim()), ("corrected", corrected)],
        ),
        Answer::Found { query, found, .. } if found.total == 0 => {
            config.fill(Msg::SearchNone, &[("query", query.q.trim())])
        }
        Answer::Found { query, found, .. } => {
            let n = found.total as u64;
            let text = config
                .messages
                .get(Msg::SearchFound)
                .for_category(format::plural(config, n));
            crate::messages::fill(
                text,
                &[
                    ("count", &format::number(config, n)),
                    ("query", query.q.trim()),
                ],
            )
        }
        Answer::Failed(_) => config.t(Msg::SearchUnavailable).to_string(),
    }
}

fn result_links(results: NodeRef<Ol>) -> Vec<web_sys::HtmlElement> {
    results
        .get()
        .map(|ol| {
            crate::browser::elements(ol.query_selector_all(".card__link"))
                .into_iter()
                .filter_map(|el| el.dyn_into().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Focuses the `at`th result's link, if there is one.
fn focus_result(results: NodeRef<Ol>, at: usize) -> bool {
    match result_links(results).get(at) {
        Some(link) => link.focus().is_ok(),
        None => false,
    }
}
