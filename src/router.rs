//! The address bar: which page an address shows, following links inside the site without
//! reloading, and back and forward.
//!
//! The site has three kinds of page, so this is a few dozen lines of our own rather than
//! a general router (leptos_router cost about 12 KB of compressed wasm). Scroll and focus
//! on arrival are `navigation.rs`'s job.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::location::Location;
use crate::model::{is_valid_slug, SEARCH_SLUG};

/// The page an address shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the front page.
    Home,
    /// `/{section}`: a section front.
    Section(String),
    /// `/{section}/{slug}`: one article.
    Article { section: String, slug: String },
    /// `/search?q=…`: search (the query is in [`Location::search`]).
    Search,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route for `pathname` on a site published under `base` (`""` or `"/paper"`).
    /// A trailing slash is the same page.
    pub fn from_path(pathname: &str, base: &str) -> Route {
        let Some(rest) = pathname.strip_prefix(base) else {
            return Route::NotFound;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Route::NotFound;
        }
        let rest = rest.trim_matches('/');
        let parts: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        if !parts.iter().all(|p| is_valid_slug(p)) {
            return Route::NotFound;
        }
        match parts.as_slice() {
            [] => Route::Home,
            [SEARCH_SLUG] => Route::Search,
            [section] => Route::Section(section.to_string()),
            [section, slug] => Route::Article {
                section: section.to_string(),
                slug: slug.to_string(),
            },
            _ => Route::NotFound,
        }
    }
}

/// The address being pre-rendered (natively there is no address bar), with the base.
#[derive(Clone)]
pub struct RequestPath(pub String);

/// Starts following the address bar: the current path, links inside the site, and back and
/// forward. Natively the path is the [`RequestPath`] in context.
pub fn provide_location() -> Location {
    let initial = match crate::browser::window() {
        Some(window) => window.location().pathname().unwrap_or_default(),
        None => use_context::<RequestPath>()
            .map(|p| p.0)
            .unwrap_or_else(|| "/".into()),
    };
    let location = Location {
        pathname: RwSignal::new(initial),
        search: RwSignal::new(query_string()),
    };
    provide_context(location);
    if crate::browser::window().is_some() {
        let base = crate::config::use_config().base_path.clone();
        let base_form = base.clone();
        let click = window_event_listener(leptos::ev::click, move |ev| {
            follow_link(&ev, location, &base)
        });
        let submit = window_event_listener(leptos::ev::submit, move |ev| {
            follow_form(&ev, location, &base_form)
        });
        let pop = window_event_listener(leptos::ev::popstate, move |_| {
            location.search.set(query_string());
            location.pathname.set(crate::browser::pathname());
        });
        // Gone with the app (tests mount many apps in one page).
        on_cleanup(move || {
            click.remove();
            submit.remove();
            pop.remove();
        });
    }
    location
}

/// Shows `path` (with the base), adding a history entry or replacing the current one.
pub fn navigate(path: &str, replace: bool) {
    let Some(window) = crate::browser::window() else {
        return;
    };
    let Some(location) = use_context::<Location>() else {
        return;
    };
    go(&window, location, path, replace);
}

fn go(window: &web_sys::Window, location: Location, path: &str, replace: bool) {
    let Ok(history) = window.history() else {
        return;
    };
    let changed = if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
    };
    if changed.is_err() {
        return;
    }
    if !replace {
        // A new page starts at the top (back and forward restore instead: navigation.rs).
        crate::browser::scroll_to_y(0.0);
    }
    location.search.set(query_string());
    location.pathname.set(crate::browser::pathname());
}

