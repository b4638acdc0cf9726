//! Small wrappers over the browser's own facilities (timers, storage, scrolling, media
//! queries) that never panic when a facility is missing or blocked.

use wasm_bindgen::JsCast;

/// The browser window, or `None` outside a browser: the publishing build (`press`) renders
/// the same components natively, where there is no window and every browser call is skipped.
pub fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Resolves after `ms` milliseconds (a `setTimeout` as a future).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// `localStorage`, or `None` where it is blocked (private mode, sandboxed frames).
fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Whether the reader asked the browser to save data (`navigator.connection.saveData`).
pub fn saves_data() -> bool {
    window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"connection".into()).ok())
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &"saveData".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Whether the reader asked the system for less motion.
pub fn prefers_reduced_motion() -> bool {
    window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

pub fn scroll_y() -> f64 {
    window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0)
}

pub fn scroll_to_y(y: f64) {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, y);
    }
}

/// Moves keyboard focus to `el` without scrolling the page.
pub fn focus_without_scroll(el: &web_sys::HtmlElement) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    if let Ok(focus) = js_sys::Reflect::get(el, &"focus".into()) {
        if let Some(focus) = focus.dyn_ref::<js_sys::Function>() {
            let _ = focus.call1(el, &options);
        }
    }
}

/// A random id from `crypto.randomUUID()`, or from `Math.random` where that is missing.
pub fn random_id() -> String {
    window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("r{}", (js_sys::Math::random() * 1e16) as u64))
}

/// Runs `f` once the browser is idle (`requestIdleCallback`), or after 50 ms where that is
/// missing (Safari), and at the latest after a second on a page that is never idle. Runs
/// nothing without a window.
pub fn when_idle(f: impl FnOnce() + 'static) {
    let Some(w) = window() else {
        return;
    };
    let f = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    let run = {
        let f = f.clone();
        move || {
            if let Some(f) = f.take() {
                f();
            }
        }
    };
    let idle = wasm_bindgen::closure::Closure::once_into_js(run.clone());
    let has_idle = js_sys::Reflect::has(&w, &"requestIdleCallback".into()).unwrap_or(false);
    let latest = if has_idle && w.request_idle_callback(idle.unchecked_ref()).is_ok() {
        1000
    } else {
        50
    };
    // Whichever comes first runs `f`; the other finds it gone.
    let later = wasm_bindgen::closure::Closure::once_into_js(run);
    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), latest);
}

/// The path of the address the reader is at (`""` without a window).
pub fn pathname() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The elements of a `querySelectorAll` answer (none if the selector failed).
pub fn elements(list: Result<web_sys::NodeList, wasm_bindgen::JsValue>) -> Vec<web_sys::Element> {
    let Ok(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// What keyboard focus can land on, for finding "the same place" in a rebuilt copy of a page.
const FOCUSABLE: &str = "a[href], button, input, select, [tabindex]";

/// Where keyboard focus is inside `root`, as an index among its focusable elements.
pub fn focus_index(root: &web_sys::Element) -> Option<usize> {
    let active = window()?.document()?.active_element()?;
    elements(root.query_selector_all(FOCUSABLE))
        .iter()
        .position(|el| el.is_same_node(Some(&active)))
}

/// Moves focus to the `index`th focusable element inside `root` (see [`focus_index`]).
pub fn focus_at(root: &web_sys::Element, index: usize) {
    let target = elements(root.query_selector_all(FOCUSABLE))
        .into_iter()
        .nth(index)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = target {
        focus_without_scroll(&el);
    }
}

/// Whether the page is really in front of the reader: not prerendered, not in a hidden tab.
fn is_shown(document: &web_sys::Document) -> bool {
    let get = |name: &str| js_sys::Reflect::get(document, &name.into()).ok();
    let prerendering = get("prerendering").and_then(|v| v.as_bool()) == Some(true);
    let visible = get("visibilityState")
        .and_then(|v| v.as_string())
        .is_none_or(|state| state == "visible");
    visible && !prerendering
}

type Listener = wasm_bindgen::closure::Closure<dyn FnMut()>;

/// Runs `f` once, as soon as the page is shown (at once if it is).
pub fn when_shown(f: impl FnOnce() + 'static) {
    use wasm_bindgen::closure::Closure;
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    if is_shown(&document) {
        f();
        return;
    }
    let pending = std::rc::Rc::new(std::cell::RefCell::new(Some(f)));
    let events = ["visibilitychange", "prerenderingchange"];
    let listener: std::rc::Rc<std::cell::RefCell<Option<Listener>>> = std::rc::Rc::default();
    let (doc, slot) = (document.clone(), listener.clone());
    let closure = Closure::<dyn FnMut()>::new(move || {
        if !is_shown(&doc) {
            return;
        }
        if let Some(f) = pending.borrow_mut().take() {
            f();
        }
        // Once: the listener takes itself off (and is dropped with its last handle).
        if let Some(me) = slot.borrow_mut().take() {
            for event in events {
                let _ = doc.remove_event_listener_with_callback(event, me.as_ref().unchecked_ref());
            }
        }
    });
    for event in events {
        let _ = document.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    }
    *listener.borrow_mut() = Some(closure);
}
