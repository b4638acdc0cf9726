use leptos::prelude::*;

use super::marked::Marked;
use super::picture::Picture;
use super::time::Time;
use crate::api::{prefetch, Endpoint};
use crate::config::use_config;
use crate::model::{Article, Card};
use crate::pictures::Place;
use crate::search::marks::{mark, Part};

/// A story teaser: one link holding the image (when there is one), section, headline, time
/// and standfirst. The whole card is a single tab stop.
#[component]
pub fn StoryCard(
    card: Card,
    /// Show the standfirst (lists and fronts) or not (carousels).
    #[prop(optional)]
    standfirst: bool,
    /// The headline's heading level: 2 on fronts, 3 inside titled groups.
    #[prop(default = 3)]
    level: u8,
    /// Where the card is: its picture's size follows; the front page's lead loads it at once.
    #[prop(default = Place::Grid)]
    place: Place,
    /// Search results: the words to mark in the headline and standfirst (lower case).
    #[prop(optional)]
    marks: Option<Vec<String>>,
    /// Search results: the body's words around a match (`<mark>`ed text from the index),
    /// shown when neither headline nor standfirst has a marked word.
    #[prop(optional)]
    excerpt: Option<Vec<Part>>,
) -> impl IntoView {
    let config = use_config();
    let path = config.href(&card.path());
    // Read the story ahead when the reader points at or tabs to the card.
    let story = Endpoint::Article(card.slug.clone()).url(&config.api_base);
    let read_ahead = move || {
        if let Some(url) = &story {
            prefetch::<Article>(url, config.timeout_ms);
        }
    };
    let on_focus = read_ahead.clone();
    let image = card.image;
    let words = marks.unwrap_or_default();
    let title = mark(&card.title, &words);
    let standfirst = standfirst
        .then_some(card.standfirst)
        .flatten()
        .map(|s| mark(&s, &words));
    let shown_match = [Some(&title), standfirst.as_ref()]
        .into_iter()
        .flatten()
        .any(|parts| parts.iter().any(|(_, marked)| *marked));
    let excerpt = excerpt.filter(|_| !shown_match);
    let title = view! { <Marked parts=title /> };
    let heading = if level <= 2 {
        view! { <h2 class="card__title" dir="auto">{title}</h2> }.into_any()
    } else {
        view! { <h3 class="card__title" dir="auto">{title}</h3> }.into_any()
    };
    view! {
        <article class="card">
            <a class="card__link" href=path on:pointerenter=move |_| read_ahead() on:focus=move |_| on_focus()>
                {image.map(|image| {
                    view! {
                        <span class="card__image">
                            <Picture image=image place=place alt="" lead=place == Place::FrontLead />
                        </span>
                    }
                })}
                <span class="card__section">{card.section.name}</span>
                {heading}
            </a>
            {standfirst.map(|parts| view! { <p class="card__standfirst" dir="auto"><Marked parts=parts /></p> })}
            {excerpt.map(|parts| view! { <p class="card__excerpt" dir="auto">"… "<Marked parts=parts />" …"</p> })}
            <p class="card__time">
                <Time at=card.published_at />
            </p>
        </article>
    }
}