/// The address's query (`?q=tides`), empty natively.
fn query_string() -> String {
    crate::browser::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// A click on a link to another page of this site shows that page without a reload. Clicks
/// that mean something else are left to the browser: modified or non-primary clicks, links
/// with a target or `download`, other origins, other files (feeds, images), in-page anchors.
fn follow_link(ev: &web_sys::MouseEvent, location: Location, base: &str) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let Some(window) = crate::browser::window() else {
        return;
    };
    let here = window.location();
    if !matches!(link.target().as_str(), "" | "_self")
        || link.has_attribute("download")
        || link
            .get_attribute("rel")
            .is_some_and(|r| r.contains("external"))
        || Some(link.origin()) != here.origin().ok()
    {
        return;
    }
    let pathname = link.pathname();
    let inside = pathname
        .strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if !inside
        || (Route::from_path(&pathname, base) == Route::NotFound && !looks_like_a_page(&pathname))
    {
        return;
    }
    let same_page = Some(pathname.as_str()) == here.pathname().ok().as_deref()
        && Some(link.search()) == here.search().ok();
    if same_page && !link.hash().is_empty() {
        return; // an anchor on this page: the browser scrolls to it
    }
    ev.prevent_default();
    if same_page {
        crate::browser::scroll_to_y(0.0);
        return;
    }
    go(
        &window,
        location,
        &format!("{pathname}{}{}", link.search(), link.hash()),
        false,
    );
}

/// A search form of this site (`GET`, an action inside it) shows its answer without a reload,
/// as a link does. Submitting the address already shown adds no history entry.
fn follow_form(ev: &web_sys::SubmitEvent, location: Location, base: &str) {
    if ev.default_prevented() {
        return;
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let (Some(window), Ok(action)) = (crate::browser::window(), web_sys::Url::new(&form.action()))
    else {
        return;
    };
    let here = window.location();
    let pathname = action.pathname();
    if !form.method().eq_ignore_ascii_case("get")
        || !matches!(form.target().as_str(), "" | "_self")
        || Some(action.origin()) != here.origin().ok()
        || Route::from_path(&pathname, base) == Route::NotFound
    {
        return;
    }
    let Some(fields) = web_sys::FormData::new_with_form(&form)
        .ok()
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
    else {
        return;
    };
    ev.prevent_default();
    let address = format!("{pathname}?{}", String::from(fields.to_string()));
    let current = format!(
        "{}{}",
        here.pathname().unwrap_or_default(),
        here.search().unwrap_or_default()
    );
    if address != current {
        go(&window, location, &address, false);
    }
}

/// Whether an address inside the site that no route matches would still be one of its pages
/// (shown as "not found" in place) rather than a file such as a feed or an image.
fn looks_like_a_page(pathname: &str) -> bool {
    let last = pathname.rsplit('/').next().unwrap_or_default();
    !last.contains('.') || last.ends_with(".html")
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn addresses_map_to_pages() {
        assert_eq!(Route::from_path("/", ""), Route::Home);
        assert_eq!(Route::from_path("", ""), Route::Home);
        assert_eq!(Route::from_path("/news", ""), Route::Section("news".into()));
        assert_eq!(
            Route::from_path("/news/", ""),
            Route::Section("news".into())
        );
        assert_eq!(
            Route::from_path("/news/harbour-lights", ""),
            Route::Article {
                section: "news".into(),
                slug: "harbour-lights".into()
            }
        );
    }

    #[test]
    fn the_base_path_is_respected() {
        assert_eq!(Route::from_path("/paper", "/paper"), Route::Home);
        assert_eq!(Route::from_path("/paper/", "/paper"), Route::Home);
        assert_eq!(
            Route::from_path("/paper/news", "/paper"),
            Route::Section("news".into())
        );
        assert_eq!(Route::from_path("/news", "/paper"), Route::NotFound);
        assert_eq!(Route::from_path("/papers/news", "/paper"), Route::NotFound);
    }

    #[test]
    fn anything_else_is_not_found() {
        for path in [
            "/a/b/c",
            "/News",
            "/news/../x",
            "/feed.xml",
            "/404.html",
            "/news/%3Cscript%3E",
        ] {
            assert_eq!(Route::from_path(path, ""), Route::NotFound, "{path}");
        }
    }
}
