//! What happens to scroll and focus when the reader moves between pages: a new page starts
//! at the top with focus on its heading; back and forward return to where the reader was.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use leptos::ev;
use leptos::prelude::*;

thread_local! {
    static FIRST_PAGE: Cell<bool> = const { Cell::new(true) };
    static RESTORE: Cell<Option<f64>> = const { Cell::new(None) };
    static POSITIONS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
    static CURRENT: RefCell<String> = const { RefCell::new(String::new()) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

/// Starts remembering scroll positions by path. A position is recorded at the moment the
/// reader leaves a page (a click, which may follow a link, or back/forward), while the old
/// page is still on screen, so a later, shorter page can never overwrite it.
pub fn install() {
    if INSTALLED.replace(true) {
        return;
    }
    let Some(window) = crate::browser::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    CURRENT.with_borrow_mut(|c| *c = crate::browser::pathname());
    // Capture phase: runs before the router's own click handler starts a navigation.
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(remember_current);
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        wasm_bindgen::JsCast::unchecked_ref(on_click.as_ref()),
        true,
    );
    on_click.forget();
    window_event_listener(ev::popstate, |_| {
        remember_current();
        let path = crate::browser::pathname();
        let y = POSITIONS.with_borrow(|p| p.get(&path).copied());
        RESTORE.set(Some(y.unwrap_or(0.0)));
        CURRENT.with_borrow_mut(|c| *c = path);
    });
}

fn remember_current() {
    let path = CURRENT.with_borrow(Clone::clone);
    POSITIONS.with_borrow_mut(|p| p.insert(path, crate::browser::scroll_y()));
}

/// Tells this module which path the router is now showing (scroll events are filed under it).
pub fn entered(path: &str) {
    CURRENT.with_borrow_mut(|c| {
        if c != path {
            *c = path.to_string();
        }
    });
}

/// Whether the reader has moved on from the first page of the visit (a client-side
/// navigation has happened).
pub fn moved_on() -> bool {
    !FIRST_PAGE.get()
}

/// Whether the page being shown is one the reader went back or forward to (its old scroll
/// position is about to be restored, so it must be at its full height at once).
pub fn returning() -> bool {
    RESTORE.get().is_some()
}

/// Called when a page's main heading is on screen. On the first page of a visit nothing moves;
/// after a client-side navigation focus goes to the heading, and on back/forward the old
/// scroll position comes back.
pub fn arrived(heading: &web_sys::HtmlElement) {
    if FIRST_PAGE.replace(false) {
        RESTORE.set(None);
        return;
    }
    if let Some(y) = RESTORE.take() {
        // After this frame's layout, when the page is in the document at its full height.
        request_animation_frame(move || crate::browser::scroll_to_y(y));
    }
    crate::browser::focus_without_scroll(heading);
}

/// Runs [`arrived`] once the page heading behind `heading` is mounted.
pub fn use_arrival(heading: NodeRef<leptos::html::H1>) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        match heading.get() {
            Some(el) => {
                arrived(&el);
                true
            }
            None => false,
        }
    });
}
