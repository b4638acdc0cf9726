//! The search index press built (`press/src/search.rs`): Pagefind's library behind our bridge
//! (`src/search.js`), added to the page as a module script the first time a reader searches.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::Card;

/// Where press puts the bridge, under the site's base path.
pub const BRIDGE_PATH: &str = "/pagefind/broadsheet-search.js";

/// Why a search has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchError {
    /// The index or its code could not be loaded (offline, or a site without an index).
    Unavailable,
    /// The index answered with something this app cannot read.
    Failed,
}

/// One result: its story's card and Pagefind's excerpt of the body (`<mark>`ed text).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub card: Card,
    pub excerpt: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// How many stories match.
    pub total: usize,
    /// How many match in each section (by slug), whatever the section filter.
    pub sections: Vec<(String, u64)>,
    /// The first results, in order.
    pub hits: Vec<Hit>,
}

thread_local! {
    /// The bridge being loaded or loaded: one script for every search of the page's life.
    static BRIDGE: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// The bridge's functions, loading it the first time.
async fn bridge(base: &str) -> Result<JsValue, SearchError> {
    let window = crate::browser::window().ok_or(SearchError::Unavailable)?;
    let loading = BRIDGE.with(|b| b.borrow().clone());
    let loading = match loading {
        Some(promise) => promise,
        None => {
            let promise = add_script(&window, &format!("{base}{BRIDGE_PATH}"))?;
            BRIDGE.with(|b| *b.borrow_mut() = Some(promise.clone()));
            promise
        }
    };
    if JsFuture::from(loading).await.is_err() {
        forget_bridge(&window);
        return Err(SearchError::Unavailable);
    }
    let api = Reflect::get(&window, &"__broadsheetSearch".into()).unwrap_or(JsValue::UNDEFINED);
    if api.is_object() {
        Ok(api)
    } else {
        forget_bridge(&window);
        Err(SearchError::Unavailable)
    }
}

/// After a failure, the next search tries again from scratch.
fn forget_bridge(window: &web_sys::Window) {
    BRIDGE.with(|b| *b.borrow_mut() = None);
    if let Some(script) = window
        .document()
        .and_then(|d| d.get_element_by_id("broadsheet-search"))
    {
        script.remove();
    }
}

fn add_script(window: &web_sys::Window, src: &str) -> Result<Promise, SearchError> {
    let document = window.document().ok_or(SearchError::Unavailable)?;
    let script = document
        .create_element("script")
        .map_err(|_| SearchError::Unavailable)?;
    let _ = script.set_attribute("type", "module");
    let _ = script.set_attribute("id", "broadsheet-search");
    let _ = script.set_attribute("src", src);
    let target = script.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let _ = target.add_event_listener_with_callback("load", &resolve);
        let _ = target.add_event_listener_with_callback("error", &reject);
    });
    document
        .head()
        .ok_or(SearchError::Unavailable)?
        .append_child(&script)
        .map_err(|_| SearchError::Unavailable)?;
    Ok(promise)
}

async fn call(api: &JsValue, name: &str, args: &Array) -> Result<JsValue, SearchError> {
    let function = Reflect::get(api, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(SearchError::Unavailable)?;
    let promise = function
        .apply(api, args)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or(SearchError::Failed)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| SearchError::Failed)
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Searches for `q` in `section` ("" for all), `newest` first or by relevance, returning
/// the first `count` results with their cards. `base` is the site's base path.
pub async fn search(
    base: &str,
    q: &str,
    section: &str,
    newest: bool,
    count: usize,
) -> Result<Found, SearchError> {
    let api = bridge(base).await?;
    let args = Array::of5(
        &q.into(),
        &section.into(),
        &(if newest { "newest" } else { "relevance" }).into(),
        &0.into(),
        &(count as u32).into(),
    );
    let answer = call(&api, "search", &args).await?;
    let total = field(&answer, "total")
        .as_f64()
        .ok_or(SearchError::Failed)? as usize;
    let sections = Array::from(&field(&answer, "sections"))
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_f64()? as u64))
        })
        .collect();
    // A result whose card cannot be read is left out rather than failing the search.
    let hits = Array::from(&field(&answer, "results"))
        .iter()
        .filter_map(|result| {
            let card = crate::api::parse_json::<Card>(&field(&result, "card").as_string()?).ok()?;
            let excerpt = field(&result, "excerpt").as_string().unwrap_or_default();
            Some(Hit { card, excerpt })
        })
        .collect();
    Ok(Found {
        total,
        sections,
        hits,
    })
}

/// Loads the search library and the index's metadata ahead of the first query (on the
/// search page, or when the reader moves into the header's field), so the first results
/// wait only for their own chunks. A failure here is met again, and named, by the search.
pub async fn warm(base: &str) {
    if let Ok(api) = bridge(base).await {
        let _ = call(&api, "warm", &Array::new()).await;
    }
}

/// The words mistyped query words are corrected to (empty when they cannot be had).
pub async fn words(base: &str) -> Vec<String> {
    let Ok(api) = bridge(base).await else {
        return Vec::new();
    };
    match call(&api, "words", &Array::new()).await {
        Ok(list) => Array::from(&list)
            .iter()
            .filter_map(|w| w.as_string())
            .collect(),
        Err(_) => Vec::new(),
    }
}
