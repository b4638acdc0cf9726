use leptos::html::Div;
use leptos::prelude::*;

use super::card::StoryCard;
use crate::config::use_config;
use crate::load::Load;
use crate::messages::Msg;
use crate::model::Card;
use crate::pictures::Place;

/// A horizontally scrolling row of story cards, following the WAI-ARIA APG carousel pattern:
/// a labelled region, slides as labelled groups, and previous/next buttons. It never moves
/// by itself; scrolling snaps to cards and is smooth only when the reader allows motion. At
/// either end its button is `aria-disabled`, not `disabled`, so keyboard focus is never lost.
/// In a right-to-left language the row starts at the right and "next" scrolls leftwards; the
/// arrows `‹ ›` are mirrored characters, so right to left the browser draws them pointing the
/// way they move.
#[component]
pub fn Carousel(
    /// Visible heading, also the carousel's accessible name ("Related").
    title: String,
    /// Unique in the page; used for ids.
    id: &'static str,
    /// Cards in order, already without repeats.
    cards: Vec<Card>,
    /// Number the cards and use an ordered list (Ranking).
    #[prop(optional)]
    numbered: bool,
) -> impl IntoView {
    let config = use_config();
    let rtl = config.is_right_to_left();
    let viewport = NodeRef::<Div>::new();
    let (at_start, set_at_start) = signal(true);
    let (at_end, set_at_end) = signal(false);
    let update_ends = move || {
        // Also runs from a later animation frame, when the carousel may already be gone.
        if let Some(el) = viewport.try_get_untracked().flatten() {
            // Right to left, the start is 0 and scrolling on goes negative.
            let left = f64::from(el.scroll_left()).abs();
            let max = f64::from(el.scroll_width() - el.client_width());
            set_at_start.try_set(left <= 1.0);
            set_at_end.try_set(left >= max - 1.0);
        }
    };
    Effect::new(move |_| {
        if viewport.get().is_some() {
            request_animation_frame(update_ends);
        }
    });
    // A narrower window can make a row that fitted scrollable again.
    // (Only in a browser: pre-rendering has no window.)
    if crate::browser::window().is_some() {
        let resize = window_event_listener(leptos::ev::resize, move |_| update_ends());
        on_cleanup(move || resize.remove());
    }
    let page = move |direction: f64| {
        if let Some(el) = viewport.try_get_untracked().flatten() {
            let step = f64::from(el.client_width()) * 0.85;
            let sign = if rtl { -1.0 } else { 1.0 };
            el.scroll_by_with_x_and_y(sign * direction * step, 0.0);
        }
    };

    let total = cards.len();
    let (previous, next) = (
        config.fill(Msg::Previous, &[("title", &title)]),
        config.fill(Msg::Next, &[("title", &title)]),
    );
    let slide_role = config.t(Msg::SlideRole).to_string();
    let heading_id = format!("{id}-heading");
    let track_id = format!("{id}-track");
    let slides = cards
        .into_iter()
        .enumerate()
        .map(|(i, card)| {
            view! {
                <li class="carousel__slide">
                    <div role="group" aria-roledescription=slide_role.clone() aria-label=config.fill(Msg::Slide, &[("position", &(i + 1).to_string()), ("total", &total.to_string())])>
                        {numbered.then(|| view! { <span class="carousel__rank" aria-hidden="true">{i + 1}</span> })}
                        <StoryCard card=card place=Place::Carousel />
                    </div>
                </li>
            }
        })
        .collect_view();
    let track = if numbered {
        view! { <ol class="carousel__track carousel__track--numbered" id=track_id.clone()>{slides}</ol> }.into_any()
    } else {
        view! { <ul class="carousel__track" id=track_id.clone()>{slides}</ul> }.into_any()
    };

    view! {
        <section class="carousel" aria-roledescription=config.t(Msg::CarouselRole).to_string() aria-labelledby=heading_id.clone()>
            <div class="carousel__head">
                <h2 class="carousel__title" id=heading_id.clone()>{title.clone()}</h2>
                <div class="carousel__controls">
                    <button
                        type="button"
                        class="carousel__button"
                        aria-controls=track_id.clone()
                        aria-label=previous
                        aria-disabled=move || at_start.get().to_string()
                        on:click=move |_| page(-1.0)
                    >
                        <span aria-hidden="true">"‹"</span>
                    </button>
                    <button
                        type="button"
                        class="carousel__button"
                        aria-controls=track_id
                        aria-label=next
                        aria-disabled=move || at_end.get().to_string()
                        on:click=move |_| page(1.0)
                    >
                        <span aria-hidden="true">"›"</span>
                    </button>
                </div>
            </div>
            <div class="carousel__viewport" node_ref=viewport on:scroll=move |_| update_ends()>
                {track}
            </div>
        </section>
    }
}

/// A carousel fed by a load: a placeholder of the same height while it loads, and a quiet
/// note when the list failed or is empty, so the page never jumps.
#[component]
pub fn LoadedCarousel(
    title: String,
    id: &'static str,
    state: Signal<Load<Vec<Card>>>,
    #[prop(optional)] numbered: bool,
) -> impl IntoView {
    move || match state.get() {
        Load::Loading => view! { <CarouselPlaceholder title=title.clone() /> }.into_any(),
        Load::Ready(cards) if !cards.is_empty() => {
            view! { <Carousel title=title.clone() id=id cards=cards numbered=numbered /> }
                .into_any()
        }
        Load::Ready(_) | Load::Failed(_) => view! {
            <section class="carousel carousel--empty" aria-labelledby=format!("{id}-heading")>
                <h2 class="carousel__title" id=format!("{id}-heading")>{title.clone()}</h2>
                <p class="carousel__empty">{use_config().t(Msg::CarouselEmpty).to_string()}</p>
            </section>
        }
        .into_any(),
    }
}

/// The reserved shape of a carousel while its cards load.
#[component]
pub fn CarouselPlaceholder(title: String) -> impl IntoView {
    view! {
        <section class="carousel carousel--loading" aria-busy="true" aria-label=title.clone()>
            <div class="carousel__head">
                <h2 class="carousel__title">{title.clone()}</h2>
            </div>
            <div class="carousel__viewport">
                <div class="carousel__track">
                    {(0..4).map(|_| view! { <div class="skeleton skeleton--card"></div> }).collect_view()}
                </div>
            </div>
        </section>
    }
}
