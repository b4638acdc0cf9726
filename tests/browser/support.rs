//! Mounting the app for a test, waiting for named states, and faking the network.

use broadsheet::config::Config;
use broadsheet::App;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub const API: &str = "/tests/fixtures/api";

pub fn config() -> Config {
    Config {
        base_path: String::new(),
        api_base: API.into(),
        reactions_url: None,
        timeout_ms: 5_000,
        ..Config::default()
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount into, attached to the body.
pub fn fresh_root() -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Where the mounted app lives. On drop it unmounts, runs every cleanup of its reactive owner
/// (so routers and listeners of earlier tests are gone) and detaches its element.
pub struct Mounted {
    pub root: HtmlElement,
    owner: Owner,
    handle: Option<Box<dyn std::any::Any>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.owner.cleanup();
        self.root.remove();
    }
}

/// The app's real stylesheets, so layout (scrolling rows, button sizes) is as a reader sees it.
fn install_styles() {
    const CSS: [&str; 8] = [
        include_str!("../../style/base.css"),
        include_str!("../../style/layout.css"),
        include_str!("../../style/card.css"),
        include_str!("../../style/story.css"),
        include_str!("../../style/carousel.css"),
        include_str!("../../style/reaction.css"),
        include_str!("../../style/states.css"),
        include_str!("../../style/print.css"),
    ];
    if document().get_element_by_id("test-styles").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("test-styles");
        style.set_text_content(Some(&CSS.concat()));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

fn mount_with_owner<V: IntoView + 'static>(f: impl FnOnce() -> V + 'static) -> Mounted {
    install_styles();
    let root = fresh_root();
    let owner = Owner::new();
    let handle = owner.with(|| mount_to(root.clone(), f));
    Mounted {
        root,
        owner,
        handle: Some(Box::new(handle)),
    }
}

impl Mounted {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector:?}"))
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    fn page_text(&self) -> String {
        let text = self.root.text_content().unwrap_or_default();
        text.chars().take(400).collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    /// Waits (polling, up to 20 s: a loaded machine is slow) until `selector` matches, and
    /// returns it.
    pub async fn wait_for(&self, selector: &str) -> Element {
        for _ in 0..2000 {
            if let Some(el) = self.find(selector) {
                return el;
            }
            broadsheet::browser::sleep(10).await;
        }
        panic!(
            "timed out waiting for {selector:?}; page: {}",
            self.page_text()
        );
    }

    pub async fn wait_until(&self, what: &str, cond: impl Fn() -> bool) {
        for _ in 0..2000 {
            if cond() {
                return;
            }
            broadsheet::browser::sleep(10).await;
        }
        panic!("timed out waiting until {what}; page: {}", self.page_text());
    }
}

/// Mounts the whole app, with its router, at `path`.
pub fn mount_app(path: &str, config: Config) -> Mounted {
    broadsheet::api::clear_cache();
    // Each mount stands for a page the reader opens: no read counted on it yet.
    let _ = document()
        .document_element()
        .unwrap()
        .remove_attribute("data-read-counted");
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    mount_with_owner(move || view! { <App config=config /> })
}

/// Mounts any view with the app's configuration.
pub fn mount_view<V: IntoView + 'static>(
    config: Config,
    f: impl FnOnce() -> V + 'static,
) -> Mounted {
    mount_with_owner(move || {
        provide_context(std::sync::Arc::new(config));
        f()
    })
}

/// Navigates the way a reader does: by clicking a link (the router intercepts it).
pub fn click_link_to(path: &str) {
    let a: HtmlElement = document().create_element("a").unwrap().unchecked_into();
    a.set_attribute("href", path).unwrap();
    document().body().unwrap().append_child(&a).unwrap();
    a.click();
    a.remove();
}

/// Replaces `window.fetch` for the rest of a test: `body` is the JS body of
/// `function (request, url, real)` returning a Promise of a Response, where `real` is the
/// browser's own fetch. Every call's URL is recorded in `window.__fetched`.
pub fn fake_fetch(body: &str) -> FetchGuard {
    let js = format!(
        "window.__realFetch = window.__realFetch || window.fetch;
         window.__fetched = [];
         window.fetch = function (input, init) {{
           // The app calls fetch(url, init); the fakes read one Request either way.
           const request = typeof input === 'string' ? new Request(input, init) : input;
           const url = typeof input === 'string' ? input : input.url;
           window.__fetched.push(url);
           const real = (r, i) => window.__realFetch.call(window, r, i);
           return (function (request, url, real) {{ {body} }})(request, url, real);
         }};"
    );
    js_sys::eval(&js).unwrap();
    FetchGuard
}

/// Restores the browser's fetch when dropped.
pub struct FetchGuard;

impl Drop for FetchGuard {
    fn drop(&mut self) {
        let _ = js_sys::eval("if (window.__realFetch) { window.fetch = window.__realFetch; }");
    }
}

/// URLs requested since [`fake_fetch`] was installed.
pub fn fetched() -> Vec<String> {
    let list = js_sys::eval("window.__fetched || []").unwrap();
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

pub fn eval_string(js: &str) -> String {
    js_sys::eval(js)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn clear_storage() {
    if let Some(s) = web_sys::window().unwrap().local_storage().unwrap() {
        s.clear().unwrap();
    }
}
