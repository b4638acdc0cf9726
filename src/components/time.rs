use leptos::prelude::*;

use crate::format;
use crate::model::parse_rfc3339;

/// A `<time>` for an RFC 3339 string: relative ("3 hours ago") when recent, otherwise the
/// date, in the reader's locale and time zone; the full date and time is in its tooltip.
/// An unreadable time shows nothing rather than a wrong one.
#[component]
pub fn Time(
    /// The RFC 3339 time from the content.
    at: String,
    /// Always show the full date and time instead of a relative time.
    #[prop(optional)]
    full: bool,
) -> impl IntoView {
    let config = crate::config::use_config();
    parse_rfc3339(&at).map(|ms| {
        let long = format::date_time(&config, ms);
        let text = if full {
            long.clone()
        } else {
            format::when(&config, ms)
        };
        view! { <time datetime=at title=long>{text}</time> }
    })
}
