use crate::location::use_location;
use leptos::prelude::*;

use crate::api::Endpoint;
use crate::config::use_config;
use crate::load::{load, Load};
use crate::messages::Msg;
use crate::model::{Section, SEARCH_SLUG};
use crate::search::query::MAX_QUERY;

/// Skip link, masthead and the section navigation. If the sections cannot be loaded the
/// masthead still links home; the reader is not bothered with an error for the menu.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let sections = load::<Vec<Section>>(Endpoint::Sections);
    let location = use_location();
    let config = use_config();
    let (home, skip_text, sections_label) = (
        config.href("/"),
        config.t(Msg::SkipLink).to_string(),
        config.t(Msg::Sections).to_string(),
    );
    let (search_action, search_label, search_text) = (
        config.href(&format!("/{SEARCH_SLUG}")),
        config.t(Msg::SearchLabel).to_string(),
        config.t(Msg::Search).to_string(),
    );
    let crate::config::Config {
        site_name,
        logo,
        base_path: base,
        ..
    } = (*config).clone();
    // (section, whether the page is that section's front)
    let current_section = Memo::new(move |_| {
        let path = location.pathname.get();
        let mut parts = path
            .strip_prefix(base.as_str())
            .unwrap_or(&path)
            .trim_start_matches('/')
            .split('/');
        let section = parts.next().unwrap_or_default().to_string();
        (section, parts.next().is_none())
    });
    // A reader in the search field is about to search: the index's library loads meanwhile.
    let warm_search = {
        let base = config.base_path.clone();
        move |_| {
            let base = base.clone();
            leptos::task::spawn_local(async move { crate::search::index::warm(&base).await });
        }
    };
    // The search page has its own field.
    let on_search_page = move || {
        let (section, on_front) = current_section.get();
        section == SEARCH_SLUG && on_front
    };
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let main = crate::browser::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"));
        if let Some(main) =
            main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
        {
            let _ = main.focus();
        }
    };
    view! {
        // The page's own path before the fragment: with `<base href>`, a bare "#main" would
        // point at the front page (and, before the app starts, go there).
        <a class="skip-link" href=move || format!("{}#main", location.pathname.get()) on:click=skip>
            {skip_text}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="masthead" href=home>
                    {match logo {
                        Some(logo) => view! {
                            <img class="masthead__logo" src=logo.src alt=site_name width=logo.width height=logo.height />
                        }.into_any(),
                        None => site_name.into_any(),
                    }}
                </a>
                <form class="site-search" role="search" action=search_action method="get" hidden=on_search_page>
                    <label class="visually-hidden" for="site-search-q">{search_label.clone()}</label>
                    <input id="site-search-q" class="site-search__input" type="search" name="q" maxlength=MAX_QUERY autocomplete="off" enterkeyhint="search" placeholder=search_label.clone() on:focus=warm_search />
                    <button class="site-search__button" type="submit">{search_text}</button>
                </form>
                <nav class="section-nav" aria-label=sections_label>
                    <ul>
                        {move || match sections.state.get() {
                            Load::Ready(list) => list
                                .into_iter()
                                .map(|s| {
                                    let slug = s.slug.clone();
                                    let current = move || {
                                        let (section, on_front) = current_section.get();
                                        (section == slug).then_some(if on_front { "page" } else { "true" })
                                    };
                                    view! {
                                        <li>
                                            <a href=config.href(&format!("/{}", s.slug)) aria-current=current>{s.name}</a>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any(),
                            _ => ().into_any(),
                        }}
                    </ul>
                </nav>
            </div>
        </header>
    }
}
