//! The Related, Ranking and Recommendation carousels.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

async fn open_harbour() -> Mounted {
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    page.wait_for("#ranking-track").await;
    page.wait_for("#recommendation-track").await;
    page
}

fn slide_slugs(page: &Mounted, track: &str) -> Vec<String> {
    page.all(&format!("#{track} .card__link"))
        .iter()
        .map(|a| a.get_attribute("href").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn carousels_follow_the_apg_pattern() {
    let page = open_harbour().await;
    let carousels = page.all("section[aria-roledescription=carousel]");
    assert_eq!(carousels.len(), 3);
    let names: Vec<String> = carousels
        .iter()
        .map(|c| {
            let id = c.get_attribute("aria-labelledby").unwrap();
            page.text(&format!("#{id}"))
        })
        .collect();
    assert_eq!(names, ["Related", "Ranking", "Recommendation"]);
    let slides = page.all("#related-track > li > [role=group][aria-roledescription=slide]");
    assert_eq!(slides.len(), 10);
    assert_eq!(
        slides[0].get_attribute("aria-label").as_deref(),
        Some("1 of 10")
    );
    assert_eq!(
        slides[9].get_attribute("aria-label").as_deref(),
        Some("10 of 10")
    );
    let prev = page.get("button[aria-label='Previous Related stories']");
    let next = page.get("button[aria-label='Next Related stories']");
    assert_eq!(
        prev.get_attribute("aria-controls").as_deref(),
        Some("related-track")
    );
    assert_eq!(
        next.get_attribute("aria-controls").as_deref(),
        Some("related-track")
    );
    assert_eq!(
        page.get("#related-track")
            .parent_element()
            .unwrap()
            .scroll_left(),
        0,
        "nothing moves by itself before the reader acts"
    );
}

#[wasm_bindgen_test]
async fn repeated_cards_and_the_current_article_are_shown_once_or_not_at_all() {
    let page = open_harbour().await;
    let related = slide_slugs(&page, "related-track");
    let expected: Vec<String> = (1..=10)
        .map(|i| {
            format!(
                "/{}/fixture-story-{i}",
                if i % 2 == 1 { "science" } else { "news" }
            )
        })
        .collect();
    assert_eq!(
        related, expected,
        "duplicate of story 1 and the article itself dropped, order kept"
    );
    let ranking = slide_slugs(&page, "ranking-track");
    assert_eq!(ranking.len(), 9);
    assert!(!ranking.iter().any(|s| s.ends_with("/harbour-lights")));
    let mut unique = ranking.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ranking.len(), "no card twice");
}

#[wasm_bindgen_test]
async fn ranking_is_a_numbered_ordered_list() {
    let page = open_harbour().await;
    let track = page.get("#ranking-track");
    assert_eq!(track.tag_name(), "OL");
    let ranks: Vec<_> = page
        .all("#ranking-track .carousel__rank")
        .iter()
        .map(|r| r.text_content().unwrap())
        .collect();
    assert_eq!(ranks.first().map(String::as_str), Some("1"));
    assert_eq!(ranks.last().map(String::as_str), Some("9"));
    assert_eq!(page.get("#related-track").tag_name(), "UL");
}

#[wasm_bindgen_test]
async fn next_and_previous_buttons_scroll_the_row() {
    let page = open_harbour().await;
    let viewport: web_sys::HtmlElement = page
        .get("#related-track")
        .parent_element()
        .unwrap()
        .unchecked_into();
    viewport.style().set_property("width", "300px").unwrap();
    viewport
        .style()
        .set_property("scroll-behavior", "auto")
        .unwrap();
    let prev: web_sys::HtmlButtonElement = page
        .get("button[aria-label='Previous Related stories']")
        .unchecked_into();
    let next: web_sys::HtmlButtonElement = page
        .get("button[aria-label='Next Related stories']")
        .unchecked_into();
    let disabled = |b: &web_sys::HtmlButtonElement| {
        b.get_attribute("aria-disabled").as_deref() == Some("true")
    };
    page.wait_until("previous starts disabled", || disabled(&prev))
        .await;
    assert!(
        !prev.disabled(),
        "aria-disabled, so it keeps keyboard focus"
    );
    prev.click();
    leptos::task::tick().await;
    assert_eq!(
        viewport.scroll_left(),
        0,
        "previous at the start does nothing"
    );
    next.click();
    page.wait_until("the row scrolled forward", || viewport.scroll_left() > 0)
        .await;
    page.wait_until("previous is enabled", || !disabled(&prev))
        .await;
    prev.click();
    page.wait_until("the row scrolled back", || viewport.scroll_left() == 0)
        .await;
}

#[wasm_bindgen_test]
async fn a_failed_list_is_a_quiet_empty_state() {
    let _fetch = fake_fetch(
        "if (url.endsWith('/recommendations.json')) return Promise.resolve(new Response('nope', { status: 500 }));
         if (url.endsWith('/rankings.json')) return Promise.resolve(new Response('{\"items\": []}', { status: 200 }));
         return real(request);",
    );
    let page = mount_app("/news/fixture-story-3", config());
    page.wait_for("article.story[data-state=ready]").await;
    page.wait_until("both lists settled", || {
        page.all(".carousel--empty").len() == 2
    })
    .await;
    let notes: Vec<_> = page
        .all(".carousel--empty h2")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(notes, ["Ranking", "Recommendation"]);
    assert!(
        page.find(".error-panel").is_none(),
        "a list failing does not fail the page"
    );
}

#[wasm_bindgen_test]
async fn a_loading_list_holds_a_placeholder() {
    let _fetch = fake_fetch(
        "if (url.endsWith('/rankings.json')) return new Promise(() => {});
         return real(request);",
    );
    let page = mount_app("/news/fixture-story-3", config());
    page.wait_for("article.story[data-state=ready]").await;
    let placeholder = page.wait_for(".carousel--loading[aria-busy=true]").await;
    assert_eq!(
        page.all(".carousel--loading[aria-label=Ranking] .skeleton--card")
            .len(),
        4
    );
    assert!(placeholder.text_content().unwrap().contains("Ranking"));
}
