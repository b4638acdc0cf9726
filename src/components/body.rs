use leptos::prelude::*;

use super::figure::Figure;
use crate::config::use_config;
use crate::links::{is_external, safe_href};
use crate::model::{Block, Inline};

/// The story itself, from typed blocks. Every string is text, never HTML; blocks of a type
/// this app does not know are skipped.
#[component]
pub fn ArticleBody(blocks: Vec<Block>) -> impl IntoView {
    let views: Vec<AnyView> = blocks.into_iter().filter_map(block_view).collect();
    view! { <div class="story__body">{views}</div> }
}

fn block_view(block: Block) -> Option<AnyView> {
    Some(match block {
        Block::Paragraph { text, content } => {
            let runs: Vec<AnyView> = content
                .unwrap_or_default()
                .into_iter()
                .map(inline_view)
                .collect();
            if runs.is_empty() && text.as_deref().is_none_or(|t| t.trim().is_empty()) {
                return None;
            }
            view! { <p dir="auto">{text}{runs}</p> }.into_any()
        }
        Block::Heading { text, level } => {
            if level <= 2 {
                view! { <h2 dir="auto">{text}</h2> }.into_any()
            } else {
                view! { <h3 dir="auto">{text}</h3> }.into_any()
            }
        }
        Block::Quote { text, cite } => view! {
            <figure class="quote">
                <blockquote>
                    <p dir="auto">{text}</p>
                </blockquote>
                {cite.map(|c| view! { <figcaption>{c}</figcaption> })}
            </figure>
        }
        .into_any(),
        Block::Image(image) => view! { <Figure image=image /> }.into_any(),
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|i| view! { <li dir="auto">{i}</li> })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Separator => view! { <hr /> }.into_any(),
        Block::Unknown => return None,
    })
}

/// One run of rich text: a link only when its target is allowed, emphasis as `em`/`strong`.
fn inline_view(run: Inline) -> AnyView {
    let Inline {
        text,
        href,
        em,
        strong,
    } = run;
    let mut out = text.into_any();
    if em == Some(true) {
        out = view! { <em>{out}</em> }.into_any();
    }
    if strong == Some(true) {
        out = view! { <strong>{out}</strong> }.into_any();
    }
    match href.as_deref().and_then(safe_href) {
        Some(href) if is_external(href) => {
            view! { <a href=href.to_string() rel="noopener noreferrer">{out}</a> }.into_any()
        }
        Some(href) => view! { <a href=use_config().href(href)>{out}</a> }.into_any(),
        None => out,
    }
}
