use leptos::prelude::*;

use crate::links::safe_image_src;
use crate::model::Image;

/// A picture with its caption and credit. Its width and height are reserved before it loads,
/// so nothing below it moves. A source the contract does not allow is not loaded.
#[component]
pub fn Figure(
    image: Image,
    /// `lazy` below the fold; the lead image loads eagerly.
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let Image {
        src,
        alt,
        width,
        height,
        caption,
        credit,
    } = image;
    let src = safe_image_src(&src).map(str::to_string);
    let has_caption = caption.is_some() || credit.is_some();
    view! {
        <figure class="figure">
            {src.map(|src| {
                view! {
                    <img
                        src=src
                        alt=alt
                        width=width
                        height=height
                        loading=if eager { "eager" } else { "lazy" }
                        decoding="async"
                    />
                }
            })}
            {has_caption.then(|| {
                view! {
                    <figcaption>
                        {caption.map(|c| view! { <span class="figure__caption">{c}</span> })}
                        {credit.map(|c| view! { <bdi class="figure__credit">{c}</bdi> })}
                    </figcaption>
                }
            })}
        </figure>
    }
}
