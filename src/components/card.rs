use leptos::prelude::*;

use super::picture::Picture;
use super::time::Time;
use crate::api::{prefetch, Endpoint};
use crate::config::use_config;
use crate::model::{Article, Card};
use crate::pictures::Place;

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
    let title = card.title;
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
            {(standfirst).then_some(card.standfirst).flatten().map(|s| view! { <p class="card__standfirst" dir="auto">{s}</p> })}
            <p class="card__time">
                <Time at=card.published_at />
            </p>
        </article>
    }
}
