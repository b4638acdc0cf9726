//! Starting on a pre-rendered page (see `press/`): the page carries the JSON answers it was
//! rendered from, so the app renders the same page at once, and swaps it in for the
//! pre-rendered copy in the same task (nothing is painted in between). A reader who has
//! already tabbed into the page keeps their place.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::App;

/// Files the JSON answers embedded in the page (`<script type="application/json"
/// data-broadsheet-url>`) into the content cache. Whether there were any. They stay in the
/// page until the app has started ([`remove_seeds`]): their absence says it has.
pub fn seed_from_page(document: &web_sys::Document) -> bool {
    let mut any = false;
    for el in seeds(document) {
        if let (Some(url), Some(body)) =
            (el.get_attribute("data-broadsheet-url"), el.text_content())
        {
            crate::api::seed_cache(&url, body);
            any = true;
        }
    }
    any
}

/// Removes the embedded JSON answers (filed by [`seed_from_page`]) from the page.
pub fn remove_seeds(document: &web_sys::Document) {
    seeds(document).iter().for_each(web_sys::Element::remove);
}

fn seeds(document: &web_sys::Document) -> Vec<web_sys::Element> {
    crate::browser::elements(document.query_selector_all("script[data-broadsheet-url]"))
}

/// Whether `prerendered` was rendered for the address the reader is at (404.html is served
/// for every unknown address, and the app may show something else there).
pub fn rendered_for_here(prerendered: &web_sys::Element) -> bool {
    let here = crate::browser::pathname();
    let trim = |p: &str| p.trim_end_matches('/').to_string();
    prerendered
        .get_attribute("data-path")
        .is_some_and(|path| trim(&path) == trim(&here))
}

/// Removes the description and robots tags a pre-rendered page came with: the app's pages
/// write their own (`components/head.rs`). Done however the app starts, including on
/// 404.html, which is served for every unknown address and says `noindex`.
pub fn remove_head_tags(document: &web_sys::Document) {
    let owned = document.query_selector_all("head meta[name=description], head meta[name=robots]");
    crate::browser::elements(owned)
        .iter()
        .for_each(web_sys::Element::remove);
}

/// Mounts the app in place of `prerendered`.
pub fn replace(document: &web_sys::Document, prerendered: &web_sys::Element) {
    let focused = crate::browser::focus_index(prerendered);
    let typed: Vec<String> = search_fields(prerendered)
        .iter()
        .map(web_sys::HtmlInputElement::value)
        .collect();
    let Ok(container) = document.create_element("div") else {
        return;
    };
    // The carousels keep their pre-rendered copies until the reader nears them.
    crate::components::later::adopting(prerendered, || {
        leptos::mount::mount_to(container.clone().unchecked_into(), || view! { <App /> }).forget();
    });
    if prerendered.replace_with_with_node_1(&container).is_err() {
        return;
    }
    container.set_id("app");
    if let Some(path) = prerendered.get_attribute("data-path") {
        let _ = container.set_attribute("data-path", &path);
    }
    // What the reader was typing into a search field goes on in the app's.
    for (field, text) in search_fields(&container).iter().zip(typed) {
        if !text.is_empty() {
            field.set_value(&text);
        }
    }
    if let Some(i) = focused {
        crate::browser::focus_at(&container, i);
        if let Some(field) = crate::browser::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let end = field.value().encode_utf16().count() as u32;
            let _ = field.set_selection_range(end, end);
        }
    }
}

fn search_fields(root: &web_sys::Element) -> Vec<web_sys::HtmlInputElement> {
    crate::browser::elements(root.query_selector_all("input[type=search]"))
        .into_iter()
        .filter_map(|el| el.dyn_into().ok())
        .collect()
}
