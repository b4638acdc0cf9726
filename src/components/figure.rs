use leptos::prelude::*;

use super::picture::Picture;
use crate::model::Image;
use crate::pictures::Place;

/// A picture in the story with its caption and credit. Its width and height are reserved
/// before it loads, so nothing below it moves.
#[component]
pub fn Figure(
    image: Image,
    /// The story's lead picture: loaded at once and first; otherwise lazily.
    #[prop(optional)]
    lead: bool,
) -> impl IntoView {
    let caption = image.caption.clone();
    let credit = image.credit.clone();
    let has_caption = caption.is_some() || credit.is_some();
    view! {
        <figure class="figure">
            <Picture image=image place=Place::Story lead=lead />
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
