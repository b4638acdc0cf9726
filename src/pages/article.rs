use leptos::html::H1;
use leptos::prelude::*;

use crate::components::head::{PageMeta, PageTitle};

use super::home::{ranking_cards, recommended_cards};
use super::not_found::NotFound;
use crate::api::{ApiError, Endpoint};
use crate::components::body::ArticleBody;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::carousel::{Carousel, LoadedCarousel};
use crate::components::error_panel::ErrorPanel;
use crate::components::figure::Figure;
use crate::components::later::Later;
use crate::components::reaction::ReactionButton;
use crate::components::skeleton::ArticleSkeleton;
use crate::components::story_meta::StoryMeta;
use crate::load::{load, Load};
use crate::messages::Msg;
use crate::model::{distinct_cards, Article};
use crate::navigation::use_arrival;

/// `/{section}/{slug}`: one article. Recreated (and the old request aborted) when the
/// reader moves on. The router only gives it slugs of the contract's pattern.
#[component]
pub fn ArticlePage(section: String, slug: String) -> impl IntoView {
    let article = load::<Article>(Endpoint::Article(slug));
    move || match article.state.get() {
        Load::Loading => view! { <ArticleSkeleton /> }.into_any(),
        Load::Failed(ApiError::NotFound) => view! { <NotFound /> }.into_any(),
        Load::Failed(error) => {
            view! { <ErrorPanel error=error on_retry=move || article.retry() /> }.into_any()
        }
        Load::Ready(a) if a.section.slug != section => {
            // Shown under its own section's URL: the canonical one.
            crate::router::navigate(&crate::config::use_config().href(&a.path()), true);
            view! { <ArticleSkeleton /> }.into_any()
        }
        Load::Ready(a) => view! { <ArticleView article=a /> }.into_any(),
    }
}

/// Everything a reader sees of a loaded article.
#[component]
pub fn ArticleView(article: Article) -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    let config = crate::config::use_config();
    let description = article.standfirst.clone().unwrap_or_else(|| {
        config.fill(
            Msg::ArticleDescription,
            &[
                ("headline", &article.title),
                ("section", &article.section.name),
                ("site", &config.site_name),
            ],
        )
    });
    let t = {
        let config = config.clone();
        move |msg| config.t(msg).to_string()
    };
    let related = distinct_cards(&article.related, Some(&article.slug));
    let ranking = ranking_cards(Some(article.slug.clone()));
    let picks = recommended_cards(Some(article.slug.clone()));
    let tags = article.tags.clone().unwrap_or_default();
    // With a reactions service, each time a reader opens the story counts as one read.
    if let Some(service) = &config.reactions_url {
        crate::api::count_read(service, &article.id);
    }
    provide_context(crate::components::reaction::LiveViews(RwSignal::new(None)));
    let meta = article.clone();
    let Article {
        id,
        section,
        title,
        standfirst,
        image,
        body,
        contributors,
        reactions,
        ..
    } = article;

    view! {
        <PageTitle text=title.clone() />
        <PageMeta name="description" content=description />
        <article class="story" data-state="ready">
            <Breadcrumb section=section />
            <header class="story__header">
                <h1 class="story__title" dir="auto" tabindex="-1" node_ref=heading>{title}</h1>
                {standfirst.map(|s| view! { <p class="story__standfirst" dir="auto">{s}</p> })}
                <StoryMeta article=meta />
            </header>
            {image.map(|image| view! { <div class="story__lead"><Figure image=image lead=true /></div> })}
            <ArticleBody blocks=body />
            <footer class="story__footer">
                {contributors.map(|c| view! { <p class="story__contributors">{c}</p> })}
                {(!tags.is_empty()).then(|| view! {
                    <div class="story__tags">
                        <h2 class="visually-hidden">{t(Msg::Topics)}</h2>
                        <ul class="tags">
                            {tags.into_iter().map(|t| view! { <li class="tag">{t.name}</li> }).collect_view()}
                        </ul>
                    </div>
                })}
                <ReactionButton article_id=id count=reactions.very_good />
            </footer>
        </article>
        <Later id="more-stories">
        <aside class="more-stories" aria-label=t(Msg::MoreStories)>
            {if related.is_empty() {
                view! {
                    <section class="carousel carousel--empty" aria-labelledby="related-heading">
                        <h2 class="carousel__title" id="related-heading">{t(Msg::Related)}</h2>
                        <p class="carousel__empty">{t(Msg::CarouselEmpty)}</p>
                    </section>
                }.into_any()
            } else {
                view! { <Carousel title=t(Msg::Related) id="related" cards=related.clone() /> }.into_any()
            }}
            <LoadedCarousel title=t(Msg::Ranking) id="ranking" state=ranking numbered=true />
            <LoadedCarousel title=t(Msg::Recommendation) id="recommendation" state=picks />
        </aside>
        </Later>
    }
}
