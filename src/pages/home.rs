use leptos::html::H1;
use leptos::prelude::*;

use crate::components::head::{PageMeta, PageTitle};

use crate::api::Endpoint;
use crate::components::card::StoryCard;
use crate::components::carousel::LoadedCarousel;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::skeleton::FrontSkeleton;
use crate::config::use_config;
use crate::load::{load, Load};
use crate::messages::Msg;
use crate::model::{distinct_cards, Card, CardList, Home};
use crate::navigation::use_arrival;
use crate::pictures::Place;

/// The front page: the lead story, the latest stories of each section, and Ranking.
#[component]
pub fn HomePage() -> impl IntoView {
    let home = load::<Home>(Endpoint::Home);
    let ranking = ranking_cards(None);
    let config = use_config();
    let most_read = config.t(Msg::MostRead).to_string();
    let description = Some(config.site_description.clone()).filter(|d| !d.is_empty());
    view! {
        <PageTitle text=config.site_name.clone() />
        {description.map(|d| view! { <PageMeta name="description" content=d /> })}
        {move || match home.state.get() {
            Load::Loading => view! { <FrontSkeleton /> }.into_any(),
            Load::Failed(error) => view! { <ErrorPanel error=error on_retry=move || home.retry() /> }.into_any(),
            Load::Ready(home) => view! { <HomeView home=home /> }.into_any(),
        }}
        <Later id="most-read">
            <LoadedCarousel title=most_read.clone() id="ranking" state=ranking numbered=true />
        </Later>
    }
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    let config = use_config();
    let site_name = config.site_name.clone();
    let lead_slug = home.lead.slug.clone();
    let sections = home
        .sections
        .into_iter()
        .map(|block| {
            let cards = distinct_cards(&block.articles, Some(&lead_slug));
            let href = config.href(&format!("/{}", block.section.slug));
            view! {
                <section class="front-section" aria-labelledby=format!("front-{}", block.section.slug)>
                    <h2 class="front-section__title" id=format!("front-{}", block.section.slug)>
                        <a href=href>{block.section.name}</a>
                    </h2>
                    <ul class="card-grid">
                        {cards.into_iter().map(|card| view! { <li><StoryCard card=card standfirst=true /></li> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1 class="visually-hidden" tabindex="-1" node_ref=heading>{site_name}</h1>
        <div class="lead-story">
            <StoryCard card=home.lead standfirst=true level=2 place=Place::FrontLead />
        </div>
        {sections}
    }
}

/// The Ranking list as cards without repeats (and without `except`, the current article).
/// With an engagement service it is the service's live most read; the published list is shown
/// until it answers, and stays if it fails or has nothing yet.
pub fn ranking_cards(except: Option<String>) -> Signal<Load<Vec<Card>>> {
    let published = card_list(Endpoint::Rankings, except.clone());
    if use_config().reactions_url.is_none() {
        return published;
    }
    let live = card_list(Endpoint::MostRead, except);
    Signal::derive(move || match live.get() {
        Load::Ready(cards) if !cards.is_empty() => Load::Ready(cards),
        _ => published.get(),
    })
}

/// The Recommendation list, likewise cleaned.
pub fn recommended_cards(except: Option<String>) -> Signal<Load<Vec<Card>>> {
    card_list(Endpoint::Recommendations, except)
}

fn card_list(endpoint: Endpoint, except: Option<String>) -> Signal<Load<Vec<Card>>> {
    let list = load::<CardList>(endpoint);
    Signal::derive(move || match list.state.get() {
        Load::Loading => Load::Loading,
        Load::Failed(e) => Load::Failed(e),
        Load::Ready(list) => Load::Ready(distinct_cards(&list.items, except.as_deref())),
    })
}
