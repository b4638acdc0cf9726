//! Parts of a page below the fold (the carousels) that the app builds only when the reader
//! gets near them, when it starts on a pre-rendered page.
//!
//! Taking over a pre-rendered page means building the whole page again in one task, and on a
//! phone that task is long enough to delay the reader's first tap. A `Later` region keeps the
//! pre-rendered copy (the same markup, moved into the app's page) until it comes within a
//! screen of the viewport or takes keyboard focus, and the app then builds its own.
//!
//! After following a link, a `Later` region is built just after the frame that paints the new
//! page (the headline comes first). Otherwise (the first page of a visit, back and forward,
//! whose scroll position needs the page at its full height, and pre-rendering) it shows its
//! children at once.

use std::cell::{Cell, RefCell};

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A region that may be built later: see the module documentation. `id` is unique in the
/// page and names the region in both copies (`data-later`).
#[component]
pub fn Later(id: &'static str, children: ChildrenFn) -> impl IntoView {
    let wait = TAKING_OVER.get();
    let next_frame = !wait
        && crate::browser::window().is_some()
        && crate::navigation::moved_on()
        && !crate::navigation::returning();
    let shown = RwSignal::new(!wait && !next_frame);
    let slot = NodeRef::<Div>::new();
    if wait {
        WAITING.with_borrow_mut(|w| w.push(Waiting { id, slot, shown }));
    }
    if next_frame {
        request_animation_frame(move || {
            set_timeout(
                move || {
                    shown.try_set(true);
                },
                std::time::Duration::ZERO,
            )
        });
    }
    view! {
        <div class="later" data-later=id node_ref=slot>
            {move || shown.get().then(|| children())}
        </div>
    }
}

struct Waiting {
    id: &'static str,
    slot: NodeRef<Div>,
    shown: RwSignal<bool>,
}

thread_local! {
    static TAKING_OVER: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
}

/// Renders `build` with every [`Later`] region waiting, then moves the pre-rendered copy of
/// each region (found in `prerendered` by its `data-later` id) into the app's empty one.
/// A region without a pre-rendered copy is built at once.
pub fn adopting(prerendered: &web_sys::Element, build: impl FnOnce()) {
    TAKING_OVER.set(true);
    build();
    TAKING_OVER.set(false);
    for waiting in WAITING.with_borrow_mut(std::mem::take) {
        let copy = prerendered
            .query_selector(&format!("[data-later=\"{}\"]", waiting.id))
            .ok()
            .flatten();
        match (waiting.slot.get_untracked(), copy) {
            (Some(slot), Some(copy)) => {
                keep_until_near(slot.unchecked_into(), &copy, waiting.shown)
            }
            _ => waiting.shown.set(true),
        }
    }
}

/// Moves `copy`'s contents into `slot` (before the app's own placeholder), and swaps them
/// for the app's build when the region nears the viewport or takes focus.
fn keep_until_near(slot: web_sys::Element, copy: &web_sys::Element, shown: RwSignal<bool>) {
    let placeholder = slot.first_child();
    let nodes = copy.child_nodes();
    let moved: Vec<web_sys::Node> = (0..nodes.length()).filter_map(|i| nodes.item(i)).collect();
    for node in &moved {
        let _ = slot.insert_before(node, placeholder.as_ref());
    }
    let upgrade = {
        let slot = slot.clone();
        let done = std::rc::Rc::new(std::cell::Cell::new(false));
        move || {
            if done.replace(true) {
                return;
            }
            // Keyboard focus inside the copy moves to the same place in the app's build.
            let focused = crate::browser::focus_index(&slot);
            for node in &moved {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(node);
                }
            }
            shown.try_set(true);
            if let Some(i) = focused {
                let slot = slot.clone();
                leptos::task::spawn_local(async move {
                    leptos::task::tick().await;
                    crate::browser::focus_at(&slot, i);
                });
            }
        }
    };
    let upgrade = std::rc::Rc::new(upgrade);
    let fallback = upgrade.clone();
    let on_focus = {
        let upgrade = upgrade.clone();
        Closure::<dyn Fn()>::new(move || upgrade())
    };
    let _ = slot.add_event_listener_with_callback("focusin", on_focus.as_ref().unchecked_ref());
    on_focus.forget();
    // Within about a screen of the viewport: built before the reader sees it.
    let on_near = Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                observer.disconnect();
                upgrade();
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("100% 0px");
    match web_sys::IntersectionObserver::new_with_options(
        on_near.as_ref().unchecked_ref(),
        &options,
    ) {
        Ok(observer) => {
            observer.observe(&slot);
            on_near.forget();
        }
        // No IntersectionObserver: build it now.
        Err(_) => fallback(),
    }
}
