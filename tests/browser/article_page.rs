//! Every part of the article page, from the harbour-lights fixture.

use broadsheet::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

async fn open_harbour() -> Mounted {
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    page
}

#[wasm_bindgen_test]
async fn breadcrumb_is_a_labelled_ordered_list_ending_in_the_current_section() {
    let page = open_harbour().await;
    let crumbs = page.all("nav.breadcrumb[aria-label=Breadcrumb] ol > li > a");
    let texts: Vec<_> = crumbs.iter().map(|a| a.text_content().unwrap()).collect();
    assert_eq!(texts, ["Home", "News"]);
    assert_eq!(crumbs[0].get_attribute("href").as_deref(), Some("/"));
    assert_eq!(crumbs[1].get_attribute("href").as_deref(), Some("/news"));
    assert_eq!(
        crumbs[1].get_attribute("aria-current").as_deref(),
        Some("location"),
        "the reader is in the section, not on its front"
    );
    assert_eq!(crumbs[0].get_attribute("aria-current"), None);
}

#[wasm_bindgen_test]
async fn header_shows_headline_standfirst_and_lead_image_with_reserved_size() {
    let page = open_harbour().await;
    assert_eq!(page.all("h1").len(), 1, "one h1");
    assert_eq!(
        page.text("h1"),
        "Harbour lights switched to low-glare lamps"
    );
    assert!(page.text(".story__standfirst").contains("night glare"));
    let lead = page.get(".story__lead .picture__image");
    assert_eq!(lead.get_attribute("width").as_deref(), Some("1200"));
    assert_eq!(lead.get_attribute("height").as_deref(), Some("675"));
    assert_eq!(
        lead.get_attribute("alt").as_deref(),
        Some("Abstract drawing of lamps over water")
    );
    assert_eq!(
        page.text(".story__lead .figure__caption"),
        "Lamps along the quay."
    );
    assert_eq!(
        page.text(".story__lead .figure__credit"),
        "Illustration: Fixture"
    );
}

#[wasm_bindgen_test]
async fn dateline_times_views_byline_and_reading_time() {
    let page = open_harbour().await;
    assert_eq!(page.text(".story-meta__place"), "PORT ELLIS");
    let times = page.all(".story-meta time");
    let stamps: Vec<_> = times
        .iter()
        .map(|t| t.get_attribute("datetime").unwrap())
        .collect();
    assert_eq!(
        stamps,
        ["2026-11-27T18:30:00+01:00", "2026-11-28T07:05:00Z"]
    );
    for t in &times {
        assert!(
            !t.text_content().unwrap().trim().is_empty(),
            "a time shows text"
        );
        assert!(
            t.get_attribute("title").is_some_and(|s| !s.is_empty()),
            "full date in tooltip"
        );
    }
    let expected = eval_string("new Intl.NumberFormat().format(4812) + ' views'");
    assert_eq!(page.text(".story-meta__views"), expected);
    let byline = page.text(".story-meta__byline");
    assert!(
        byline.starts_with("By Mara Quill, Transport reporter and Tomas Reed"),
        "{byline}"
    );
    assert!(page.text(".story-meta__source").contains("Broadsheet"));
    assert!(page.text(".story-meta__stats").contains("1 min read"));
}

