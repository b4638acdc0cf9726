use leptos::prelude::*;

use crate::links::{safe_image_src, safe_placeholder};
use crate::model::Image;
use crate::pictures::{sources, Place};

/// A picture in the box its width and height reserve: the browser picks the best of its
/// renditions for the size `place` draws it at, and its placeholder (if any) shows in the
/// box until the picture arrives. A source the contract does not allow is not loaded.
#[component]
pub fn Picture(
    /// The picture; its `alt` is the text alternative unless `alt` is given.
    image: Image,
    /// Where it is shown, for its `sizes`.
    place: Place,
    /// The text alternative when it differs from the image's (a card's picture is
    /// decorative: `""`).
    #[prop(optional, into)]
    alt: Option<String>,
    /// The first view's main picture: loaded at once and first. Otherwise lazily.
    #[prop(optional)]
    lead: bool,
) -> impl IntoView {
    let sources = sources(image.renditions.as_deref().unwrap_or_default());
    let placeholder = image
        .placeholder
        .as_deref()
        .and_then(safe_placeholder)
        .map(str::to_string);
    let sizes = place.sizes();
    let alt = alt.unwrap_or(image.alt);
    let src = safe_image_src(&image.src).map(str::to_string);
    src.map(|src| view! {
        <span class="picture">
            {placeholder.map(|p| view! { <img class="picture__placeholder" src=p alt="" aria-hidden="true" /> })}
            <picture>
                {sources
                    .into_iter()
                    .map(|s| view! { <source type=s.kind srcset=s.srcset sizes=sizes /> })
                    .collect_view()}
                <img
                    class="picture__image"
                    src=src
                    alt=alt
                    width=image.width
                    height=image.height
                    loading=if lead { "eager" } else { "lazy" }
                    decoding="async"
                    fetchpriority=lead.then_some("high")
                />
            </picture>
        </span>
    }
    .into_any())
}
