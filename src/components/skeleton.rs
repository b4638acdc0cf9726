use leptos::prelude::*;

use crate::config::use_config;
use crate::messages::Msg;

/// The shape of an article while it loads: headline, meta lines, image and paragraphs.
#[component]
pub fn ArticleSkeleton() -> impl IntoView {
    let label = use_config().t(Msg::LoadingStory).to_string();
    view! {
        <div class="skeleton-page" aria-busy="true" role="status" aria-label=label data-state="loading">
            <div class="skeleton skeleton--crumb"></div>
            <div class="skeleton skeleton--headline"></div>
            <div class="skeleton skeleton--headline skeleton--short"></div>
            <div class="skeleton skeleton--line"></div>
            <div class="skeleton skeleton--meta"></div>
            <div class="skeleton skeleton--image"></div>
            {(0..5).map(|_| view! { <div class="skeleton skeleton--line"></div> }).collect_view()}
        </div>
    }
}

/// The shape of a front (home or section) while it loads: a heading and a grid of cards.
#[component]
pub fn FrontSkeleton() -> impl IntoView {
    let label = use_config().t(Msg::LoadingStories).to_string();
    view! {
        <div class="skeleton-page" aria-busy="true" role="status" aria-label=label data-state="loading">
            <div class="skeleton skeleton--headline skeleton--short"></div>
            <div class="skeleton-grid">
                {(0..6).map(|_| view! { <div class="skeleton skeleton--card"></div> }).collect_view()}
            </div>
        </div>
    }
}
