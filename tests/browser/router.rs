//! Links: the app follows links to its own pages in place and leaves every other click to
//! the browser; back and forward show the page the address names.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, MouseEvent, MouseEventInit};

use crate::support::*;

/// Clicks a link made from `attrs` (`[("href", "/news"), ...]`) with `ctrl` held or not, and
/// says whether the app took the click (cancelled the browser's own navigation). A listener
/// added after the app's cancels every click, so no test navigates the test page away.
fn app_takes(attrs: &[(&str, &str)], ctrl: bool) -> bool {
    let link: Element = document().create_element("a").unwrap();
    for (name, value) in attrs {
        link.set_attribute(name, value).unwrap();
    }
    link.set_text_content(Some("link"));
    document().body().unwrap().append_child(&link).unwrap();
    let taken = Rc::new(Cell::new(false));
    let seen = taken.clone();
    let backstop = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
        seen.set(ev.default_prevented());
        ev.prevent_default();
    });
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("click", backstop.as_ref().unchecked_ref())
        .unwrap();
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    let click = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    link.dispatch_event(&click).unwrap();
    window
        .remove_event_listener_with_callback("click", backstop.as_ref().unchecked_ref())
        .unwrap();
    link.remove();
    taken.get()
}

fn pathname() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

#[wasm_bindgen_test]
async fn links_to_site_pages_are_followed_in_place() {
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    let headline = page.text("h1");
    assert_eq!(
        document().title(),
        format!("{headline} — Broadsheet"),
        "the first page's title"
    );
    assert!(app_takes(&[("href", "/news/fixture-story-2")], false));
    assert_eq!(pathname(), "/news/fixture-story-2");
    page.wait_until("the new story shows", || {
        page.find("h1").and_then(|h| h.text_content()).as_deref() == Some("Fixture story 2")
    })
    .await;
    assert_eq!(document().title(), "Fixture story 2 — Broadsheet");
    assert!(app_takes(&[("href", "/news")], false), "a section front");
    assert_eq!(pathname(), "/news");
    page.wait_until("the section front has its title", || {
        document().title() == "News — Broadsheet"
    })
    .await;
}

#[wasm_bindgen_test]
async fn other_clicks_are_left_to_the_browser() {
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    type Case<'a> = (&'a [(&'a str, &'a str)], bool, &'a str);
    let cases: [Case; 7] = [
        (&[("href", "/news")], true, "a click with Ctrl (new tab)"),
        (
            &[("href", "/news"), ("target", "_blank")],
            false,
            "a link with a target",
        ),
        (&[("href", "/news"), ("download", "")], false, "a download"),
        (
            &[("href", "https://elsewhere.example/news")],
            false,
            "another site",
        ),
        (&[("href", "/feed.xml")], false, "a feed"),
        (&[("href", "/images/lamp.svg")], false, "an image"),
        (&[("href", "#main")], false, "an anchor on this page"),
    ];
    for (attrs, ctrl, what) in cases {
        assert!(!app_takes(attrs, ctrl), "{what} is not the app's");
        assert_eq!(pathname(), "/news/harbour-lights", "{what}");
    }
    assert!(page.find("article.story[data-state=ready]").is_some());
}

#[wasm_bindgen_test]
async fn back_shows_the_page_the_address_names() {
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    click_link_to("/news/fixture-story-2");
    page.wait_until("the second story shows", || {
        page.find("h1").and_then(|h| h.text_content()).as_deref() == Some("Fixture story 2")
    })
    .await;
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .back()
        .unwrap();
    page.wait_until("the first story is back", || {
        pathname() == "/news/harbour-lights"
            && page.find("h1").and_then(|h| h.text_content()).as_deref() != Some("Fixture story 2")
            && page.find("article.story[data-state=ready]").is_some()
    })
    .await;
}

/// The `content` of every `<meta name=name>` in the head, in document order.
fn head_meta(name: &str) -> Vec<String> {
    let list = document()
        .query_selector_all(&format!("head meta[name={name}]"))
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| e.get_attribute("content").unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn head_tags_belong_to_the_page_shown() {
    let page = mount_app("/no/such/page", config());
    page.wait_until("the not-found page", || {
        document().title().starts_with("Page not found")
    })
    .await;
    assert_eq!(
        head_meta("robots"),
        ["noindex"],
        "a missing page is not indexed"
    );
    click_link_to("/news/harbour-lights");
    page.wait_for("article.story[data-state=ready]").await;
    assert_eq!(
        head_meta("robots"),
        Vec::<String>::new(),
        "a story is indexed"
    );
    let described = head_meta("description");
    assert_eq!(described.len(), 1, "{described:?}");
    assert!(described[0].contains("night glare"), "{described:?}");
    click_link_to("/news");
    page.wait_until("the section front has its title", || {
        document().title() == "News — Broadsheet"
    })
    .await;
    let described = head_meta("description");
    assert_eq!(
        described.len(),
        1,
        "one description after navigating: {described:?}"
    );
    assert!(!described[0].contains("night glare"), "{described:?}");
    drop(page);
    assert_eq!(
        head_meta("description"),
        Vec::<String>::new(),
        "gone with the app"
    );
}