#[wasm_bindgen_test]
async fn body_renders_every_block_type_and_skips_unknown_ones() {
    let page = open_harbour().await;
    let blocks: Vec<String> = page
        .all(".story__body > *")
        .iter()
        .map(|el| el.tag_name().to_lowercase())
        .collect();
    assert_eq!(
        blocks,
        ["p", "p", "h2", "figure", "figure", "ol", "h3", "ul", "hr", "p"],
        "the unknown 'hologram' block is skipped"
    );
    let external = page.get(".story__body a[href='https://example.org/report']");
    assert_eq!(
        external.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(page
        .find(".story__body a[href='/news/fixture-story-2']")
        .is_some());
    assert_eq!(page.text(".story__body em"), "long");
    assert_eq!(page.text(".story__body strong"), "Costs fell.");
    assert_eq!(
        page.text(".quote blockquote"),
        "We can see the stars again from the back garden."
    );
    assert_eq!(page.text(".quote figcaption"), "A resident of Quay Row");
    assert_eq!(page.all(".story__body ol > li").len(), 3);
    assert_eq!(page.all(".story__body ul > li").len(), 2);
    let body_img = page.get(".story__body figure img");
    assert_eq!(body_img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(body_img.get_attribute("width").as_deref(), Some("800"));
    assert_eq!(body_img.get_attribute("fetchpriority"), None);
}

#[wasm_bindgen_test]
async fn the_lead_picture_offers_its_renditions_for_the_story_column_over_its_placeholder() {
    let page = open_harbour().await;
    let sources = page.all(".story__lead picture > source");
    let described: Vec<_> = sources
        .iter()
        .map(|s| {
            (
                s.get_attribute("type").unwrap_or_default(),
                s.get_attribute("srcset").unwrap_or_default(),
                s.get_attribute("sizes").unwrap_or_default(),
            )
        })
        .collect();
    let sizes = broadsheet::pictures::Place::Story.sizes().to_string();
    assert_eq!(
        described,
        [
            (
                "image/webp".to_string(),
                "/images/test-lead-320.webp 320w, /images/test-lead-640.webp 640w".to_string(),
                sizes.clone()
            ),
            (
                "image/jpeg".to_string(),
                "/images/test-lead-640.jpg 640w".to_string(),
                sizes
            ),
        ]
    );
    // The first view's main picture is asked for at once and first.
    let image = page.get(".story__lead picture > img");
    assert_eq!(
        image.get_attribute("src").as_deref(),
        Some("/images/test-lead.svg")
    );
    assert_eq!(image.get_attribute("loading").as_deref(), Some("eager"));
    assert_eq!(
        image.get_attribute("fetchpriority").as_deref(),
        Some("high")
    );
    // The placeholder sits in the same box, hidden from assistive technology.
    let placeholder = page.get(".story__lead .picture__placeholder");
    assert!(placeholder
        .get_attribute("src")
        .is_some_and(|s| s.starts_with("data:image/webp;base64,")));
    assert_eq!(placeholder.get_attribute("alt").as_deref(), Some(""));
    assert_eq!(
        placeholder.get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    assert_eq!(page.all(".story__lead img").len(), 2);
}

#[wasm_bindgen_test]
async fn contributors_tags_title_and_description() {
    let page = open_harbour().await;
    assert_eq!(
        page.text(".story__contributors"),
        "Ines Bay in Port Ellis contributed to this story."
    );
    let tags: Vec<_> = page
        .all(".tags .tag")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(tags, ["Transport", "Energy"]);
    page.wait_until("the title is set", || {
        document().title() == "Harbour lights switched to low-glare lamps — Broadsheet"
    })
    .await;
    let description = document()
        .query_selector("meta[name=description]")
        .unwrap()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default();
    assert!(description.contains("night glare"), "{description}");
}

#[wasm_bindgen_test]
async fn skip_link_moves_focus_to_main() {
    let page = open_harbour().await;
    let skip: web_sys::HtmlElement = page.get("a.skip-link").unchecked_into();
    assert_eq!(
        skip.get_attribute("href").as_deref(),
        Some("/news/harbour-lights#main"),
        "this page's own anchor (a bare #main would resolve against <base href>)"
    );
    skip.click();
    let active = document().active_element().unwrap();
    assert_eq!(active.id(), "main");
}

#[wasm_bindgen_test]
async fn client_navigation_moves_focus_to_the_new_headline() {
    let page = open_harbour().await;
    click_link_to("/news/fixture-story-2");
    page.wait_until("the new story shows", || {
        page.find("h1").and_then(|h| h.text_content()).as_deref() == Some("Fixture story 2")
    })
    .await;
    leptos::task::tick().await;
    let active = document().active_element().unwrap();
    assert_eq!(active.tag_name(), "H1");
    assert_eq!(active.text_content().as_deref(), Some("Fixture story 2"));
}

#[wasm_bindgen_test]
async fn the_publishers_name_and_title_pattern_are_used_and_ours_appears_nowhere() {
    let page = mount_app(
        "/news/harbour-lights",
        Config {
            site_name: "EverVision Finance".into(),
            site_description: "Markets and money, plainly.".into(),
            title_pattern: "{headline} | {site}".into(),
            ..config()
        },
    );
    page.wait_for("article.story[data-state=ready]").await;
    assert_eq!(page.text(".masthead"), "EverVision Finance");
    assert_eq!(page.text(".site-footer__name"), "EverVision Finance");
    assert_eq!(
        page.text(".site-footer__small"),
        "Markets and money, plainly."
    );
    page.wait_until("the title is set", || {
        document().title() == "Harbour lights switched to low-glare lamps | EverVision Finance"
    })
    .await;
    let text = page.root.text_content().unwrap_or_default();
    // The fixture story's own source is called Broadsheet: content, not the app's words.
    let outside_source = text.replace(&page.text(".story-meta__source"), "");
    assert!(!outside_source.contains("Broadsheet"), "{outside_source}");
}

#[wasm_bindgen_test]
async fn a_logo_is_the_masthead_with_the_name_as_its_text_alternative() {
    let page = mount_app(
        "/news/harbour-lights",
        Config {
            site_name: "EverVision Finance".into(),
            logo: broadsheet::config::Logo::parse("images/logo.svg 240x48"),
            ..config()
        },
    );
    page.wait_for("article.story[data-state=ready]").await;
    let logo = page.get(".masthead img.masthead__logo");
    assert_eq!(
        logo.get_attribute("alt").as_deref(),
        Some("EverVision Finance")
    );
    assert_eq!(logo.get_attribute("width").as_deref(), Some("240"));
    assert_eq!(logo.get_attribute("height").as_deref(), Some("48"));
    assert_eq!(
        page.text(".masthead"),
        "",
        "the picture, not the name in type"
    );
}
